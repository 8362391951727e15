"""Content downloads: size cap, checksums, hostile file names, cut streams, text content."""

from __future__ import annotations

import base64
import hashlib
import json
import stat
from urllib.parse import quote

import pytest
from fake_compliance_api import Reply

from casb_pipeline.compliance import (
    ChecksumMismatch,
    ContentTooLarge,
    MalformedResponseError,
    safe_filename,
)
from casb_pipeline.compliance.downloads import filename_from_disposition, save_verified
from casb_pipeline.lake.files import TEMP_PREFIX

FILE_CONTENT = "/v1/compliance/apps/chats/files/claude_file_1/content"
DATA = b"%PDF-1.7 " + bytes(range(256)) * 40


def _md5(data: bytes):
    return hashlib.md5(data, usedforsecurity=False)


def _md5_b64(data: bytes) -> str:
    return base64.b64encode(_md5(data).digest()).decode()


def _content(data: bytes = DATA, name: str = "€ rates.pdf", **headers: str) -> Reply:
    chunks = [data[i : i + 1000] for i in range(0, len(data), 1000)]
    return Reply(
        chunks=chunks,
        headers={
            "content-type": "application/pdf",
            "content-disposition": f"attachment; filename*=utf-8''{quote(name)}",
            "content-md5": _md5_b64(data),
            "request-id": "req_dl",
            **headers,
        },
    )


def _leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_download_is_verified_hashed_and_moved_into_place(api, make_client, tmp_path):
    api.route("GET", FILE_CONTENT, _content())
    client = make_client()
    dest = tmp_path / "blob"

    got = client.download_file(
        "claude_file_1", dest, max_bytes=len(DATA), expected_md5=_md5(DATA).hexdigest()
    )

    assert dest.read_bytes() == DATA
    assert (got.path, got.size) == (dest, len(DATA))
    assert got.sha256 == hashlib.sha256(DATA).hexdigest()
    assert got.md5 == _md5(DATA).hexdigest()
    assert (got.content_type, got.filename, got.request_id) == (
        "application/pdf",
        "€ rates.pdf",
        "req_dl",
    )
    assert stat.S_IMODE(dest.stat().st_mode) == 0o600
    assert _leftovers(tmp_path) == ["blob"]
    assert client.stats.snapshot()["bytes_downloaded"] == len(DATA)


def test_size_cap_aborts_and_leaves_nothing(api, make_client, tmp_path):
    api.route("GET", FILE_CONTENT, _content())
    with pytest.raises(ContentTooLarge, match=f"more than {len(DATA) - 1} bytes"):
        make_client().download_file("claude_file_1", tmp_path / "blob", max_bytes=len(DATA) - 1)
    assert _leftovers(tmp_path) == []
    assert len(api.requests()) == 1


def test_content_md5_mismatch_in_transit_is_retried(api, make_client, tmp_path):
    api.route("GET", FILE_CONTENT, _content())
    api.script("GET", FILE_CONTENT, _content(**{"content-md5": _md5_b64(b"other")}))
    got = make_client().download_file("claude_file_1", tmp_path / "blob", max_bytes=10**6)
    assert got.size == len(DATA)
    assert len(api.requests()) == 2


def test_persistent_content_md5_mismatch_fails_and_stores_nothing(api, make_client, tmp_path):
    api.route("GET", FILE_CONTENT, _content(**{"content-md5": "not base64!"}))
    with pytest.raises(ChecksumMismatch) as caught:
        make_client(max_retries=2).download_file("claude_file_1", tmp_path / "b", max_bytes=10**6)
    assert caught.value.in_transit is True
    assert _leftovers(tmp_path) == []
    assert len(api.requests()) == 3


def test_metadata_md5_is_checked_when_no_content_md5(api, make_client, tmp_path):
    reply = _content()
    del reply.headers["content-md5"]
    api.route("GET", FILE_CONTENT, reply)
    client = make_client()
    with pytest.raises(ChecksumMismatch) as caught:
        client.download_file(
            "claude_file_1", tmp_path / "blob", max_bytes=10**6, expected_md5="0" * 32
        )
    assert caught.value.in_transit is False
    assert len(api.requests()) == 1  # a property of the stored content: not retried
    good = _md5(DATA).hexdigest().upper()
    assert client.download_file(
        "claude_file_1", tmp_path / "blob", max_bytes=10**6, expected_md5=good
    ).size == len(DATA)


