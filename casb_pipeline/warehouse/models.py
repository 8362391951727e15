"""SQL models: one ``select`` a file under ``sql/<layer>/``, ordered by their references."""

from __future__ import annotations

import re
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import casb_pipeline
from casb_pipeline.errors import CasbError

LAYERS = ("staging", "marts")


def sql_root() -> Path:
    """The shipped ``sql/`` folder (beside ``casb_pipeline/`` in a checkout and in a wheel)."""
    return Path(casb_pipeline.__file__).resolve().parent.parent / "sql"


class ModelError(CasbError):
    """A SQL model or audit failed; names its file."""


@dataclass(frozen=True)
class Model:
    name: str
    layer: str
    path: Path
    sql: str


def load_models(root: Path | None = None, layers: tuple[str, ...] = LAYERS) -> list[Model]:
    """Models of ``layers`` in build order: each after the models its SQL names."""
    root = root or sql_root()
    models = {
        path.stem: Model(path.stem, layer, path, path.read_text(encoding="utf-8"))
        for layer in layers
        for path in sorted((root / layer).glob("*.sql"))
    }
    graph = {
        name: {
            other
            for other in models
            if other != name and re.search(rf"\b{re.escape(other)}\b", _strip_comments(m.sql))
        }
        for name, m in models.items()
    }
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as error:
        raise CasbError(f"SQL models reference each other in a cycle: {error.args[1]}") from None
    return [models[name] for name in order]


def load_audits(root: Path | None = None) -> list[Model]:
    root = root or sql_root()
    return [
        Model(path.stem, "audits", path, path.read_text(encoding="utf-8"))
        for path in sorted((root / "audits").glob("*.sql"))
    ]


def _strip_comments(sql: str) -> str:
    return re.sub(r"--[^\n]*", "", sql)
