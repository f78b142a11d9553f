"""Read the YAML files under ``clinical/data`` and validate them; fail loudly on anything odd."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from needlerx.clinical.errors import ReferenceDataError
from needlerx.clinical.reference.schemas import VERSION_PATTERN
from needlerx.clinical.validated_cache import validated
from needlerx.clinical.yaml_data import NotYaml, yaml_load

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
ModelT = TypeVar("ModelT", bound=BaseModel)


def read_yaml(path: Path) -> Any:
    return _parse(path, _read_bytes(path))


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise ReferenceDataError(f"{path.name}: cannot be read ({error})") from error


def _parse(path: Path, data: bytes) -> Any:
    try:
        return yaml_load(data)
    except NotYaml as error:
        raise ReferenceDataError(f"{path.name}: is not valid YAML ({error})") from error


def load_model(model: type[ModelT], path: Path, raw: Any | None = None) -> ModelT:
    """Validate one file against its model, naming the file and location of every problem
    (a file already validated by an earlier run of the command line is read from its cache)."""
    if raw is not None:
        return _validate(model, path, raw)
    return validated(
        model, _read_bytes(path), lambda data: _validate(model, path, _parse(path, data))
    )


def _validate(model: type[ModelT], path: Path, document: Any) -> ModelT:
    try:
        return model.model_validate(document)
    except ValidationError as error:
        problems = [
            f"{describe_location(document, err['loc'])}: {err['msg']}"
            for err in error.errors(include_url=False)
        ]
        raise ReferenceDataError(f"{data_name(path)}: " + "; ".join(problems)) from error


def describe_location(document: Any, location: Sequence[int | str]) -> str:
    """``muscles[3] (upper_trapezius).areas[0]`` — indexes plus the entry id where there is one."""
    parts: list[str] = []
    node = document
    for key in location:
        label = f"[{key}]" if isinstance(key, int) else f".{key}"
        node = _child(node, key)
        if isinstance(key, int) and isinstance(node, Mapping) and "id" in node:
            label += f" ({node['id']})"
        parts.append(label)
    return "".join(parts).lstrip(".") or "(top level)"


def _child(node: Any, key: int | str) -> Any:
    if isinstance(node, Mapping):
        return node.get(key)
    if isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
        return node[key]
    return None


def data_name(path: Path) -> str:
    try:
        return str(path.relative_to(DATA_DIR))
    except ValueError:
        return path.name


def read_version(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError as error:
        raise ReferenceDataError(f"{path.name}: cannot be read ({error})") from error
    if not VERSION_PATTERN.match(text):
        raise ReferenceDataError(f"{path.name}: expected YYYY.N.N such as 2026.11.0, got {text!r}")
    return text


def require_unique(file: str, what: str, ids: Iterable[str]) -> None:
    seen: set[str] = set()
    for identifier in ids:
        if identifier in seen:
            raise ReferenceDataError(f"{file}: duplicate {what} {identifier!r}")
        seen.add(identifier)
