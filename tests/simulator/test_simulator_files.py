"""Downloads: headers as documented, and every format opens in its own library."""

from __future__ import annotations

import base64
import hashlib
import io
import random
import zipfile
from urllib.parse import unquote

import httpx
from docx import Document
from openpyxl import load_workbook
from PIL import Image
from pptx import Presentation
from pypdf import PdfReader

from casb_pipeline.simulator import Simulator
from casb_pipeline.simulator.documents import KINDS, FileSpec, build, locations
from casb_pipeline.simulator.planted import planted_snippet


def _spec(kind: str) -> FileSpec:
    rng = random.Random(kind)
    placements = tuple(
        (where, planted_snippet("iban", rng, "example.org")) for where in locations(kind)
    )
    return FileSpec(
        kind, f"report.{KINDS[kind][0]}", "finance", "fr", 42, 1_767_225_600, placements
    )


def test_every_kind_builds_reproducibly_and_opens() -> None:
    opened = {
        "docx": lambda b: Document(io.BytesIO(b)).paragraphs,
        "xlsx": lambda b: load_workbook(io.BytesIO(b)).sheetnames,
        "pptx": lambda b: Presentation(io.BytesIO(b)).slides,
        "pdf": lambda b: PdfReader(io.BytesIO(b)).pages[2].extract_text(),
        "zip": lambda b: zipfile.ZipFile(io.BytesIO(b)).testzip() is None,
        "png": lambda b: Image.open(io.BytesIO(b)).size,
    }
    for kind in KINDS:
        data = build(_spec(kind))
        assert data == build(_spec(kind)), f"{kind} bytes are reproducible"
        if kind in opened:
            assert opened[kind](data)
        else:
            data.decode("utf-8")


def test_nested_zip_holds_a_zip_and_a_docx() -> None:
    outer = zipfile.ZipFile(io.BytesIO(build(_spec("zip"))))
    inner = zipfile.ZipFile(io.BytesIO(outer.read("archive/inner.zip")))
    assert "notes/credentials.txt" in inner.namelist()
    Document(io.BytesIO(outer.read("docs/summary.docx")))


def test_content_headers_and_metadata_agree(sim: Simulator, client: httpx.Client) -> None:
    kinds_seen, names = set(), []
    for file_id in sorted(sim.expected_ids("chat_files")):
        meta = client.get(f"/apps/chats/files/{file_id}").json()
        response = client.get(f"/apps/chats/files/{file_id}/content")
        assert response.headers["transfer-encoding"] == "chunked"
        disposition = response.headers["content-disposition"]
        assert disposition.startswith("attachment; filename*=utf-8''")
        assert unquote(disposition.split("''", 1)[1]) == meta["filename"]
        assert response.headers["content-type"] == meta["mime_type"]
        digest = hashlib.md5(response.content, usedforsecurity=False).digest()
        assert response.headers["content-md5"] == base64.b64encode(digest).decode()
        assert meta["md5"] == digest.hex() and meta["size_bytes"] == len(response.content)
        names.append(meta["filename"])
        extension = meta["filename"].rsplit(".", 1)[-1]
        if extension in ("docx", "pptx", "pdf") and not response.content.startswith(
            (b"PK", b"%PDF")
        ):
            kinds_seen.add("extracted-text")
        kinds_seen.add(extension)
    assert {"docx", "xlsx", "pptx", "pdf", "zip", "png", "csv", "extracted-text"} <= kinds_seen
    assert not all(name.isascii() for name in names), "some names need RFC 5987 encoding"


def test_generated_files_download_and_expired_ones_are_404(
    sim: Simulator, client: httpx.Client
) -> None:
    expired = 0
    for file_id in sim.expected_ids("generated_files"):
        meta = client.get(f"/apps/chats/generated-files/{file_id}").json()
        response = client.get(f"/apps/chats/generated-files/{file_id}/content")
        if meta["size_bytes"] is None:
            expired += 1
            assert response.status_code == 404
            assert (
                response.json()["error"]["message"]
                == f"Generated file content not found: '{file_id}'"
            )
        else:
            assert response.status_code == 200 and len(response.content) == meta["size_bytes"]
    assert len(sim.expected_ids("generated_files")) > expired


def test_project_files_use_the_file_endpoints(sim: Simulator, client: httpx.Client) -> None:
    files = [i for i in sim.expected_ids("project_attachments") if i.startswith("claude_file_")]
    assert files
    for file_id in files:
        meta = client.get(f"/apps/chats/files/{file_id}").json()
        assert meta["message_ids"] == [] and meta["claude_chat_ids"] == []
        assert client.get(f"/apps/chats/files/{file_id}/content").status_code == 200


def test_unknown_ids_are_specific_404s(client: httpx.Client) -> None:
    cases = {
        "/apps/chats/claude_chat_01nope/messages": "Chat conversation not found: '{}'",
        "/apps/chats/generated-files/claude_gen_file_01x": "Generated file not found: '{}'",
        "/apps/artifacts/claude_artifact_version_01x": "Artifact version not found: '{}'",
        "/apps/projects/claude_proj_01x": "No project is found with the provided id.",
        "/apps/projects/documents/claude_proj_doc_01x": (
            "No project document found with the provided id."
        ),
    }
    for path, message in cases.items():
        response = client.get(path)
        expected = message.format(path.split("/")[-2 if path.endswith("messages") else -1])
        assert (response.status_code, response.json()["error"]["message"]) == (404, expected)
    response = client.get("/apps/chats/files/claude_file_01x")
    assert response.status_code == 404 and response.json()["error"]["message"].startswith(
        "File not found: "
    )
    assert "claude_file_" not in response.json()["error"]["message"]
