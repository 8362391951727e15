"""Text extraction throughput per format, against a baseline measured in the same run.

Builds a corpus of every supported format (``--mb`` MiB of files per format, written
to a temporary folder), then times, per format:

- baseline: read each file and decode it as UTF-8 (errors replaced), the least any
  extraction must do;
- ``extract_file`` on each file, in this process;

and prints MB/s of files, extracted characters per second and the ratio to the
baseline. Last, the whole corpus through ``extract_many`` (worker processes) against
``extract_file`` in a loop, which shows what the process pool costs or gains.

Run: ``.venv/bin/python benchmarks/textract_throughput.py [--mb 4] [--workers 2]``
"""

from __future__ import annotations

import argparse
import io
import json
import random
import tempfile
import textwrap
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import openpyxl
from fpdf import FPDF
from pptx import Presentation

from casb_pipeline.textract import ExtractJob, ExtractLimits, extract_file, extract_many

# fmt: off
WORDS = (
    "invoice", "contract", "vendor", "payroll", "account", "customer", "renewal", "indemnity",
    "clause", "review", "deadline", "budget", "forecast", "quarter", "revenue", "shipment",
    "escalation", "policy", "approval", "audit", "the", "of", "and", "to", "in", "for", "with",
    "on", "by", "from", "report", "team", "meeting", "draft", "final", "notes", "owner",
)
# fmt: on
FILES_PER_FORMAT = 8


def sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 16))
    if rng.random() < 0.1:
        words.append(f"contact {rng.choice(WORDS)}.{rng.randint(1, 999)}@example.org")
    if rng.random() < 0.05:
        words.append(f"card 4111 1111 1111 {rng.randint(1000, 9999)}")
    return " ".join(words).capitalize() + "."


def paragraphs(rng: random.Random, chars: int) -> list[str]:
    out: list[str] = []
    size = 0
    while size < chars:
        text = " ".join(sentence(rng) for _ in range(rng.randint(2, 6)))
        out.append(text)
        size += len(text) + 1
    return out


def text_file(rng: random.Random, size: int) -> bytes:
    return "\n".join(paragraphs(rng, size)).encode()


def latin1_file(rng: random.Random, size: int) -> bytes:
    body = "\n".join(paragraphs(rng, size)).replace("review", "Überprüfung café")
    return body.encode("latin-1")


def csv_file(rng: random.Random, size: int) -> bytes:
    rows = ["id,name,email,amount,note"]
    total = 0
    while total < size:
        number = len(rows)
        row = (
            f'{number},"{rng.choice(WORDS)}, {rng.choice(WORDS)}",{rng.choice(WORDS)}{number}'
            f"@example.org,{rng.randint(1, 99999)}.{rng.randint(0, 99)},{sentence(rng)}"
        )
        rows.append(row)
        total += len(row) + 1
    return "\n".join(rows).encode()


def json_file(rng: random.Random, size: int) -> bytes:
    records = []
    total = 0
    while total < size:
        record = {
            "id": len(records),
            "customer": {"name": rng.choice(WORDS), "email": f"u{len(records)}@example.org"},
            "notes": [sentence(rng) for _ in range(2)],
            "amount": rng.random() * 1000,
        }
        records.append(record)
        total += 200
    return json.dumps({"records": records}).encode()