def test_content_md5_is_authoritative_over_the_metadata(api, make_client, tmp_path):
    api.route("GET", FILE_CONTENT, _content())
    got = make_client().download_file(
        "claude_file_1", tmp_path / "blob", max_bytes=10**6, expected_md5="0" * 32
    )
    assert got.md5 == _md5(DATA).hexdigest()


def test_prematurely_closed_stream_is_retried(api, make_client, tmp_path):
    cut = _content()
    cut.chunks = cut.chunks[:3]
    cut.cut_stream = True
    api.route("GET", FILE_CONTENT, _content())
    api.script("GET", FILE_CONTENT, cut)
    client = make_client()
    got = client.download_file("claude_file_1", tmp_path / "blob", max_bytes=10**6)
    assert (tmp_path / "blob").read_bytes() == DATA
    assert got.size == len(DATA)
    assert len(api.requests()) == 2
    assert client.stats.snapshot()["bytes_downloaded"] == len(DATA)
    assert _leftovers(tmp_path) == ["blob"]


@pytest.mark.parametrize(
    ("hostile", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\win.ini", "win.ini"),
        ("-rf", "rf"),
        ("--help .txt", "help .txt"),
        (".bashrc", "bashrc"),
        ("..", None),
        ("", None),
        ("report\u202etxt.exe", "reporttxt.exe"),
        ("a\x00b\nc.txt", "abc.txt"),
        ("semi;colon|pipe$.txt", "semi_colon_pipe_.txt"),
        ("日本語 レポート.xlsx", "日本語 レポート.xlsx"),
        ("Ünïcödé.pdf", "Ünïcödé.pdf"),
        ("trailing dots...", "trailing dots"),
    ],
)
def test_hostile_names_become_safe(api, make_client, tmp_path, hostile, safe):
    assert safe_filename(hostile) == safe
    api.route("GET", FILE_CONTENT, _content(name=hostile))
    got = make_client().download_file("claude_file_1", tmp_path / "blob", max_bytes=10**6)
    assert got.filename == safe


def test_long_names_are_capped_keeping_the_extension():
    name = safe_filename("é" * 300 + ".pdf")
    assert name is not None
    assert len(name.encode()) <= 200
    assert name.endswith("é.pdf")


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("attachment; filename=\"plain.txt\"; filename*=utf-8''%E2%82%AC.txt", "€.txt"),
        ("attachment; filename*=UTF-8'en'%E2%82%AC%20rates.pdf", "€ rates.pdf"),
        ("attachment; filename*=utf-8''%FF%FE.txt", "__.txt"),
        ('attachment; filename="only-plain.csv"', "only-plain.csv"),
        ("attachment", None),
        (None, None),
    ],
)
def test_content_disposition_decoding(header, name):
    assert filename_from_disposition(header) == name


def test_generated_file_download(api, make_client, tmp_path):
    path = "/v1/compliance/apps/chats/generated-files/claude_gen_file_1/content"
    api.route("GET", path, _content(b"a,b\n1,2\n", name="out.csv"))
    got = make_client().download_generated_file("claude_gen_file_1", tmp_path / "g", max_bytes=100)
    assert (got.filename, got.size) == ("out.csv", 8)


DOC_TEXT = "1. Check indemnity caps\n2. Prüfe das Recht\n"


