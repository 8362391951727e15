"""Typed records from API JSON, driven by the record dataclasses themselves.

A record class declares, per field, where the value sits in the API object
(``api_field("user", "id")``) or that it comes from the request's context
(``context_field()``, e.g. the chat id of a message). The field's annotation
says the type; the same annotations give the Arrow schema (``schemas.py``),
so parsing and the lake cannot drift apart.

Rules: unknown keys are ignored (the whole object is kept in ``_raw``);
unknown enum values are plain strings; a required field (annotation without
``None``) that is missing, or any field of the wrong type, raises
:class:`InvalidField` with a reason that names the field and never the value.
Fields marked ``lenient`` (type-specific activity fields whose shape varies)
become ``None`` instead of failing the record.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Callable, Mapping
from datetime import datetime
from functools import cache
from typing import Any, TypeVar

from casb_pipeline.compliance.timestamps import parse_timestamp

T = TypeVar("T")
Converter = Callable[[Any], Any]


class InvalidField(ValueError):
    """Why a value could not be read; the text names fields, never values."""


def api_field(
    *path: str, convert: Converter | None = None, lenient: bool = False, hidden: bool = False
) -> Any:
    """A field read from ``path`` in the API object (default: the field's own name).

    ``convert`` replaces the type-driven conversion; ``hidden`` keeps user
    content (texts, names) out of the record's repr.
    """
    meta = {"path": path, "convert": convert, "lenient": lenient}
    return dataclasses.field(repr=not hidden, metadata=meta)


def context_field() -> Any:
    """A field supplied by the caller, already typed (e.g. the project listed under)."""
    return dataclasses.field(metadata={"context": True})


def raw_field() -> Any:
    """The whole API object as compact JSON."""
    return dataclasses.field(repr=False, metadata={"raw": True})


@dataclasses.dataclass(frozen=True)
class FieldPlan:
    """How one field is read; built once per record class."""

    name: str
    annotation: Any
    path: tuple[str, ...]
    required: bool
    lenient: bool
    source: str  # "api" | "context" | "raw"
    convert: Converter


def unwrap_optional(annotation: Any) -> tuple[Any, bool]:
    """``(inner type, required)`` for ``X`` or ``X | None``."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        inner = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        if len(inner) != 1:
            raise TypeError(f"unsupported union {annotation!r}")
        return inner[0], False
    return annotation, True


@cache
def field_plans(cls: type) -> tuple[FieldPlan, ...]:
    hints = typing.get_type_hints(cls)
    plans = []
    for spec in dataclasses.fields(cls):
        inner, required = unwrap_optional(hints[spec.name])
        meta = spec.metadata
        source = "raw" if meta.get("raw") else "context" if meta.get("context") else "api"
        plans.append(
            FieldPlan(
                name=spec.name,
                annotation=inner,
                path=tuple(meta.get("path") or (spec.name,)),
                required=required,
                lenient=bool(meta.get("lenient")),
                source=source,
                convert=meta.get("convert") or converter_for(inner),
            )
        )
    return tuple(plans)


def converter_for(annotation: Any) -> Converter:
    """The type-driven conversion of one annotation (scalars, timestamps, lists)."""
    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation)
        convert_item = converter_for(item)

        def convert_list(value: Any) -> list[Any]:
            if not isinstance(value, list):
                raise InvalidField("expected a list")
            return [_at(index, convert_item, entry) for index, entry in enumerate(value)]

        return convert_list
    if dataclasses.is_dataclass(annotation):
        return lambda value: parse_object(annotation, value)  # type: ignore[arg-type]
    simple = _SCALARS.get(annotation)
    if simple is None:
        raise TypeError(f"no conversion for {annotation!r}")
    return simple


def _at(index: int, convert: Converter, value: Any) -> Any:
    if value is None:
        raise InvalidField(f"[{index}]: null entry")
    try:
        return convert(value)
    except InvalidField as exc:
        raise InvalidField(f"[{index}]{_joined(exc)}") from None


def _joined(exc: InvalidField) -> str:
    text = str(exc)
    return text if text.startswith(("[", ".")) else f": {text}"


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidField("expected a string")
    return value


def _integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidField("expected an integer")
    if isinstance(value, float) and not value.is_integer():
        raise InvalidField("expected an integer")
    return int(value)


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise InvalidField("expected true or false")
    return value


def _timestamp(value: Any) -> datetime:
    if not isinstance(value, str):
        raise InvalidField("expected a timestamp string")
    try:
        return parse_timestamp(value)
    except ValueError:
        raise InvalidField("not an ISO 8601 timestamp") from None


_SCALARS: dict[Any, Converter] = {str: _string, int: _integer, bool: _boolean, datetime: _timestamp}


def _dig(obj: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = obj
    for depth, key in enumerate(path):
        if value is None:
            return None
        if not isinstance(value, Mapping):
            raise InvalidField(f"{'.'.join(path[:depth])} is not an object")
        value = value.get(key)
    return value


def parse_object(cls: type[T], obj: Any, context: Mapping[str, Any] | None = None) -> T:
    """Build ``cls`` from one API object; :class:`InvalidField` names what is wrong."""
    if not isinstance(obj, Mapping):
        raise InvalidField("expected a JSON object")
    values: dict[str, Any] = {}
    for plan in field_plans(cls):
        if plan.source == "raw":
            values[plan.name] = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
            continue
        values[plan.name] = _read(plan, obj, context or {})
    return cls(**values)


def _read(plan: FieldPlan, obj: Mapping[str, Any], context: Mapping[str, Any]) -> Any:
    label = ".".join(plan.path)
    try:
        value = context.get(plan.name) if plan.source == "context" else _dig(obj, plan.path)
        if value is None:
            if plan.required:
                raise InvalidField("missing")
            return None
        return value if plan.source == "context" else plan.convert(value)
    except InvalidField as exc:
        if plan.lenient:
            return None
        raise InvalidField(f"{label}{_joined(exc)}") from None
