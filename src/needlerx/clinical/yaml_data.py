"""The one YAML reader of the clinical core: libyaml's C loader when PyYAML was built with it
(several times faster, which matters for the command-line start-up), else the Python one."""

from __future__ import annotations

from typing import IO, Any

import yaml

SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def yaml_load(source: str | bytes | IO[str] | IO[bytes]) -> Any:
    """Safe-load one YAML document (no Python tags)."""
    return yaml.load(source, Loader=SafeLoader)  # noqa: S506 - a safe loader
