"""The one YAML reader of the clinical core: libyaml's C loader when PyYAML was built with it
(several times faster, which matters for the command-line start-up), else the Python one.

PyYAML is imported on the first file read, not with this module: a run of the command line
whose files all come from its cache of validated files (``validated_cache``) reads no YAML.
"""

from __future__ import annotations

from typing import IO, Any


class NotYaml(ValueError):
    """The text is not one valid YAML document (the message says where and why)."""


def yaml_load(source: str | bytes | IO[str] | IO[bytes]) -> Any:
    """Safe-load one YAML document (no Python tags); :class:`NotYaml` when it is not valid."""
    import yaml  # on first use, to keep the command line's start-up short

    try:
        return yaml.load(source, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - safe
    except yaml.YAMLError as error:
        raise NotYaml(str(error)) from error
