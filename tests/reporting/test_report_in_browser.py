"""The HTML report opened in headless Chromium: charts drawn with real size, tables laid out."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from PIL import Image

from casb_pipeline.reporting.charts import SEVERITY_COLORS
from tests.reporting.browser import chromium, requires_chromium
from tests.reporting.conftest import Exported
from tests.reporting.html_page import Page
from tests.reporting.report_expectations import CHART_IDS, expected_report

pytestmark = [pytest.mark.browser, requires_chromium]

# Test-only probe: measures the laid-out boxes and writes them into the DOM.
PROBE = """<script>
(() => {
  const size = e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; };
  const out = {charts: {}, tables: {}};
  for (const svg of document.querySelectorAll("svg.chart")) {
    out.charts[svg.id] = {
      size: size(svg),
      bars: [...svg.querySelectorAll("rect.bar")].map(r => [Number(r.dataset.value), ...size(r)]),
    };
  }
  for (const table of document.querySelectorAll("table")) {
    const rows = [...table.tBodies[0].rows];
    out.tables[table.className] = rows.filter(r => size(r)[1] > 0).length;
  }
  const pre = document.createElement("pre");
  pre.id = "probe";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>"""


def probed_copy(report: Path, folder: Path) -> Path:
    """The report with the probe appended and its no-script policy lifted (a copy)."""
    html = report.read_text(encoding="utf-8")
    html, lifted = re.subn(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
    assert lifted == 1
    copy = folder / "probed.html"
    copy.write_text(html.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    return copy


def test_the_report_renders_as_is(exported: Exported, tmp_path: Path) -> None:
    report = exported.result.paths["report"]
    dom = Page(chromium(report, tmp_path / "profile", "--dump-dom"))
    expected = expected_report(exported.warehouse)
    assert [s.attrs["id"] for s in dom.find("svg", "chart")] == list(CHART_IDS)
    for chart_id in CHART_IDS:
        nonzero = [b for b in dom.bars(chart_id) if float(b.attrs["data-value"]) > 0]
        assert len(nonzero) == expected.bars[chart_id], chart_id
    assert not dom.find("script") and not dom.find("img") and not dom.find("b")
    assert len(dom.rows("posture")) == expected.posture_rows

    shot = tmp_path / "report.png"
    chromium(report, tmp_path / "profile", f"--screenshot={shot}")
    critical = tuple(int(SEVERITY_COLORS["critical"][i : i + 2], 16) for i in (1, 3, 5))
    with Image.open(shot) as image:
        colors = image.convert("RGB").getcolors(maxcolors=1 << 24) or []
    painted = sum(
        n for n, rgb in colors if max(abs(a - b) for a, b in zip(rgb, critical, strict=True)) < 8
    )
    assert painted > 500  # the critical bars and badges were painted


def test_charts_and_tables_have_real_size(exported: Exported, tmp_path: Path) -> None:
    copy = probed_copy(exported.result.paths["report"], tmp_path)
    dom = Page(chromium(copy, tmp_path / "profile", "--dump-dom"))
    probe = json.loads("".join(dom.by_id("probe").text))
    expected = expected_report(exported.warehouse)

    assert sorted(probe["charts"]) == sorted(CHART_IDS)
    for chart_id, chart in probe["charts"].items():
        width, height = chart["size"]
        assert width > 300 and height > 50, (chart_id, chart["size"])
        drawn = [(w, h) for value, w, h in chart["bars"] if value > 0]
        assert len(drawn) == expected.bars[chart_id], chart_id
        assert all(w > 0 and h > 0 for w, h in drawn), (chart_id, drawn)
    assert probe["tables"] == {
        "posture": expected.posture_rows,
        "actions": expected.action_rows,
        "detectors": expected.detector_rows,
    }
