"""No planted raw value, and no name a user chose, reaches any export."""

from __future__ import annotations

import html
import re

import pytest

from tests.reporting.conftest import Exported
from tests.reporting.report_lake import PLANTED, USER_CHOSEN

EXPORTS = ["findings", "actions", "gateway_policies", "report"]


@pytest.mark.parametrize("export", EXPORTS)
def test_no_planted_value_in_export(exported: Exported, export: str) -> None:
    text = exported.text(export)
    squeezed = re.sub(r"\s", "", text)
    for raw in PLANTED:
        assert raw not in text, (export, raw)
        assert re.sub(r"\s", "", raw) not in squeezed, (export, raw)


@pytest.mark.parametrize("export", EXPORTS)
def test_no_user_chosen_name_in_export(exported: Exported, export: str) -> None:
    """Project, chat, file, archive member and sheet names are user content: ids only."""
    text = html.unescape(exported.text(export))
    for name in USER_CHOSEN:
        assert name not in text, (export, name)
