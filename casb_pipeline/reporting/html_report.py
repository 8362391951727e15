"""The static HTML posture report: one self-contained file, no network.

Charts are inline SVG drawn by the template from :mod:`charts` geometry; the
page carries no script, and its Content-Security-Policy forbids loading
anything, so it opens the same offline and cannot phone home. Objects are
named by id (never by the names users gave them, which may hold the values the
findings are about); every value goes through Jinja's autoescaping (emails and
reasons are user data too).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import jinja2

from casb_pipeline.actions.catalog import execution_of
from casb_pipeline.reporting.report_data import ReportData

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("casb_pipeline.reporting", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)


def render_report(
    data: ReportData,
    *,
    generated_at: datetime,
    built_at: datetime,
    version: str,
    actions_file: str,
    export_files: Sequence[str],
) -> str:
    template = _ENV.get_template("posture_report.html.j2")
    return template.render(
        headline=data.headline,
        charts=data.charts,
        posture=data.posture,
        posture_total=data.posture_total,
        actions=data.actions,
        actions_total=data.actions_total,
        detectors=data.detectors,
        execution=execution_of,
        generated_at=f"{generated_at:%Y-%m-%d %H:%M} UTC",
        built_at=f"{built_at:%Y-%m-%d %H:%M} UTC",
        version=version,
        actions_file=actions_file,
        export_files=export_files,
    )
