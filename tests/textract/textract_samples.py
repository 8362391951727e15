"""Real files of every supported format, built in memory with planted values.

Each builder returns the file's bytes and ``{part label: [planted values]}`` so that a
test can check that every value lands in its part and nowhere else.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable

import docx
import openpyxl
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from fpdf import FPDF
from pptx import Presentation
from pptx.util import Inches
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    TextStringObject,
)

Expected = dict[str | None, list[str]]


def email(tag: str) -> str:
    """A planted value that any DLP engine reports: an address unique to ``tag``."""
    return f"{tag.replace(':', '.').replace(' ', '_').lower()}@contoso-payroll.com"


def docx_file() -> tuple[bytes, Expected]:
    """Body, two tables (one with a merged and a nested cell), headers and footers of two
    sections (first-page variant included) and a comment."""
    expected: Expected = {}
    document = docx.Document()
    document.add_paragraph(f"Quarterly review, contact {email('body1')}")
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).text = "Employee"
    table.cell(0, 1).text = "SSN"
    table.cell(0, 2).text = email("table1-a")
    table.cell(1, 0).merge(table.cell(1, 1)).text = email("table1-merged")
    table.cell(1, 2).add_table(rows=1, cols=1).cell(0, 0).text = email("table1-nested")
    document.add_paragraph(f"Second paragraph {email('body2')}")
    second = document.add_table(rows=1, cols=2)
    second.cell(0, 0).text = "card"
    second.cell(0, 1).text = email("table2")
    paragraph = document.add_paragraph("Reviewed by legal.")
    document.add_comment(paragraph.runs, text=f"ask {email('comment')}", author="R")
    first = document.sections[0]
    first.header.paragraphs[0].text = f"Confidential {email('header1')}"
    first.footer.paragraphs[0].text = f"Page footer {email('footer1')}"
    first.different_first_page_header_footer = True
    first.first_page_header.paragraphs[0].text = f"Cover {email('header-first')}"
    section = document.add_section()
    section.header.is_linked_to_previous = False
    section.header.paragraphs[0].text = f"Annex {email('header2')}"
    document.add_paragraph(f"Annex body {email('body3')}")
    for xml in _hidden_from_plain_paragraphs():
        body = document.element.body
        body.insert(len(body) - 1, parse_xml(xml))  # before the final section properties
    expected["body"] = [
        email(tag)
        for tag in (
            *("body1", "body2", "body3", "control", "inline-control", "inserted"),
            *("deleted", "text-box", "smart-tag"),
        )
    ]
    expected["table:1"] = [email("table1-a"), email("table1-merged"), email("table1-nested")]
    expected["table:2"] = [email("table2")]
    expected["header"] = [email("header1"), email("header-first"), email("header2")]
    expected["footer"] = [email("footer1")]
    expected["comments"] = [email("comment")]
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue(), expected


_RUN = "<w:r><w:t xml:space='preserve'>{}</w:t></w:r>"


def _hidden_from_plain_paragraphs() -> list[str]:
    """Body content that Word shows but python-docx's ``Paragraph.text`` leaves out: a
    block content control, an inline one, tracked changes, a smart tag and a text box
    (with the fallback copy Word writes for old versions)."""
    w = nsdecls("w")
    box = (
        "<w:txbxContent><w:p>"
        + _RUN.format(f"boxed {email('text-box')}")
        + "</w:p></w:txbxContent>"
    )
    return [
        f"<w:sdt {w}><w:sdtContent><w:p>{_RUN.format(email('control'))}</w:p>"
        "</w:sdtContent></w:sdt>",
        f"<w:p {w}>{_RUN.format('Signed: ')}<w:sdt><w:sdtContent>"
        f"{_RUN.format(email('inline-control'))}</w:sdtContent></w:sdt></w:p>",
        f"<w:p {w}><w:ins w:id='1' w:author='A'>{_RUN.format(email('inserted'))}</w:ins>"
        f"<w:del w:id='2' w:author='A'><w:r><w:delText>{email('deleted')}</w:delText></w:r>"
        "</w:del></w:p>",
        f"<w:p {w}><w:smartTag w:uri='u' w:element='e'>{_RUN.format(email('smart-tag'))}"
        "</w:smartTag></w:p>",
        f"<w:p {nsdecls('w', 'wp', 'a')} "
        "xmlns:mc='http://schemas.openxmlformats.org/markup-compatibility/2006' "
        "xmlns:wps='http://schemas.microsoft.com/office/word/2010/wordprocessingShape' "
        "xmlns:v='urn:schemas-microsoft-com:vml'><w:r><mc:AlternateContent>"
        "<mc:Choice Requires='wps'><w:drawing><wp:anchor><a:graphic><a:graphicData>"
        f"<wps:wsp><wps:txbx>{box}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor>"
        "</w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>"
        f"{box}</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>",
    ]


def xlsx_file() -> tuple[bytes, Expected]:
    workbook = openpyxl.Workbook()
    people = workbook.active
    people.title = "People"
    people.append(["name", "email", "salary"])
    people.append(["Ann Lee", email("sheet-people"), 81000])
    keys = workbook.create_sheet("Q3 Keys")
    keys["C5"] = email("sheet-keys")
    keys["A1"] = 4111111111111111
    notes = workbook.create_sheet("Notes")
    notes.append([None, None, f"owner {email('sheet-notes')}"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    expected: Expected = {
        "sheet:People": [email("sheet-people")],
        "sheet:Q3 Keys": [email("sheet-keys"), "4111111111111111"],
        "sheet:Notes": [email("sheet-notes")],
    }
    return buffer.getvalue(), expected


def with_member_replaced(archive: bytes, member: str, edit: Callable[[bytes], bytes]) -> bytes:
    """``archive`` with ``member``'s bytes passed through ``edit``."""
    with zipfile.ZipFile(io.BytesIO(archive)) as source:
        members = {name: source.read(name) for name in source.namelist()}
    members[member] = edit(members[member])
    return zip_file(members)


