"""Strict query-string validation: unknown parameters and bad values are 400s.

Messages follow the reference: ``Unknown query parameter: 'x'. Did you mean
'y'?`` and ``<param>: <constraint>`` (``limit: Input should be less than or
equal to 1000``).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import parse_qsl

from casb_pipeline.simulator.api_errors import invalid


@dataclass(frozen=True)
class Param:
    """One accepted parameter: ``kind`` is int, str, enum, time, or list (names ending ``[]``)."""

    kind: str
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] = ()


def limit(default_max: int) -> Param:
    return Param("int", minimum=1, maximum=default_max)


def time_range(prefix: str) -> dict[str, Param]:
    return {f"{prefix}.{op}": Param("time") for op in ("gt", "gte", "lt", "lte")}


@dataclass
class Query:
    """Validated values: scalars by name, lists by name (with ``[]``)."""

    values: dict[str, object]

    def get(self, name: str, default: object = None) -> object:
        return self.values.get(name, default)

    def has(self, name: str) -> bool:
        return name in self.values

    def list_of(self, name: str) -> list[str]:
        return list(self.values.get(name, []))  # type: ignore[call-overload]

    def integer(self, name: str, default: int | None = None) -> int | None:
        value = self.values.get(name, default)
        return None if value is None else int(value)  # type: ignore[call-overload]

    def text(self, name: str, default: str | None = None) -> str | None:
        value = self.values.get(name, default)
        return None if value is None else str(value)

    def bounds(self, prefix: str) -> TimeBounds:
        return TimeBounds(
            self.values.get(f"{prefix}.gte"),  # type: ignore[arg-type]
            self.values.get(f"{prefix}.gt"),  # type: ignore[arg-type]
            self.values.get(f"{prefix}.lte"),  # type: ignore[arg-type]
            self.values.get(f"{prefix}.lt"),  # type: ignore[arg-type]
        )

    def any_of(self, prefix: str) -> bool:
        return any(name.startswith(prefix + ".") for name in self.values)


@dataclass(frozen=True)
class TimeBounds:
    """Range filters in epoch seconds (floats keep sub-second bounds exact)."""

    gte: float | None
    gt: float | None
    lte: float | None
    lt: float | None

    def contains(self, moment: float) -> bool:
        return not (
            (self.gte is not None and moment < self.gte)
            or (self.gt is not None and moment <= self.gt)
            or (self.lte is not None and moment > self.lte)
            or (self.lt is not None and moment >= self.lt)
        )

    @property
    def lowest(self) -> float | None:
        """The smallest second that can match (for a sorted start)."""
        candidates = [b for b in (self.gte, self.gt) if b is not None]
        return max(candidates) if candidates else None

    @property
    def highest(self) -> float | None:
        candidates = [b for b in (self.lte, self.lt) if b is not None]
        return min(candidates) if candidates else None


def _suggest(name: str, accepted: dict[str, Param]) -> str | None:
    if "[" in name and not name.endswith("[]"):
        dotted = name.replace("[", ".").rstrip("]")
        if dotted in accepted:
            return dotted
    if name + "[]" in accepted:
        return name + "[]"
    close = difflib.get_close_matches(name, list(accepted), n=1, cutoff=0.6)
    return close[0] if close else None


def _parse_time(name: str, raw: str) -> float:
    text = raw.strip()
    try:
        if len(text) == 10:
            moment = datetime.combine(date.fromisoformat(text), datetime.min.time())
        else:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        problem = "input is too short" if len(text) < 10 else "invalid datetime format"
        raise invalid(f"{name}: Input should be a valid datetime or date, {problem}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def _choices_text(choices: tuple[str, ...]) -> str:
    quoted = [f"'{choice}'" for choice in choices]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def _scalar(name: str, spec: Param, raw: str) -> object:
    if spec.kind == "int":
        try:
            number = int(raw)
        except ValueError:
            raise invalid(
                f"{name}: Input should be a valid integer, unable to parse string as an integer"
            ) from None
        if spec.minimum is not None and number < spec.minimum:
            raise invalid(f"{name}: Input should be greater than or equal to {spec.minimum}")
        if spec.maximum is not None and number > spec.maximum:
            raise invalid(f"{name}: Input should be less than or equal to {spec.maximum}")
        return number
    if spec.kind == "enum" and raw not in spec.choices:
        raise invalid(f"{name}: Input should be {_choices_text(spec.choices)}")
    if spec.kind == "time":
        return _parse_time(name, raw)
    return raw


def parse_query(raw_query: str, accepted: dict[str, Param]) -> Query:
    """Validate ``raw_query`` against ``accepted``; the first problem is a 400."""
    values: dict[str, object] = {}
    for name, raw in parse_qsl(raw_query, keep_blank_values=True):
        spec = accepted.get(name)
        if spec is None:
            suggestion = _suggest(name, accepted)
            hint = f" Did you mean '{suggestion}'?" if suggestion else ""
            raise invalid(f"Unknown query parameter: '{name}'.{hint}")
        if spec.kind == "list":
            items = values.setdefault(name, [])
            if spec.choices and raw not in spec.choices:
                raise invalid(f"{name}.{len(items)}: Input is not one of the permitted values.")  # type: ignore[arg-type]
            items.append(raw)  # type: ignore[union-attr]
        else:
            values[name] = _scalar(name, spec, raw)
    for name, spec in accepted.items():
        if (
            spec.kind == "list"
            and spec.maximum is not None
            and len(values.get(name, [])) > spec.maximum
        ):  # type: ignore[arg-type]
            count = len(values[name])  # type: ignore[arg-type]
            raise invalid(
                f"{name}: List should have at most {spec.maximum} items after validation, "
                f"not {count}"
            )
    return Query(values)
