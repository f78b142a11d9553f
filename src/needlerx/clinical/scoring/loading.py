"""Reading the instrument data files: the strict base model and YAML validation that fails
loudly with :class:`~needlerx.clinical.errors.ReferenceDataError`."""

from __future__ import annotations

from importlib import resources
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from needlerx.clinical.errors import ReferenceDataError
from needlerx.clinical.validated_cache import validated
from needlerx.clinical.yaml_data import NotYaml, yaml_load

ModelT = TypeVar("ModelT", bound=BaseModel)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def _read_bytes(name: str) -> bytes:
    data = resources.files("needlerx.clinical").joinpath("data", "instruments", name)
    try:
        return data.read_bytes()
    except OSError as error:
        raise ReferenceDataError(f"instruments/{name}: cannot be read ({error})") from error


def parse_data_file(name: str, data: bytes) -> Any:
    try:
        return yaml_load(data)
    except NotYaml as error:
        raise ReferenceDataError(f"instruments/{name}: cannot be read ({error})") from error


def validate_data_file(model: type[ModelT], name: str) -> ModelT:
    """One instrument file validated against its model (or read from the command line's cache of
    files already validated)."""
    return validated(
        model, _read_bytes(name), lambda data: _validate(model, name, parse_data_file(name, data))
    )


def _validate(model: type[ModelT], name: str, document: Any) -> ModelT:
    try:
        return model.model_validate(document)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in err['loc']) or '(top level)'}: {err['msg']}"
            for err in error.errors(include_url=False)
        )
        raise ReferenceDataError(f"instruments/{name}: {problems}") from error
