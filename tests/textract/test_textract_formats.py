"""Every supported format, built for real, with planted values checked part by part."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from PIL import Image
from textract_samples import (
    Expected,
    docx_file,
    email,
    pdf_file,
    pdf_with_form,
    pptx_file,
    with_member_replaced,
    xlsx_file,
    zip_file,
)

from casb_pipeline.textract import Extraction, extract_bytes


def parts_of(extraction: Extraction) -> dict[str | None, str]:
    labels = [part.part for part in extraction.parts]
    assert len(labels) == len(set(labels)), f"a label is repeated: {labels}"
    return {part.part: part.text for part in extraction.parts}


def assert_planted(extraction: Extraction, expected: Expected) -> None:
    """Every planted value is in its part, and in no other."""
    assert extraction.status == "scanned", extraction.reason
    parts = parts_of(extraction)
    for label, values in expected.items():
        assert label in parts, f"missing part {label!r}; have {sorted(map(str, parts))}"
        for value in values:
            found_in = [other for other, text in parts.items() if value in text]
            assert found_in == [label], f"{value} found in {found_in}, expected [{label!r}]"


def test_docx_body_tables_headers_footers_and_comments() -> None:
    data, expected = docx_file()
    extraction = extract_bytes(data, filename="msa_v3.docx")
    assert extraction.detected_format == "docx"
    assert_planted(extraction, expected)
    table = parts_of(extraction)["table:1"].splitlines()
    assert table[0] == f"Employee\tSSN\t{email('table1-a')}"
    assert table[1].count(email("table1-merged")) == 1, "a merged cell is given once"
    assert parts_of(extraction)["body"].count(email("text-box")) == 1, "one copy of a box"


def test_xlsx_every_sheet_with_cells_separated_by_tabs() -> None:
    data, expected = xlsx_file()
    extraction = extract_bytes(data)
    assert extraction.detected_format == "xlsx"
    assert_planted(extraction, expected)
    people = parts_of(extraction)["sheet:People"].splitlines()
    assert people == ["name\temail\tsalary", f"Ann Lee\t{email('sheet-people')}\t81000"]


def test_xlsx_rows_and_columns_past_a_wrongly_declared_range_are_read() -> None:
    data, expected = xlsx_file()
    sheet = "xl/worksheets/sheet1.xml"
    narrowed = with_member_replaced(
        data, sheet, lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:A1"', xml)
    )
    assert b'ref="A1:A1"' in zipfile.ZipFile(io.BytesIO(narrowed)).read(sheet)
    assert_planted(extract_bytes(narrowed), expected)


def test_pptx_slides_tables_groups_and_notes() -> None:
    data, expected = pptx_file()
    extraction = extract_bytes(data)
    assert extraction.detected_format == "pptx"
    assert_planted(extraction, expected)
    assert f"owner\t{email('slide2-table')}" in parts_of(extraction)["slide:2"]


def test_pdf_text_per_page() -> None:
    data, expected = pdf_file(pages=4)
    extraction = extract_bytes(data)
    assert extraction.detected_format == "pdf"
    assert_planted(extraction, expected)
    assert [part.part for part in extraction.parts] == ["page:1", "page:2", "page:3", "page:4"]


def test_pdf_filled_form_fields() -> None:
    value = email("form-field")
    extraction = extract_bytes(pdf_with_form(value))
    assert parts_of(extraction) == {"form": f"contact: {value}"}


def test_zip_members_recursively_with_nested_labels() -> None:
    pdf, pdf_expected = pdf_file(pages=2)
    docx_data, docx_expected = docx_file()
    inner = zip_file({"deep/notes.txt": f"call {email('inner-txt')}".encode(), "report.pdf": pdf})
    outer = zip_file(
        {
            "readme.md": f"# Export\nowner {email('outer-md')}\n".encode(),
            "inner.zip": inner,
            "docs/msa.docx": docx_data,
            "logo.png": png_image(),
            "empty/": b"",
        }
    )
    expected: Expected = {
        "member:readme.md": [email("outer-md")],
        "member:inner.zip!member:deep/notes.txt": [email("inner-txt")],
        **{f"member:inner.zip!member:report.pdf!{k}": v for k, v in pdf_expected.items()},
        **{f"member:docs/msa.docx!{k}": v for k, v in docx_expected.items()},
    }
    extraction = extract_bytes(outer, filename="export.zip")
    assert extraction.detected_format == "zip"
    assert_planted(extraction, expected)
    assert extraction.notes == (
        "member:logo.png: not scanned: png (image/png): no text extraction for this type",
    )


@pytest.mark.parametrize(
    ("encoding", "data", "reported"),
    [
        ("utf-8", "Zürich: {v}\n".encode(), "utf-8"),
        ("utf-8 with BOM", "\ufeffZürich: {v}\n".encode(), "utf-8-sig"),
        ("utf-16-le with BOM", "\ufeffZürich: {v}\n".encode("utf-16-le"), "utf-16"),
        ("utf-16-be with BOM", "\ufeffZürich: {v}\n".encode("utf-16-be"), "utf-16"),
        ("utf-32 with BOM", "Zürich: {v}\n".encode("utf-32"), "utf-32"),
    ],
)
def test_unicode_text_by_bom_or_validity(encoding: str, data: bytes, reported: str) -> None:
    value = email(encoding.replace(" ", "-"))
    payload = data.decode(_python_codec(data)).replace("{v}", value).encode(_python_codec(data))
    extraction = extract_bytes(payload, filename="notes.txt")
    assert (extraction.detected_format, extraction.encoding) == ("text", reported)
    assert parts_of(extraction) == {None: f"Zürich: {value}\n"}


def _python_codec(data: bytes) -> str:
    for bom, codec in (
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            return codec
    return "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"


def test_latin1_text_is_decoded_not_mangled() -> None:
    value = email("latin1")
    text = f"Straße, Müller & Söhne — Kontoinhaber: {value}. Grüße aus Köln, naïve café.\n"
    extraction = extract_bytes(text.replace("—", "-").encode("latin-1"))
    assert extraction.status == "scanned"
    assert extraction.encoding not in (None, "utf-8")
    assert parts_of(extraction) == {None: text.replace("—", "-")}


def test_shift_jis_text_keeps_japanese_context_words() -> None:
    value = email("sjis")
    text = f"お客様のメールアドレスは {value} です。クレジットカード番号を送らないでください。\n"
    extraction = extract_bytes((text * 3).encode("shift_jis"))
    assert extraction.encoding is not None
    assert extraction.encoding.replace("_", "").lower() in ("shiftjis", "cp932")
    assert parts_of(extraction) == {None: text * 3}


def test_invalid_utf8_bytes_are_replaced_and_reported() -> None:
    value = email("broken-utf8")
    data = "Zürich office: ".encode() + b"\xff\xfe" + f" naïve {value}".encode()
    extraction = extract_bytes(data)
    assert (extraction.status, extraction.encoding) == ("scanned", "utf-8")
    assert parts_of(extraction) == {None: f"Zürich office: \ufffd\ufffd naïve {value}"}
    assert extraction.notes == ("2 undecodable bytes replaced",)


def test_csv_rows_become_tab_separated_lines() -> None:
    value = email("csv")
    data = f'name,email,note\n"Lee, Ann",{value},"two\nlines"\nBo,x@y.org,ok\n'.encode()
    extraction = extract_bytes(data, filename="export.csv", declared_mime="text/csv")
    assert extraction.detected_format == "csv"
    assert parts_of(extraction)[None].splitlines() == [
        "name\temail\tnote",
        f"Lee, Ann\t{value}\ttwo",
        "lines",
        "Bo\tx@y.org\tok",
    ]


def test_delimited_text_without_a_name_is_recognised() -> None:
    rows = "\n".join(f"{n}\tuser{n}\t{email(f'tsv{n}')}" for n in range(5))
    extraction = extract_bytes(rows.encode())
    assert extraction.detected_format == "tsv"
    assert email("tsv3") in parts_of(extraction)[None]


def test_json_becomes_path_value_lines() -> None:
    value = email("json")
    document = {"customer": {"contact": value, "card": 4111111111111111, "tags": ["vip", None]}}
    extraction = extract_bytes(json.dumps(document).encode(), filename="export.txt")
    assert extraction.detected_format == "json"
    assert parts_of(extraction)[None].splitlines() == [
        f"customer.contact: {value}",
        "customer.card: 4111111111111111",
        "customer.tags[0]: vip",
        "customer.tags[1]: null",
    ]


def test_html_text_attributes_scripts_and_cells() -> None:
    value = email("html")
    markup = (
        "<!DOCTYPE html><html><head><title>Invoice</title><style>p{color:red}</style>"
        '<script>const key = "sk_live_abc";</script></head><body><p>Contact&nbsp;us: '
        f'<a href="mailto:{value}">mail</a></p><table><tr><td>card</td><td>4111</td></tr>'
        "</table><!-- token: ghp_hidden --></body></html>"
    )
    extraction = extract_bytes(markup.encode(), filename="invoice.txt")
    assert extraction.detected_format == "html"
    text = parts_of(extraction)[None]
    assert f"mailto:{value}" in text
    assert 'const key = "sk_live_abc"' in text
    assert "token: ghp_hidden" in text
    assert "card\t4111" in text
    assert "color:red" not in text
    assert "Contact\xa0us:" in text


@pytest.mark.parametrize(
    ("name", "mime", "content", "detected"),
    [
        ("review_checklist.md", None, "1. Check caps\n2. Check law\n", "markdown"),
        (None, "text/markdown", "plain words\n", "markdown"),
        (None, None, "# Title\n\nSome words.\n", "markdown"),
        ("deploy.sh", None, "export TOKEN=abc\n", "code"),
        (None, "application/vnd.ant.code", "x = 1\n", "code"),
        (None, None, "#!/usr/bin/env python\nprint(1)\n", "code"),
        (".env", None, "DB_PASSWORD=hunter2\n", "code"),
        ("notes.csv", None, "This is prose, with commas, not a table.\nReally.\n", "text"),
        ("msa_v3.docx", None, "Text of a Word upload served as extracted text.\n", "text"),
        (None, None, '<?xml version="1.0"?><a>b</a>', "xml"),
        (None, None, '<?xml version="1.0"?>\n<html><body><p>x</p></body></html>', "html"),
        ("notes.txt", None, "Just a note.\n", "text"),
    ],
)
def test_text_formats_from_content_and_name_tie_breaks(
    name: str | None, mime: str | None, content: str, detected: str
) -> None:
    extraction = extract_bytes(content.encode(), filename=name, declared_mime=mime)
    assert (extraction.status, extraction.detected_format) == ("scanned", detected)
    assert [part.part for part in extraction.parts] == [None]


def test_format_comes_from_bytes_not_name() -> None:
    pdf, expected = pdf_file(pages=1)
    extraction = extract_bytes(pdf, filename="notes.txt", declared_mime="text/plain")
    assert extraction.detected_format == "pdf"
    assert_planted(extraction, expected)
    image = extract_bytes(png_image(), filename="notes.txt", declared_mime="text/plain")
    assert (image.status, image.detected_format) == ("not_scanned", "png")


def png_image() -> bytes:
    return _image("PNG")


@pytest.mark.parametrize(
    ("pil_format", "detected"), [("PNG", "png"), ("JPEG", "jpeg"), ("GIF", "gif")]
)
def test_images_are_not_scanned_with_the_type_named(pil_format: str, detected: str) -> None:
    extraction = extract_bytes(_image(pil_format), filename="scan.pdf")
    assert (extraction.status, extraction.detected_format) == ("not_scanned", detected)
    assert extraction.reason == f"{detected} (image/{detected}): no text extraction for this type"
    assert extraction.parts == ()


def _image(pil_format: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, pil_format)
    return buffer.getvalue()


def test_unknown_binary_is_not_scanned() -> None:
    data = bytes(range(256)) * 64
    extraction = extract_bytes(data, filename="data.txt")
    assert (extraction.status, extraction.detected_format) == ("not_scanned", "binary")
    assert extraction.reason == "unrecognised binary data: no text to extract"


def test_empty_file_is_scanned_with_nothing_in_it() -> None:
    extraction = extract_bytes(b"", filename="empty.txt")
    assert (extraction.status, extraction.detected_format, extraction.parts) == (
        "scanned",
        "empty",
        (),
    )
