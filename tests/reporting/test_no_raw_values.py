"""No planted raw value reaches any export, whichever table it sits in."""

from __future__ import annotations

import re

import pytest

from tests.reporting.conftest import Exported
from tests.reporting.report_lake import PLANTED


@pytest.mark.parametrize("export", ["findings", "actions", "gateway_policies", "report"])
def test_no_planted_value_in_export(exported: Exported, export: str) -> None:
    text = exported.text(export)
    squeezed = re.sub(r"\s", "", text)
    for raw in PLANTED:
        assert raw not in text, (export, raw)
        assert re.sub(r"\s", "", raw) not in squeezed, (export, raw)
