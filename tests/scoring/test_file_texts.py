"""The file_texts asset over a lake holding blobs of every format, broken ones included."""

from __future__ import annotations

import io
import json
import struct
import warnings
import zipfile
import zlib

import dagster as dg
import polars as pl

from casb_pipeline.lake import QUARANTINE
from casb_pipeline.scoring.outcomes import BLOB_MISSING
from tests.scoring.lake_fixture import DAY, LakeFixture, materialize, metadata, text_block
from tests.textract.textract_samples import (
    docx_file,
    email,
    encrypted_pdf,
    pdf_file,
    pptx_file,
    xlsx_file,
    zip_file,
)

MIB = 1024 * 1024
Expected = dict[str | None, list[str]]


def png_bytes() -> bytes:
    """A valid 1x1 grey PNG."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x80")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def zip_with_twin_members() -> bytes:
    """An archive holding two members of the same name (zip allows it)."""
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w") as archive:
        warnings.simplefilter("ignore", UserWarning)  # "Duplicate name"
        archive.writestr("a.txt", f"first {email('twin-1')}")
        archive.writestr("a.txt", f"second {email('twin-2')}")
    return buffer.getvalue()


def build_lake(fixture: LakeFixture) -> dict[tuple[str, str], Expected]:
    """Objects of every format for ``DAY``; returns the parts expected per source."""
    docx_data, docx_expected = docx_file()
    xlsx_data, xlsx_expected = xlsx_file()
    pptx_data, pptx_expected = pptx_file()
    pdf_data, pdf_expected = pdf_file(pages=2)
    notes = f"ops notes\nowner {email('zip-notes')}\n".encode()
    archive = zip_file({"report.pdf": pdf_data, "deep/notes.txt": notes})
    csv_data = f"name,email\nAnn,{email('csv')}\n".encode()
    json_data = json.dumps({"customer": {"contact": email("json")}}).encode()
    html_data = f"<html><body><p>Contact <a href='mailto:{email('html')}'>us</a></p>".encode()
    markdown = f"# Runbook\n\nPage {email('markdown')} when the job fails.\n".encode()
    content = [
        ("chat_file", "claude_file_docx", docx_data, "brief.docx", docx_expected),
        ("chat_file", "claude_file_xlsx", xlsx_data, "people.xlsx", xlsx_expected),
        (
            "chat_file",
            "claude_file_zip",
            archive,
            "bundle.zip",
            {
                **{f"member:report.pdf!{k}": v for k, v in pdf_expected.items()},
                "member:deep/notes.txt": [email("zip-notes")],
            },
        ),
        ("chat_file", "claude_file_csv", csv_data, "people.csv", {None: [email("csv")]}),
        (
            "chat_file",
            "claude_file_twins",
            zip_with_twin_members(),
            "twins.zip",
            {
                "member:a.txt": [email("twin-1"), email("twin-2")],
            },
        ),
        ("chat_file", "claude_file_png", png_bytes(), "logo.png", {}),
        ("generated_file", "claude_gen_file_pptx", pptx_data, "deck.pptx", pptx_expected),
        ("generated_file", "claude_gen_file_json", json_data, "out.json", {None: [email("json")]}),
        ("artifact", "artifact_version_html", html_data, None, {None: [email("html")]}),
        ("project_file", "claude_file_pdf", pdf_data, "report.pdf", pdf_expected),
        ("project_file", "claude_file_docx", docx_data, "brief.docx", docx_expected),
        ("project_doc", "claude_proj_doc_md", markdown, "runbook.md", {None: [email("markdown")]}),
        # Broken input: cut short, encrypted, a zip bomb, and bytes that never arrived.
        ("chat_file", "claude_file_cut", docx_data[: len(docx_data) // 2], "cut.docx", {}),
        ("chat_file", "claude_file_locked", encrypted_pdf("pw", "AES-256"), "locked.pdf", {}),
        ("chat_file", "claude_file_bomb", zip_file({"zeros.bin": b"\0" * 3 * MIB}), "z.zip", {}),
    ]
    expected = {}
    for object_type, object_id, data, filename, parts in content:
        fixture.content(DAY, object_type, object_id, data, filename=filename)
        source_type = "project_attachment" if object_type.startswith("project_") else object_type
        expected[(source_type, object_id)] = parts
    fixture.content(DAY, "chat_file", "claude_file_gone", None, sha256="0" * 64)
    fixture.flush_contents()
    uploads = [
        {"id": i}
        for i in (
            "claude_file_docx",
            "claude_file_xlsx",
            "claude_file_zip",
            "claude_file_csv",
            "claude_file_twins",
            "claude_file_png",
            "claude_file_cut",
            "claude_file_locked",
            "claude_file_bomb",
            "claude_file_gone",
        )
    ]
    generated = [{"id": "claude_gen_file_pptx"}, {"id": "claude_gen_file_json"}]
    fixture.write(
        "chat_messages",
        DAY,
        [
            fixture.message("msg_1", "chat_a", [text_block("see files")], files=uploads),
            fixture.message("msg_2", "chat_b", [text_block("done")], generated_files=generated),
        ],
    )
    fixture.write(
        "artifacts", DAY, [{"version_id": "artifact_version_html", "claude_chat_id": "chat_b"}]
    )
    fixture.write(
        "project_attachments",
        DAY,
        [
            {"id": "claude_file_pdf", "project_id": "proj_1", "type": "project_file"},
            {"id": "claude_file_docx", "project_id": "proj_1", "type": "project_file"},
            {"id": "claude_proj_doc_md", "project_id": "proj_1", "type": "project_doc"},
        ],
    )
    return expected


def test_every_format_lands_in_its_parts_and_broken_files_are_quarantined(
    fixture: LakeFixture, instance: dg.DagsterInstance
) -> None:
    expected = build_lake(fixture)
    result = materialize(fixture, instance, ["file_texts"])
    assert result.success

    texts = fixture.read("texts", "file_texts")
    for (source_type, source_id), parts in expected.items():
        rows = texts.filter(
            (pl.col("source_type") == source_type) & (pl.col("source_id") == source_id)
        )
        found = dict(zip(rows["part"], rows["text"], strict=True))
        for part, values in parts.items():
            assert part in found, (source_id, part, sorted(found, key=str))
            for value in values:
                assert value in found[part], (source_id, part, value)

    coverage = fixture.read("text_coverage", "file_texts")
    status = {
        r["source_id"]: (r["source_type"], r["status"], r["detected_format"])
        for r in coverage.iter_rows(named=True)
    }
    assert len(coverage) == len(expected) + 1  # one row per object, the missing blob too
    assert status["claude_file_docx"] == ("project_attachment", "scanned", "docx")
    assert status["claude_gen_file_pptx"] == ("generated_file", "scanned", "pptx")
    assert status["artifact_version_html"] == ("artifact", "scanned", "html")
    assert status["claude_file_png"] == ("chat_file", "not_scanned", "png")
    for broken in ("claude_file_cut", "claude_file_locked", "claude_file_bomb", "claude_file_gone"):
        assert status[broken][1] == "quarantined", broken
    reasons = dict(zip(coverage["source_id"], coverage["reason"], strict=True))
    assert reasons["claude_file_locked"] == "encrypted PDF: a password is needed to open it"
    assert reasons["claude_file_bomb"].startswith("zip bomb: member:zeros.bin ratio ")
    assert reasons["claude_file_cut"].startswith("corrupt or truncated ZIP")
    assert reasons["claude_file_gone"] == BLOB_MISSING

    # The chat or project of each object, from the messages, artifacts and attachments.
    owners = {
        (r["source_type"], r["source_id"]): (r["chat_id"], r["project_id"])
        for r in coverage.iter_rows(named=True)
    }
    assert owners[("chat_file", "claude_file_docx")] == ("chat_a", None)
    assert owners[("project_attachment", "claude_file_docx")] == (None, "proj_1")
    assert owners[("generated_file", "claude_gen_file_json")] == ("chat_b", None)
    assert owners[("artifact", "artifact_version_html")] == ("chat_b", None)
    assert owners[("project_attachment", "claude_proj_doc_md")] == (None, "proj_1")

    quarantine = fixture.read(QUARANTINE, "file_texts")
    assert sorted(quarantine["object_id"]) == sorted(
        ["claude_file_cut", "claude_file_locked", "claude_file_bomb", "claude_file_gone"]
    )
    assert set(quarantine["stream"]) == {"texts"}

    checks = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert checks["primary_key_unique"].passed and checks["schema_as_expected"].passed
    assert not checks["nothing_quarantined"].passed  # WARN: four objects quarantined
    meta = metadata(result, "file_texts")
    assert meta["objects"] == len(expected) + 1
    assert meta["quarantined"] == 4
    assert meta["objects_by_format"]["docx"] == 2  # one blob, a chat file and a project file
    assert meta["not_scanned_by_reason"] == {"png (image/png): no text extraction for this type": 1}
    assert meta["mb_read"] > 0


def test_a_second_run_copies_every_outcome_instead_of_reading_blobs_again(
    fixture: LakeFixture, instance: dg.DagsterInstance
) -> None:
    expected = build_lake(fixture)
    assert materialize(fixture, instance, ["file_texts"]).success
    first = {d: fixture.read(d, "file_texts") for d in ("texts", "text_coverage")}

    result = materialize(fixture, instance, ["file_texts"])
    assert result.success
    meta = metadata(result, "file_texts")
    assert meta["blobs_extracted"] == 0
    assert meta["objects_reused"] == len(expected)  # all but the missing blob
    order = ["source_type", "source_id", "part"]
    assert (
        fixture.read("texts", "file_texts")
        .sort(order, nulls_last=True)
        .equals(first["texts"].sort(order, nulls_last=True))
    )
    # Copied outcomes keep their extraction time; the missing blob is looked for again.
    again = fixture.read("text_coverage", "file_texts")
    copied = pl.col("source_id") != "claude_file_gone"
    assert (
        again.filter(copied)
        .sort(order[:2])
        .equals(first["text_coverage"].filter(copied).sort(order[:2]))
    )
    gone = again.filter(~copied).row(0, named=True)
    assert (gone["status"], gone["reason"]) == ("quarantined", BLOB_MISSING)
    assert gone["extracted_at"] > first["text_coverage"].filter(~copied)["extracted_at"][0]
