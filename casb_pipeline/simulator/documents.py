"""Real files built with real libraries: text, code, configs, Office, PDF, ZIP, PNG.

A :class:`FileSpec` says what to build; its ``placements`` put snippets at
*part labels* (the same labels the text extraction reports: ``body``,
``table:1``, ``header``, ``footer``, ``sheet:<name>``, ``slide:N``,
``slide:N:notes``, ``page:N``, ``member:<path>`` joined by ``!``; None for
text-like files). Output bytes are reproducible: OOXML and ZIP entries get a
fixed timestamp, PDFs a fixed creation date.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime

from casb_pipeline.simulator import content
from casb_pipeline.simulator.planted import Snippet

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

# kind: (extension, mime type). "*_text" kinds are Office/PDF uploads that the
# API stores as extracted text but still names and types as the original.
KINDS: dict[str, tuple[str, str]] = {
    "txt": ("txt", "text/plain"),
    "md": ("md", "text/markdown"),
    "csv": ("csv", "text/csv"),
    "json": ("json", "application/json"),
    "py": ("py", "text/x-python"),
    "yaml": ("yaml", "application/yaml"),
    "env": ("env", "text/plain"),
    "docx": ("docx", DOCX_MIME),
    "xlsx": ("xlsx", XLSX_MIME),
    "pptx": ("pptx", PPTX_MIME),
    "pdf": ("pdf", "application/pdf"),
    "zip": ("zip", "application/zip"),
    "png": ("png", "image/png"),
    "docx_text": ("docx", DOCX_MIME),
    "pptx_text": ("pptx", PPTX_MIME),
    "pdf_text": ("pdf", "application/pdf"),
}
EXTRACTED_KINDS = frozenset({"docx_text", "pptx_text", "pdf_text"})
NESTED_MEMBER = "archive/inner.zip"
XLSX_SHEETS = ("Summary", "Data", "Vendors")
PPTX_SLIDES = 3
PDF_PAGES = 3
_ZIP_TIME = (2025, 1, 1, 0, 0, 0)


def locations(kind: str) -> tuple[str | None, ...]:
    """Every part label a snippet can be placed at in a file of ``kind``."""
    if kind == "docx":
        return ("body", "table:1", "header", "footer")
    if kind == "xlsx":
        return tuple(f"sheet:{name}" for name in XLSX_SHEETS)
    if kind == "pptx":
        slides = range(1, PPTX_SLIDES + 1)
        return tuple(label for n in slides for label in (f"slide:{n}", f"slide:{n}:notes"))
    if kind == "pdf":
        return tuple(f"page:{n}" for n in range(1, PDF_PAGES + 1))
    if kind == "zip":
        return (
            "member:README.md",
            "member:data/export.csv",
            "member:docs/summary.docx!body",
            f"member:{NESTED_MEMBER}!member:notes/credentials.txt",
        )
    if kind == "png":
        return ()
    return (None,)


@dataclass(frozen=True)
class FileSpec:
    """A file to build: its kind, name, look, and the snippets it must contain."""

    kind: str
    filename: str
    topic: str
    lang: str
    seed: int
    created: int
    placements: tuple[tuple[str | None, Snippet], ...] = ()

    @property
    def mime_type(self) -> str:
        return KINDS[self.kind][1]

    def at(self, location: str | None) -> list[str]:
        return [snippet.text for where, snippet in self.placements if where == location]


def build(spec: FileSpec) -> bytes:
    """The stored bytes of ``spec`` (reproducible)."""
    rng = random.Random(spec.seed)
    builder = _BUILDERS.get(spec.kind)
    if builder is not None:
        return builder(spec, rng)
    if spec.kind in EXTRACTED_KINDS:
        return _extracted_text(spec, rng).encode()
    return _text_file(spec, rng).encode()


def _body_lines(spec: FileSpec, rng: random.Random, location: str | None) -> list[str]:
    lines = content.paragraphs(rng, spec.lang, rng.randint(2, 4))
    for text in spec.at(location):
        lines.insert(rng.randint(1, len(lines)), text)
    return lines


def _text_file(spec: FileSpec, rng: random.Random) -> str:
    planted = spec.at(None)
    kind = spec.kind
    if kind == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        rows = [
            [*list(row), "note"] if i == 0 else [*row, ""]
            for i, row in enumerate(content.table_rows(spec.topic))
        ]
        for text in planted:
            rows.insert(rng.randint(1, len(rows)), ["manual entry", "", "", text])
        writer.writerows(rows)
        return out.getvalue()
    if kind == "json":
        record = json.loads(content.json_config(spec.topic))
        record["notes"] = planted or ["no notes"]
        return json.dumps(record, ensure_ascii=False, indent=2) + "\n"
    if kind == "py":
        body = content.code_snippet(rng)
        notes = "".join(f'NOTES_{n} = """\n{text}\n"""\n' for n, text in enumerate(planted))
        return f'"""Helpers for the {spec.topic} reports."""\n\n{notes}\n{body}'
    if kind == "yaml":
        return content.yaml_config() + "".join(
            f"# {t}\n" if "\n" not in t else t + "\n" for t in planted
        )
    if kind == "env":
        return content.env_config() + "".join(t + "\n" for t in planted)
    title = "# " if kind == "md" else ""
    head = f"{title}{content.chat_title(rng, spec.topic, spec.lang)}\n\n"
    return head + "\n\n".join(_body_lines(spec, rng, None)) + "\n"


def _extracted_text(spec: FileSpec, rng: random.Random) -> str:
    """What claude.ai keeps of an Office/PDF upload: its text only."""
    head = content.chat_title(rng, spec.topic, spec.lang)
    return head + "\n\n" + "\n\n".join(_body_lines(spec, rng, None)) + "\n"


def _fixed_ooxml(data: bytes, created: int) -> bytes:
    """Rewrite an OOXML package with fixed entry times and document dates."""
    stamp = datetime.fromtimestamp(created, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            blob = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                blob = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rb"\g<1>" + stamp.encode() + rb"\g<2>",
                    blob,
                )
            target.writestr(zipfile.ZipInfo(info.filename, _ZIP_TIME), blob, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _docx(spec: FileSpec, rng: random.Random) -> bytes:
    from docx import Document  # the Office/PDF libraries load only when a file is built

    document = Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "\n".join(["Internal - " + spec.topic, *spec.at("header")])
    section.footer.paragraphs[0].text = "\n".join(["Page footer", *spec.at("footer")])
    document.add_heading(content.chat_title(rng, spec.topic, spec.lang), level=1)
    for line in _body_lines(spec, rng, "body"):
        document.add_paragraph(line)
    rows = content.table_rows(spec.topic)
    planted = spec.at("table:1")
    table = document.add_table(rows=len(rows) + len(planted), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            table.cell(r, c).text = cell
    for offset, text in enumerate(planted):
        table.cell(len(rows) + offset, 0).text = "Note"
        table.cell(len(rows) + offset, 1).text = text
    out = io.BytesIO()
    document.save(out)
    return _fixed_ooxml(out.getvalue(), spec.created)


def _xlsx(spec: FileSpec, rng: random.Random) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    rows = content.table_rows(spec.topic)
    for name in XLSX_SHEETS:
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
        for text in spec.at(f"sheet:{name}"):
            sheet.append(["note", text])
    out = io.BytesIO()
    workbook.save(out)
    return _fixed_ooxml(out.getvalue(), spec.created)


def _pptx(spec: FileSpec, rng: random.Random) -> bytes:
    from pptx import Presentation
    from pptx.util import Inches, Pt

    deck = Presentation()
    layout = deck.slide_layouts[1]
    for n in range(1, PPTX_SLIDES + 1):
        slide = deck.slides.add_slide(layout)
        slide.shapes.title.text = content.chat_title(rng, spec.topic, spec.lang)
        body = slide.placeholders[1].text_frame
        body.text = content.paragraphs(rng, spec.lang, 1)[0]
        for text in spec.at(f"slide:{n}"):
            box = slide.shapes.add_textbox(Inches(0.5), Inches(6.2), Inches(9), Inches(1))
            box.text_frame.text = text
            box.text_frame.paragraphs[0].runs[0].font.size = Pt(8)
        notes = ["Speaker notes: keep it short.", *spec.at(f"slide:{n}:notes")]
        slide.notes_slide.notes_text_frame.text = "\n".join(notes)
    out = io.BytesIO()
    deck.save(out)
    return _fixed_ooxml(out.getvalue(), spec.created)


def _latin1(text: str) -> str:
    return text.replace("€", "EUR").encode("latin-1", "replace").decode("latin-1")


def _pdf(spec: FileSpec, rng: random.Random) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(orientation="L")
    pdf.set_creation_date(datetime.fromtimestamp(spec.created, UTC))
    pdf.set_auto_page_break(auto=False)
    for n in range(1, PDF_PAGES + 1):
        pdf.add_page()
        pdf.set_font("Helvetica", size=14)
        pdf.cell(0, 10, _latin1(f"{spec.topic.title()} report - page {n}"))
        pdf.ln(12)
        pdf.set_font("Helvetica", size=10)
        lang = "en" if spec.lang == "ja" else spec.lang
        for line in content.paragraphs(rng, lang, 2):
            pdf.multi_cell(0, 5, _latin1(line))
            pdf.ln(2)
        pdf.set_font("Courier", size=6)
        for text in spec.at(f"page:{n}"):
            for line in text.splitlines():
                pdf.cell(0, 3, _latin1(line))
                pdf.ln(3)
    return bytes(pdf.output())


def _zip_bytes(members: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, blob in members:
            archive.writestr(zipfile.ZipInfo(name, _ZIP_TIME), blob, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _zip(spec: FileSpec, rng: random.Random) -> bytes:
    def sub(kind: str, prefix: str) -> FileSpec:
        inner = tuple(
            (where.removeprefix(prefix) or None, snippet)
            for where, snippet in spec.placements
            if where and where.startswith(prefix)
        )
        return FileSpec(kind, "x", spec.topic, spec.lang, rng.getrandbits(32), spec.created, inner)

    readme = sub("md", "member:README.md")
    export = sub("csv", "member:data/export.csv")
    summary = sub("docx", "member:docs/summary.docx!")
    secret_notes = sub("txt", f"member:{NESTED_MEMBER}!member:notes/credentials.txt")
    inner = _zip_bytes(
        [("notes/credentials.txt", build(secret_notes)), ("notes/todo.md", b"- rotate keys\n")]
    )
    return _zip_bytes(
        [
            ("README.md", build(readme)),
            ("data/export.csv", build(export)),
            ("docs/summary.docx", build(summary)),
            (NESTED_MEMBER, inner),
        ]
    )


def _png(spec: FileSpec, rng: random.Random) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (96, 64), (250, 250, 250))
    draw = ImageDraw.Draw(image)
    for i in range(6):
        height = rng.randint(8, 56)
        draw.rectangle((6 + i * 15, 62 - height, 16 + i * 15, 62), fill=(40, 90 + i * 25, 160))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


_BUILDERS = {
    "docx": _docx,
    "xlsx": _xlsx,
    "pptx": _pptx,
    "pdf": _pdf,
    "zip": _zip,
    "png": _png,
}
