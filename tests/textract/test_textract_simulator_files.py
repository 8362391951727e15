"""The embedded simulator's files, fetched over HTTP, yield every planted value in the
part its answer key names: the two sides share the part labels."""

from __future__ import annotations

from datetime import date

import httpx

from casb_pipeline.simulator import Simulator, SimulatorConfig, answer_key
from casb_pipeline.textract import Extraction, extract_bytes

ANCHOR = date(2026, 10, 15)
CONTENT_PATHS = {
    "chat_file": "apps/chats/files/{}/content",
    "project_attachment": "apps/chats/files/{}/content",
    "generated_file": "apps/chats/generated-files/{}/content",
}
EVERY_FORMAT = {"text", "markdown", "csv", "json", "code", "pdf", "docx", "xlsx", "pptx", "zip"}


def test_simulator_files_of_every_format_give_planted_values_in_their_parts() -> None:
    config = SimulatorConfig(seed=7, scale="small", anchor=ANCHOR, rate_limit_rpm=0)
    planted = [
        value
        for value in answer_key(config.seed, config.scale, config.anchor).planted
        if value.source_type in CONTENT_PATHS and not value.source_id.startswith("claude_proj_doc_")
    ]
    extractions: dict[str, Extraction | None] = {}
    checked: set[str] = set()
    with (
        Simulator(config) as simulator,
        httpx.Client(
            base_url=f"{simulator.base_url}/v1/compliance",
            headers={"x-api-key": simulator.api_key},
            timeout=30,
        ) as client,
    ):
        for value in planted:
            if value.source_id not in extractions:
                response = client.get(CONTENT_PATHS[value.source_type].format(value.source_id))
                # A planted file may be gone (expired generated file): nothing to read.
                extractions[value.source_id] = (
                    extract_bytes(response.content, declared_mime=response.headers["content-type"])
                    if response.status_code == 200
                    else None
                )
            extraction = extractions[value.source_id]
            if extraction is None:
                continue
            parts = {part.part: part.text for part in extraction.parts}
            assert extraction.status == "scanned", (value.source_id, extraction.reason)
            assert value.part in parts, (value.source_id, value.part, sorted(map(str, parts)))
            assert value.value in parts[value.part], (value.source_id, value.part)
            checked.add(extraction.detected_format)
    assert checked >= EVERY_FORMAT