def pptx_file() -> tuple[bytes, Expected]:
    presentation = Presentation()
    first = presentation.slides.add_slide(presentation.slide_layouts[1])
    first.shapes.title.text = "Vendor onboarding"
    first.placeholders[1].text = f"Send the form to {email('slide1')}"
    second = presentation.slides.add_slide(presentation.slide_layouts[5])
    second.shapes.title.text = "Accounts"
    frame = second.shapes.add_table(2, 2, Inches(1), Inches(2), Inches(6), Inches(2))
    frame.table.cell(0, 0).text = "owner"
    frame.table.cell(0, 1).text = email("slide2-table")
    group = second.shapes.add_group_shape()
    box = group.shapes.add_textbox(Inches(1), Inches(5), Inches(3), Inches(1))
    box.text_frame.text = f"grouped {email('slide2-group')}"
    second.notes_slide.notes_text_frame.text = f"Speaker: call {email('slide2-notes')}"
    buffer = io.BytesIO()
    presentation.save(buffer)
    expected: Expected = {
        "slide:1": [email("slide1")],
        "slide:2": [email("slide2-table"), email("slide2-group")],
        "slide:2:notes": [email("slide2-notes")],
    }
    return buffer.getvalue(), expected


def pdf_file(pages: int = 3) -> tuple[bytes, Expected]:
    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    expected: Expected = {}
    for number in range(1, pages + 1):
        pdf.add_page()
        value = email(f"page{number}")
        pdf.multi_cell(0, 8, text=f"Page {number} of the report.\nEscalate to {value} today.")
        expected[f"page:{number}"] = [value]
    return bytes(pdf.output()), expected


def pdf_with_form(value: str) -> bytes:
    """A one-page PDF whose AcroForm has a filled-in text field holding ``value``."""
    writer = PdfWriter()
    writer.add_blank_page(300, 300)
    field = DictionaryObject(
        {
            NameObject("/FT"): NameObject("/Tx"),
            NameObject("/T"): TextStringObject("contact"),
            NameObject("/V"): TextStringObject(value),
        }
    )
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject([writer._add_object(field)])}
    )
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_with_broken_page(pages: int, broken: int) -> tuple[bytes, Expected]:
    """``pdf_file(pages)`` whose page ``broken`` has a content stream cut mid-string."""
    data, expected = pdf_file(pages)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    stream = DecodedStreamObject()
    stream.set_data(b"BT /F1 12 Tf (cut) Tj ET (no end")
    writer.pages[broken - 1][NameObject("/Contents")] = writer._add_object(stream)
    buffer = io.BytesIO()
    writer.write(buffer)
    del expected[f"page:{broken}"]
    return buffer.getvalue(), expected