def test_project_document_is_saved_as_utf8(api, make_client, tmp_path):
    body = {
        "id": "claude_proj_doc_1",
        "filename": "../checklist.md",
        "created_at": None,
        "content": DOC_TEXT,
        "user": None,
    }
    api.route("GET", "/v1/compliance/apps/projects/documents/claude_proj_doc_1", Reply(json=body))
    data = DOC_TEXT.encode()
    client = make_client()
    got = client.download_project_document(
        "claude_proj_doc_1",
        tmp_path / "doc",
        max_bytes=len(data),
        expected_md5=_md5(data).hexdigest(),
    )
    assert (tmp_path / "doc").read_bytes() == data
    assert (got.size, got.filename) == (len(data), "checklist.md")
    with pytest.raises(ContentTooLarge):
        client.download_project_document(
            "claude_proj_doc_1", tmp_path / "d2", max_bytes=len(data) - 1
        )
    with pytest.raises(ChecksumMismatch):
        client.download_project_document(
            "claude_proj_doc_1", tmp_path / "d3", max_bytes=10**6, expected_md5="1" * 32
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["doc"]
    assert client.project_document("claude_proj_doc_1").content == DOC_TEXT


ARTIFACT = "/v1/compliance/apps/artifacts/claude_artifact_version_1/content"
ARTIFACT_TEXT = "# Redline summary\n\n- §7.2 cap raised\n"


def test_artifact_json_content(api, make_client, tmp_path):
    body = {
        "content": ARTIFACT_TEXT,
        "title": "Redlines",
        "artifact_type": "text/markdown",
        "extra": True,
    }
    api.route("GET", ARTIFACT, Reply(json=body))
    client = make_client()
    content = client.artifact_content("claude_artifact_version_1")
    assert (content.content, content.title, content.artifact_type) == (
        ARTIFACT_TEXT,
        "Redlines",
        "text/markdown",
    )
    assert ARTIFACT_TEXT not in repr(content)
    data = ARTIFACT_TEXT.encode()
    got = client.download_artifact(
        "claude_artifact_version_1",
        tmp_path / "a",
        max_bytes=1000,
        expected_md5=_md5(data).hexdigest(),
    )
    assert (tmp_path / "a").read_bytes() == data
    assert got.content_type == "text/markdown"


@pytest.mark.parametrize("text", [ARTIFACT_TEXT, '{"not": "an envelope"}'])
def test_artifact_plain_text_fallback(api, make_client, tmp_path, text):
    api.route("GET", ARTIFACT, Reply(body=text.encode(), headers={"content-type": "text/plain"}))
    client = make_client()
    assert client.artifact_content("claude_artifact_version_1").content == text
    got = client.download_artifact(
        "claude_artifact_version_1",
        tmp_path / "a",
        max_bytes=1000,
        expected_md5=_md5(text.encode()).hexdigest(),
    )
    assert got.size == len(text.encode())


def test_truncated_artifact_json_is_retried_and_wrong_json_is_not(api, make_client):
    good = json.dumps({"content": ARTIFACT_TEXT}).encode()
    api.route("GET", ARTIFACT, Reply(body=good))
    api.script("GET", ARTIFACT, Reply(body=good[:20]))
    client = make_client()
    assert client.artifact_content("claude_artifact_version_1").content == ARTIFACT_TEXT
    assert len(api.requests()) == 2
    api.script("GET", ARTIFACT, Reply(json={"text": "no content key"}))
    with pytest.raises(MalformedResponseError, match="no 'content' string"):
        client.artifact_content("claude_artifact_version_1")
    assert len(api.requests()) == 3


def test_content_md5_on_a_json_endpoint_may_describe_body_or_text(api, make_client, tmp_path):
    body = json.dumps({"content": ARTIFACT_TEXT}).encode()
    client = make_client(max_retries=1)
    for served in (body, ARTIFACT_TEXT.encode()):
        api.script("GET", ARTIFACT, Reply(body=body, headers={"content-md5": _md5_b64(served)}))
        client.download_artifact("claude_artifact_version_1", tmp_path / "a", max_bytes=1000)
    api.route("GET", ARTIFACT, Reply(body=body, headers={"content-md5": _md5_b64(b"x")}))
    with pytest.raises(ChecksumMismatch):
        client.download_artifact("claude_artifact_version_1", tmp_path / "b", max_bytes=1000)


def test_a_download_in_progress_uses_the_lake_s_temporary_naming(tmp_path):
    """A download killed half-way leaves a file `remove_stale_temps` recognises."""
    folder = tmp_path / "blobs"
    folder.mkdir()
    during: list[str] = []

    def chunks():
        yield b"first half "
        during.extend(p.name for p in folder.iterdir())
        yield b"second half"

    save_verified(
        folder / "claude_file_1",
        chunks(),
        max_bytes=100,
        on_too_large=lambda: AssertionError("not too large"),
        check=lambda digests: None,
    )

    assert len(during) == 1
    assert during[0].startswith(TEMP_PREFIX)
    assert _leftovers(folder) == ["claude_file_1"]
