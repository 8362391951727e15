"""Bad input ends quarantined (or not scanned) with a specific reason; nothing is lost."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from textract_samples import (
    docx_file,
    email,
    encrypted_pdf,
    mark_encrypted,
    nested_zips,
    ole_file,
    pdf_file,
    pdf_with_broken_page,
    with_member_replaced,
    xlsx_file,
    zip_file,
)

from casb_pipeline.config import ConfigError
from casb_pipeline.textract import ExtractLimits, TextPart, extract_bytes, extract_file

MIB = 1024 * 1024


def test_corrupt_pdf() -> None:
    data = b"%PDF-1.7\n" + os.urandom(4000) + b"\n%%EOF\n"
    extraction = extract_bytes(data)
    assert (extraction.status, extraction.detected_format) == ("quarantined", "pdf")
    assert extraction.reason is not None
    assert extraction.reason.startswith("corrupt PDF: ")


def test_truncated_pdf_keeps_readable_pages() -> None:
    data, _ = pdf_file(pages=3)
    extraction = extract_bytes(data[: len(data) - 300])
    assert (extraction.status, extraction.detected_format) == ("quarantined", "pdf")
    assert extraction.reason is not None
    assert extraction.reason.startswith("truncated PDF (no %%EOF marker)")


def test_unreadable_pdf_page_is_reported_and_the_other_pages_kept() -> None:
    data, expected = pdf_with_broken_page(pages=3, broken=2)
    extraction = extract_bytes(data)
    assert extraction.status == "quarantined"
    assert extraction.reason == "page:2: unreadable: PdfStreamError: Stream has ended unexpectedly"
    assert [part.part for part in extraction.parts] == list(expected) == ["page:1", "page:3"]


def test_pdf_with_a_user_password_is_quarantined() -> None:
    extraction = extract_bytes(encrypted_pdf("open-sesame", "AES-256"))
    assert (extraction.status, extraction.detected_format) == ("quarantined", "pdf")
    assert extraction.reason == "encrypted PDF: a password is needed to open it"


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_pdf_encrypted_with_empty_user_password_is_read(algorithm: str) -> None:
    _, expected = pdf_file(2)
    extraction = extract_bytes(encrypted_pdf("", algorithm))
    assert extraction.status == "scanned", extraction.reason
    assert {part.part for part in extraction.parts} == set(expected)


def test_password_protected_office_document_is_quarantined() -> None:
    data = ole_file({"EncryptionInfo": os.urandom(4096), "EncryptedPackage": os.urandom(9000)})
    extraction = extract_bytes(data, filename="payroll.xlsx")
    assert (extraction.status, extraction.detected_format) == ("quarantined", "encrypted_ooxml")
    assert extraction.reason == "encrypted Office document (password-protected DOCX, XLSX or PPTX)"


def test_legacy_word_file_is_not_scanned() -> None:
    extraction = extract_bytes(ole_file({"WordDocument": os.urandom(5000)}), filename="old.doc")
    assert (extraction.status, extraction.detected_format) == ("not_scanned", "doc")
    assert extraction.reason == "legacy Word (.doc) binary format is not read; only DOCX is"


def test_truncated_docx_is_quarantined() -> None:
    data, _ = docx_file()
    extraction = extract_bytes(data[: len(data) // 2], filename="msa.docx")
    assert (extraction.status, extraction.detected_format) == ("quarantined", "zip")
    assert extraction.reason is not None
    assert extraction.reason.startswith("corrupt or truncated ZIP (central directory unreadable)")


def test_docx_with_broken_xml_is_quarantined() -> None:
    data, _ = docx_file()
    broken = with_member_replaced(data, "word/document.xml", lambda xml: xml[:500])
    extraction = extract_bytes(broken)
    assert (extraction.status, extraction.detected_format) == ("quarantined", "docx")
    assert extraction.reason is not None
    assert extraction.reason.startswith("corrupt DOCX: XMLSyntaxError")


def test_oversized_bytes_and_file(tmp_path: Path) -> None:
    data, _ = pdf_file(pages=2)
    limits = ExtractLimits(max_bytes=len(data) - 1)
    reason = f"file too large: {len(data) / 1024:.1f} KiB > {(len(data) - 1) / 1024:.1f} KiB cap"
    from_bytes = extract_bytes(data, limits=limits)
    path = tmp_path / "blob"
    path.write_bytes(data)
    from_file = extract_file(path, limits=limits)
    for extraction in (from_bytes, from_file):
        assert (extraction.status, extraction.detected_format) == ("quarantined", "pdf")
        assert extraction.reason == f"{reason} (CASB_TEXTRACT_MAX_BYTES)"
        assert extraction.parts == ()


def test_unreadable_path_is_quarantined(tmp_path: Path) -> None:
    extraction = extract_file(tmp_path / "missing")
    assert (extraction.status, extraction.reason) == (
        "quarantined",
        "unreadable file: No such file or directory",
    )


def test_zip_bomb_member_ratio() -> None:
    data = zip_file({"ok.txt": b"fine", "zeros.bin": bytes(4 * MIB)})
    extraction = extract_bytes(data)
    assert (extraction.status, extraction.detected_format) == ("quarantined", "zip")
    assert extraction.reason is not None
    assert extraction.reason.startswith("zip bomb: member:zeros.bin ratio 10")
    assert extraction.reason.endswith(" > 100")


def test_zip_bomb_overall_ratio_of_many_small_members() -> None:
    members = {f"part{n}.txt": b"a" * (200 * 1024) for n in range(12)}
    extraction = extract_bytes(zip_file(members))
    assert extraction.status == "quarantined"
    assert extraction.reason is not None
    assert extraction.reason.startswith("zip bomb: overall ratio ")


def test_zip_bomb_total_size_across_nesting() -> None:
    random_member = os.urandom(700 * 1024)
    inner = zip_file({"a.bin": random_member, "b.bin": random_member})
    data = zip_file({"inner.zip": inner}, compression=zipfile.ZIP_STORED)
    extraction = extract_bytes(data, limits=ExtractLimits(max_zip_total_bytes=2 * MIB))
    assert extraction.status == "quarantined"
    assert extraction.reason == "zip bomb: 2.7 MiB uncompressed in total > 2.0 MiB cap"


def test_zip_nesting_past_the_cap() -> None:
    value = email("deep")
    ok = extract_bytes(nested_zips(10, {"secret.txt": value.encode()}))
    assert ok.status == "scanned"
    label = "!".join(f"member:level{n}.zip" for n in range(2, 11)) + "!member:secret.txt"
    assert ok.parts == (TextPart(label, value),)
    too_deep = extract_bytes(nested_zips(11, {"secret.txt": value.encode()}))
    assert too_deep.status == "quarantined"
    assert too_deep.reason == "zip bomb: archives nested more than 10 deep"


def test_bad_members_are_reported_and_the_others_kept() -> None:
    value = email("good-member")
    data = zip_file(
        {
            "good.txt": value.encode(),
            "locked.pdf": pdf_file(1)[0],
            "broken.pdf": b"%PDF-1.4\n" + os.urandom(500) + b"%%EOF",
        }
    )
    extraction = extract_bytes(mark_encrypted(data, "locked.pdf"))
    assert extraction.status == "quarantined"
    assert extraction.parts == (TextPart("member:good.txt", value),)
    assert extraction.reason is not None
    locked, broken = extraction.reason.split("; ")
    assert locked == "member:locked.pdf: encrypted ZIP member (password-protected)"
    assert broken.startswith("member:broken.pdf: corrupt PDF: ")


def test_archive_of_images_only_is_not_scanned() -> None:
    data = zip_file({"a.gif": b"GIF89a" + os.urandom(300), "b.bin": os.urandom(300)})
    extraction = extract_bytes(data)
    assert extraction.status == "not_scanned"
    assert extraction.reason == "archive without text: 2 member(s), none with text to scan"
    assert len(extraction.notes) == 2


def test_character_cap_cuts_and_flags() -> None:
    data, _ = xlsx_file()
    extraction = extract_bytes(data, limits=ExtractLimits(max_chars=40))
    assert (extraction.status, extraction.truncated) == ("scanned", True)
    assert sum(len(part.text) for part in extraction.parts) == 40
    assert [part.part for part in extraction.parts] == ["sheet:People"]


def test_character_cap_reached_exactly_between_parts() -> None:
    data = zip_file({"a.txt": b"x" * 10, "b.txt": b"y" * 5})
    extraction = extract_bytes(data, limits=ExtractLimits(max_chars=10))
    assert (extraction.status, extraction.truncated) == ("scanned", True)
    assert extraction.parts == (TextPart("member:a.txt", "x" * 10),)


def test_time_cap_stops_a_long_extraction() -> None:
    data, _ = pdf_file(pages=30)
    extraction = extract_bytes(data, limits=ExtractLimits(timeout_s=0.001))
    assert (extraction.status, extraction.detected_format) == ("quarantined", "pdf")
    assert extraction.reason == "time cap 0.001 s exceeded"


def test_limits_from_environment() -> None:
    env = {"CASB_TEXTRACT_MAX_BYTES": "1048576", "CASB_TEXTRACT_TIMEOUT_S": "2.5"}
    assert ExtractLimits.from_env(env) == ExtractLimits(max_bytes=MIB, timeout_s=2.5)
    assert ExtractLimits.from_env({}) == ExtractLimits()


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CASB_TEXTRACT_MAX_BYTES": "100MB"}, "CASB_TEXTRACT_MAX_BYTES='100MB' is not a whole"),
        ({"CASB_TEXTRACT_TIMEOUT_S": "soon"}, "CASB_TEXTRACT_TIMEOUT_S='soon' is not a number"),
        ({"CASB_TEXTRACT_MAX_ZIP_DEPTH": "0"}, "max_zip_depth=0 (CASB_TEXTRACT_MAX_ZIP_DEPTH)"),
        ({"CASB_TEXTRACT_MAX_ZIP_RATIO": "nan"}, "max_zip_ratio=nan (CASB_TEXTRACT_MAX_ZIP_RATIO)"),
    ],
)
def test_bad_limits_name_the_variable(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        ExtractLimits.from_env(env)
