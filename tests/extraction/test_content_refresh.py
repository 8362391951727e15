"""Project content changed under the same id is downloaded again (once per change), and
content listed over the download cap is never requested."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl

from casb_pipeline.extraction import feed, projects
from casb_pipeline.extraction.ledgers import CONTENTS
from casb_pipeline.lake import QUARANTINE, BlobStore, Lake
from casb_pipeline.scoring.file_texts import TextRun, extract_texts
from casb_pipeline.scoring.findings import MB, ScoreRun, policy_for, score_days
from casb_pipeline.scoring.scan_inputs import BatchLimits
from casb_pipeline.scoring.tables import FINDINGS, TEXTS
from casb_pipeline.textract import ExtractLimits
from tests.extraction.fake_tenant import FakeTenant, fake_tenant

NOW = datetime.now(UTC).replace(microsecond=0)
DAYS = [NOW.date() - timedelta(days=1), NOW.date()]
PROJECT = "claude_proj_01"
DOC = "claude_proj_doc_01"
EDITED_FILE = "claude_file_01"
KEPT_FILE = "claude_file_02"
SECRET_LINE = "aws_access_key_id = AKIAQ3EGRTZLMW5NJ7XB"
CAP = 1_000


def _extract_projects(tenant: FakeTenant, now: datetime, max_bytes: int = CAP) -> None:
    """The feed, the projects and their attachments, as one run at ``now`` would."""
    with tenant.context(DAYS, now, "activities") as ctx:
        feed.extract_activities(ctx)
    with tenant.context(DAYS, now, "projects") as ctx:
        projects.extract_projects(ctx)
    with tenant.context(DAYS, now, "project_attachments") as ctx:
        projects.extract_project_attachments(ctx, max_bytes=max_bytes)


def _latest_contents(data_dir: Path) -> dict[str, str]:
    frame = Lake(data_dir / "lake").scan(CONTENTS)
    assert frame is not None
    latest = frame.sort("fetched_at", descending=True).unique("object_id", keep="first")
    return dict(latest.select("object_id", "sha256").collect().iter_rows())


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_documents_and_files_named_by_edit_activities_are_downloaded_again(
    tmp_path: Path,
) -> None:
    first_run = NOW - timedelta(minutes=20)
    edited = first_run + timedelta(minutes=5)
    with fake_tenant(tmp_path) as tenant:
        tenant.add_project(PROJECT, NOW - timedelta(hours=2))
        tenant.add_document(PROJECT, DOC, "first draft, nothing to see")
        tenant.add_project_file(PROJECT, EDITED_FILE, b"old notes")
        tenant.add_project_file(PROJECT, KEPT_FILE, b"kept notes")
        _extract_projects(tenant, first_run)

        tenant.documents[DOC] = f"second draft\n{SECRET_LINE}\n"
        tenant.replace_file(EDITED_FILE, b"new notes")
        # The listing's project_doc has no md5 and a null updated_at: only the feed says.
        tenant.add_activity(
            "activity_02",
            "claude_project_document_updated",
            edited,
            claude_project_id=PROJECT,
            claude_project_document_id=DOC,
        )
        tenant.add_activity(
            "activity_03",
            "claude_project_file_uploaded",
            edited,
            claude_project_id=PROJECT,
            claude_file_id=EDITED_FILE,
        )
        _extract_projects(tenant, NOW)
        _extract_projects(tenant, NOW + timedelta(seconds=1))  # the hourly re-run

        downloads = {
            DOC: tenant.requests(f"/apps/projects/documents/{DOC}"),
            EDITED_FILE: tenant.requests(f"/apps/chats/files/{EDITED_FILE}/content"),
            KEPT_FILE: tenant.requests(f"/apps/chats/files/{KEPT_FILE}/content"),
        }

    # Once before the edit, once after it; the re-run and the untouched file cost nothing.
    assert downloads == {DOC: 2, EDITED_FILE: 2, KEPT_FILE: 1}
    assert _latest_contents(tmp_path) == {
        DOC: _sha(f"second draft\n{SECRET_LINE}\n".encode()),
        EDITED_FILE: _sha(b"new notes"),
        KEPT_FILE: _sha(b"kept notes"),
    }

    # The new blob goes through text extraction and the DLP as any other.
    lake, blobs = Lake(tmp_path / "lake"), BlobStore(tmp_path / "blobs")
    limits = ExtractLimits.from_env()
    extract_texts(TextRun(lake, blobs, NOW, "file_texts", limits, 1, 64 * MB), DAYS)
    texts = lake.scan(TEXTS)
    assert texts is not None
    doc_texts = texts.filter(pl.col("source_id") == DOC).collect()["text"].to_list()
    assert any(SECRET_LINE in text for text in doc_texts)
    policy = policy_for(None, NOW.date())
    score_days(ScoreRun(lake, NOW, "dlp", b"k" * 32, policy, BatchLimits(10_000, 64 * MB)), DAYS)
    findings = lake.scan(FINDINGS)
    assert findings is not None
    found = findings.filter(pl.col("source_id") == DOC).collect()["detector"].to_list()
    assert "aws_access_key_id" in found


def test_content_listed_over_the_cap_is_quarantined_without_a_request(tmp_path: Path) -> None:
    with fake_tenant(tmp_path) as tenant:
        tenant.add_project(PROJECT, NOW - timedelta(hours=2))
        tenant.add_project_file(PROJECT, EDITED_FILE, b"x" * (CAP + 1))
        tenant.add_project_file(PROJECT, KEPT_FILE, b"small")
        _extract_projects(tenant, NOW)
        _extract_projects(tenant, NOW + timedelta(seconds=1))
        requests = {
            file_id: tenant.requests(f"/apps/chats/files/{file_id}/content")
            for file_id in (EDITED_FILE, KEPT_FILE)
        }

    assert requests == {EDITED_FILE: 0, KEPT_FILE: 1}
    quarantine = Lake(tmp_path / "lake").scan(QUARANTINE)
    assert quarantine is not None
    reasons = quarantine.filter(pl.col("object_id") == EDITED_FILE).collect()["reason"]
    assert reasons.to_list() == [
        f"listed size {CAP + 1} bytes is over the download cap of {CAP} bytes "
        "(CASB_TEXTRACT_MAX_BYTES); not downloaded"
    ]
    assert set(_latest_contents(tmp_path)) == {KEPT_FILE}