def html_file(rng: random.Random, size: int) -> bytes:
    body = "".join(
        f"<p>{text}</p><table><tr><td>{rng.choice(WORDS)}</td>"
        f'<td><a href="mailto:x{n}@example.org">{rng.choice(WORDS)}</a></td></tr></table>'
        for n, text in enumerate(paragraphs(rng, size * 3 // 4))
    )
    return f"<!DOCTYPE html><html><head><title>r</title></head><body>{body}</body></html>".encode()


def pdf_file(rng: random.Random, size: int) -> bytes:
    """About ``size`` bytes: the page count comes from a two-page trial."""
    trial = len(pdf_pages(rng, 2))
    return pdf_pages(rng, max(1, round(size / (trial / 2))))


def pdf_pages(rng: random.Random, pages: int) -> bytes:
    """Pages of 60 pre-wrapped lines (placing lines is much faster than fpdf2's wrapping)."""
    pdf = FPDF()
    pdf.set_font("helvetica", size=9)
    for _ in range(pages):
        pdf.add_page()
        lines = textwrap.wrap(" ".join(paragraphs(rng, 60 * 95)), 95)[:60]
        for number, line in enumerate(lines):
            pdf.text(10, 12 + number * 4.5, line)
    return bytes(pdf.output())


def docx_file(rng: random.Random, size: int) -> bytes:
    document = docx.Document()
    for number, text in enumerate(paragraphs(rng, size * 4)):
        document.add_paragraph(text)
        if number % 40 == 39:
            table = document.add_table(rows=3, cols=3)
            for cell in table._cells:
                cell.text = rng.choice(WORDS)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_file(rng: random.Random, size: int) -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    for sheet_number in range(3):
        sheet = workbook.create_sheet(f"Sheet {sheet_number + 1}")
        for row in range(size // 3 // 60):
            sheet.append(
                [row, rng.choice(WORDS), f"u{row}@example.org", rng.random() * 1e4, sentence(rng)]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pptx_file(rng: random.Random, size: int) -> bytes:
    presentation = Presentation()
    layout = presentation.slide_layouts[1]
    total = 0
    while total < size * 0.6:
        slide = presentation.slides.add_slide(layout)
        slide.shapes.title.text = sentence(rng)
        body = "\n".join(paragraphs(rng, 1500))
        slide.placeholders[1].text = body
        slide.notes_slide.notes_text_frame.text = sentence(rng)
        total += len(body)
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


def zip_file(rng: random.Random, size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("notes.txt", text_file(rng, size))
        archive.writestr("data.csv", csv_file(rng, size))
        archive.writestr("report.pdf", pdf_file(rng, size // 4))
    return buffer.getvalue()


BUILDERS: dict[str, Callable[[random.Random, int], bytes]] = {
    "text (utf-8)": text_file,
    "text (latin-1)": latin1_file,
    "csv": csv_file,
    "json": json_file,
    "html": html_file,
    "pdf": pdf_file,
    "docx": docx_file,
    "xlsx": xlsx_file,
    "pptx": pptx_file,
    "zip": zip_file,
}


def build_corpus(folder: Path, mib_per_format: float) -> dict[str, list[Path]]:
    rng = random.Random(7)
    per_file = int(mib_per_format * 1024 * 1024 / FILES_PER_FORMAT)
    corpus: dict[str, list[Path]] = {}
    for name, builder in BUILDERS.items():
        paths = []
        for number in range(FILES_PER_FORMAT):
            path = folder / f"{name.split()[0]}-{name}-{number}".replace(" ", "_")
            path.write_bytes(builder(rng, per_file))
            paths.append(path)
        corpus[name] = paths
    return corpus


def timed(action: Callable[[], int]) -> tuple[float, int]:
    start = time.perf_counter()
    chars = action()
    return time.perf_counter() - start, chars


def baseline(paths: list[Path]) -> int:
    return sum(len(path.read_bytes().decode("utf-8", errors="replace")) for path in paths)


def extract_all(paths: list[Path], limits: ExtractLimits) -> int:
    chars = 0
    for path in paths:
        extraction = extract_file(path, limits=limits)
        if extraction.status != "scanned":
            raise SystemExit(f"{path.name}: {extraction.status}: {extraction.reason}")
        chars += extraction.char_count
    return chars


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=4.0, help="MiB of files per format")
    parser.add_argument("--workers", type=int, default=2, help="extract_many workers")
    args = parser.parse_args()
    limits = ExtractLimits(timeout_s=600)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        corpus = build_corpus(Path(tmp), args.mb)
        built_s = time.perf_counter() - started
        print(f"corpus: {FILES_PER_FORMAT} files per format, built in {built_s:.0f} s")
        header = f"{'format':<15}{'MB':>7}{'base MB/s':>11}{'MB/s':>9}{'chars/s':>12}{'ratio':>9}"
        print(header)
        print("-" * len(header))
        sequential_s = 0.0
        total_mb = 0.0
        for name, paths in corpus.items():
            megabytes = sum(path.stat().st_size for path in paths) / 1e6
            base_s, _ = timed(lambda paths=paths: baseline(paths))
            run_s, chars = timed(lambda paths=paths: extract_all(paths, limits))
            sequential_s += run_s
            total_mb += megabytes
            print(
                f"{name:<15}{megabytes:>7.1f}{megabytes / base_s:>11.0f}"
                f"{megabytes / run_s:>9.2f}{chars / run_s:>12,.0f}{base_s / run_s:>9.4f}"
            )
        jobs = [ExtractJob(path.name, path) for paths in corpus.values() for path in paths]
        pool_s, _ = timed(
            lambda: sum(1 for _ in extract_many(jobs, limits=limits, workers=args.workers))
        )
        print(
            f"\nwhole corpus {total_mb:.1f} MB: extract_file loop "
            f"{total_mb / sequential_s:.2f} MB/s, extract_many({args.workers} workers) "
            f"{total_mb / pool_s:.2f} MB/s, speed-up {sequential_s / pool_s:.2f}x"
        )


if __name__ == "__main__":
    main()
