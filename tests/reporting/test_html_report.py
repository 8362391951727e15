"""posture_report.html as a file: self-contained, escaped, masked, with its charts and tables."""

from __future__ import annotations

from tests.reporting.conftest import Exported
from tests.reporting.html_page import Page
from tests.reporting.report_expectations import CHART_IDS, expected_report
from tests.reporting.report_lake import (
    HOSTILE_EMAIL,
    OPEN_PROJECT,
    PARTNER_PROJECT,
    SECRET_NAME_PROJECT,
    TWIN_PROJECTS,
)

LOADING_TAGS = {
    "script",
    "img",
    "link",
    "iframe",
    "object",
    "embed",
    "base",
    "form",
    "audio",
    "video",
    "source",
    "frame",
}
LOADING_ATTRS = {"src", "href", "srcset", "action", "xlink:href", "poster", "data"}


def test_the_page_loads_nothing_and_runs_nothing(exported: Exported) -> None:
    html = exported.text("report")
    page = Page(html)
    assert {e.tag for e in page.elements} & LOADING_TAGS == set()
    for element in page.elements:
        assert not set(element.attrs) & LOADING_ATTRS, element
        assert not [a for a in element.attrs if a.startswith("on")], element
    (style,) = page.find("style")
    css = "".join(style.text)
    assert "url(" not in css and "@import" not in css
    (csp,) = [
        m for m in page.find("meta") if m.attrs.get("http-equiv") == "Content-Security-Policy"
    ]
    assert "default-src 'none'" in csp.attrs["content"]


def test_user_data_is_text_never_markup(exported: Exported) -> None:
    page = Page(exported.text("report"))
    (detail,) = exported.rows(
        "select detail from posture_report where check_id = 'user_repeated_critical'"
    )
    assert HOSTILE_EMAIL in detail["detail"]
    assert detail["detail"] in page.texts  # markup in a user's email, shown as text
    labels = [e.attrs.get("data-label") for e in page.bars("top-users")]
    assert HOSTILE_EMAIL in labels
    assert not page.find("b")  # the <b> in a user's email stayed text


def test_charts_and_tables_match_the_warehouse(exported: Exported) -> None:
    page = Page(exported.text("report"))
    expected = expected_report(exported.warehouse)
    assert [svg.attrs["id"] for svg in page.find("svg", "chart")] == list(CHART_IDS)
    for chart_id in CHART_IDS:
        nonzero = [b for b in page.bars(chart_id) if float(b.attrs["data-value"]) > 0]
        assert len(nonzero) == expected.bars[chart_id], chart_id
        assert all(float(b.attrs["width"]) > 0 for b in nonzero), chart_id
    assert len(page.rows("posture")) == expected.posture_rows
    assert len(page.rows("actions")) == expected.action_rows
    assert len(page.rows("detectors")) == expected.detector_rows


def test_projects_are_shown_by_id_never_by_name(exported: Exported) -> None:
    """Whatever part of a project a finding is in, its name is not printed (the partner
    project's card is in its name and its description; the finding says description)."""
    page = Page(exported.text("report"))
    labels = {e.attrs["data-label"] for e in page.bars("top-projects")}
    assert labels == {
        f"{OPEN_PROJECT} (org-visible)",
        f"{PARTNER_PROJECT} (org-visible)",
        SECRET_NAME_PROJECT,
        *TWIN_PROJECTS,
    }
    shown = {"".join(t.text) for t in page.find("text") if t.inside("svg", "top-projects")}
    assert {f"{OPEN_PROJECT} (org-visible)", *TWIN_PROJECTS} <= shown