def encrypted_pdf(user_password: str, algorithm: str) -> bytes:
    reader = PdfReader(io.BytesIO(pdf_file(2)[0]))
    writer = PdfWriter(clone_from=reader)
    writer.encrypt(user_password, owner_password="owner-secret", algorithm=algorithm)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def zip_file(members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def nested_zips(levels: int, innermost: dict[str, bytes]) -> bytes:
    """``levels`` archives, each holding the next as ``level<N>.zip``."""
    data = zip_file(innermost)
    for level in range(levels - 1, 0, -1):
        data = zip_file({f"level{level + 1}.zip": data})
    return data


def mark_encrypted(archive: bytes, member: str) -> bytes:
    """Set the 'encrypted' flag of ``member`` in its local and central headers, as a
    password-protecting archiver does (the data itself stays as it was)."""
    data = bytearray(archive)
    name = member.encode()
    for signature, flag_offset, name_offset in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            if data[start + name_offset : start + name_offset + len(name)] == name:
                (flags,) = struct.unpack_from("<H", data, start + flag_offset)
                struct.pack_into("<H", data, start + flag_offset, flags | 0x1)
            start += 4
    return bytes(data)


def ole_file(streams: dict[str, bytes]) -> bytes:
    """A minimal valid OLE compound file (CFB v3) holding ``streams``.

    Each stream must be at least 4096 bytes so that it lives in regular sectors (no
    mini stream is written). This is the container of password-protected OOXML
    (``EncryptionInfo`` + ``EncryptedPackage``) and of legacy .doc/.xls/.ppt files.
    """
    sector = 512
    end_of_chain, fat_sector, free, no_stream = 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF, 0xFFFFFFFF
    fat = [fat_sector, end_of_chain]  # sector 0: the FAT, sector 1: the directory
    starts = []
    for data in streams.values():
        assert len(data) >= 4096
        count = -(-len(data) // sector)
        first = len(fat)
        starts.append(first)
        fat.extend([*range(first + 1, first + count), end_of_chain])
    assert len(fat) <= sector // 4 and len(streams) <= 3
    fat.extend([free] * (sector // 4 - len(fat)))

    def entry(name: str, kind: int, right: int, child: int, start: int, size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBB3I", len(encoded), kind, 1, no_stream, right, child)
            + bytes(16 + 4 + 16)
            + struct.pack("<IQ", start, size)
        )

    names = list(streams)
    directory = entry("Root Entry", 5, no_stream, 1 if names else no_stream, end_of_chain, 0)
    for index, name in enumerate(names):
        right = index + 2 if index + 1 < len(names) else no_stream
        directory += entry(name, 2, right, no_stream, starts[index], len(streams[name]))
    directory = directory.ljust(sector, b"\0")
    header = (
        bytes.fromhex("D0CF11E0A1B11AE1")
        + bytes(16)
        + struct.pack("<HHHHH6xIIIIIII", 0x3E, 3, 0xFFFE, 9, 6, 0, 1, 1, 0, 4096, end_of_chain, 0)
        + struct.pack("<II", end_of_chain, 0)
        + struct.pack("<I", 0)
        + struct.pack("<108I", *([free] * 108))
    )
    body = b"".join(
        data.ljust(-(-len(data) // sector) * sector, b"\0") for data in streams.values()
    )
    return header + struct.pack(f"<{sector // 4}I", *fat) + directory + body


def slow_pdf(operations: int) -> bytes:
    """One page whose content stream holds ``operations`` text operations: a file pypdf
    spends seconds on inside a single ``extract_text`` call."""
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    fonts = DictionaryObject({NameObject("/F1"): writer._add_object(font)})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
    stream = DecodedStreamObject()
    stream.set_data(b"BT /F1 12 Tf 10 10 Td " + b"(word) Tj 1 0 Td " * operations + b"ET")
    page[NameObject("/Contents")] = writer._add_object(stream)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
