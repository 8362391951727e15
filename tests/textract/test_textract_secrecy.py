"""Content never shows in reprs or reasons: only formats, locations and lengths."""

from __future__ import annotations

from textract_samples import email, zip_file

from casb_pipeline.textract import extract_bytes
from casb_pipeline.textract.signals import describe_error
from casb_pipeline.textract.sniff import sniff

CARD = "4539148803436467"


def test_reprs_show_lengths_not_text() -> None:
    value = email("repr")
    data = f"card {CARD} owner {value}".encode()
    extraction = extract_bytes(data)
    assert value in extraction.parts[0].text
    for shown in (repr(extraction), repr(sniff(data))):
        assert value not in shown
        assert CARD not in shown
    assert "text=<" in repr(extraction.parts[0])


def test_library_messages_are_masked_in_reasons() -> None:
    error = ValueError(f"invalid literal for int() with base 10: b'{CARD}' near {CARD}99")
    assert describe_error(error) == "ValueError: invalid literal for int() with base 10: '…' near #"
    kept = KeyError("There is no item named 'word/document.xml' in the archive")
    assert describe_error(kept) == (
        "KeyError: There is no item named 'word/document.xml' in the archive"
    )
    assert len(describe_error(RuntimeError("x" * 1000))) < 200


def test_a_corrupt_member_reason_names_the_member_not_its_content() -> None:
    value = email("corrupt-member")
    data = bytearray(zip_file({"notes.txt": f"{value} {CARD}".encode() * 50}))
    data[40:60] = bytes(20)  # damage the compressed data of the only member
    extraction = extract_bytes(bytes(data))
    assert extraction.status == "quarantined"
    assert extraction.reason is not None
    assert extraction.reason.startswith("member:notes.txt: corrupt ZIP member: ")
    assert value not in extraction.reason
    assert CARD not in extraction.reason
