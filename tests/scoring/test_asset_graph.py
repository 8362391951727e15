"""Where the text and DLP assets sit in the project's definitions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import dagster as dg

from assets.definitions import build_definitions
from casb_pipeline.config import Settings


def test_text_and_dlp_assets_are_daily_single_run_and_feed_the_warehouse(tmp_path: Path) -> None:
    settings = Settings.from_env({"CASB_DATA_DIR": str(tmp_path), "CASB_FINGERPRINT_KEY": "k"})
    graph = build_definitions(settings, start=date(2026, 3, 1)).resolve_asset_graph()
    texts, findings = graph.get(dg.AssetKey("file_texts")), graph.get(dg.AssetKey("dlp_findings"))
    assert (texts.group_name, findings.group_name) == ("text", "dlp")
    for node in (texts, findings):
        assert isinstance(node.partitions_def, dg.DailyPartitionsDefinition)
        assert node.backfill_policy == dg.BackfillPolicy.single_run()
    assert {k.to_user_string() for k in texts.parent_keys} == {
        "chat_files",
        "generated_files",
        "artifacts",
        "project_attachments",
    }
    assert {k.to_user_string() for k in findings.parent_keys} == {
        "chat_messages",
        "projects",
        "file_texts",
    }
    assert dg.AssetKey("dlp_findings") in graph.get(dg.AssetKey("warehouse")).parent_keys
    checks = {key.name for key in texts.check_keys}
    assert checks == {"primary_key_unique", "schema_as_expected", "nothing_quarantined"}
