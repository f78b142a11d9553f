"""Reading the instrument data files: the strict base model and YAML validation that fails
loudly with :class:`~needlerx.clinical.errors.ReferenceDataError`."""

from __future__ import annotations

from importlib import resources
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from needlerx.clinical.errors import ReferenceDataError
from needlerx.clinical.yaml_data import yaml_load

ModelT = TypeVar("ModelT", bound=BaseModel)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def read_data_file(name: str) -> Any:
    data = resources.files("needlerx.clinical").joinpath("data", "instruments", name)
    try:
        return yaml_load(data.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ReferenceDataError(f"instruments/{name}: cannot be read ({error})") from error


def validate_data_file(model: type[ModelT], name: str) -> ModelT:
    try:
        return model.model_validate(read_data_file(name))
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in err['loc']) or '(top level)'}: {err['msg']}"
            for err in error.errors(include_url=False)
        )
        raise ReferenceDataError(f"instruments/{name}: {problems}") from error
