"""DLP throughput: the full scan against a ceiling and a floor, in one run.

    .venv/bin/python benchmarks/dlp_throughput.py [--megabytes 200]

Generates realistic chat-like text (prose in several languages, logs, code,
hard negatives, about one planted value per 50 lines), then measures on the
same data:

- full scan: ``casb_pipeline.dlp.scan`` (every detector, validation,
  context, fingerprints, profiles) over the whole frame;
- ceiling: one bare ``str.contains`` per pattern the scan uses, all in one
  Polars ``select`` (so they run in parallel like the scan's passes);
- floor: a plain Python ``re`` loop over the same patterns, validating each
  match in Python and fingerprinting it with ``hmac`` (on a sample);
- memory: peak RSS of a fresh process running ``scan_parquet`` over the same
  texts written to Parquet (streamed in 64 MB batches);
- accuracy: precision and recall on the labelled synthetic corpus and, when
  the simulator is present, on its planted values and decoys.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import polars as pl

from casb_pipeline.dlp import scan
from casb_pipeline.dlp.evaluation import score
from casb_pipeline.dlp.scanners import separate_patterns
from casb_pipeline.dlp.synthetic import (
    benchmark_corpus,
    labelled_corpus,
    luhn_valid,
    mod97_valid,
)

KEY = b"benchmark-key"


def python_pattern(pattern: str) -> re.Pattern[str]:
    """The same regex for Python's ``re`` (ASCII word boundaries via re.ASCII)."""
    converted = pattern.replace("(?-u:\\b)", "\\b").replace("(?-u)", "")
    return re.compile(converted, re.ASCII)


def python_floor(texts: list[str], compiled: list[re.Pattern[str]]) -> int:
    """Plain Python: every pattern over every text, each match validated,
    its context read and its value fingerprinted."""
    findings = 0
    context = re.compile(r"card|ssn|iban|routing|phone|key|token|secret|password", re.I)
    for text in texts:
        for pattern in compiled:
            for match in pattern.finditer(text):
                value = match.group(0)
                digits = "".join(c for c in value if c.isdigit())
                valid = luhn_valid(digits) if len(digits) >= 12 else True
                if value[:2].isalpha() and value[2:4].isdigit():
                    valid = mod97_valid(value)
                window = text[max(0, match.start() - 64) : match.end() + 64]
                if valid or context.search(window):
                    hmac.new(KEY, value.encode(), hashlib.sha256).hexdigest()
                    findings += 1
    return findings


def _best(repeat: int, run: Callable[[], pl.DataFrame]) -> tuple[float, pl.DataFrame]:
    """Shortest wall time of ``repeat`` runs (other work on the machine only
    ever slows a run down), and the last result."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return min(times), result


def _rate(megabytes: float, seconds: float) -> float:
    return megabytes / seconds


def _peak_rss_of_parquet_scan(texts: pl.DataFrame, batch_bytes: int) -> tuple[float, float]:
    """Peak RSS (MB, the kernel's VmHWM, which a forked child does not
    inherit) and seconds of a fresh process scanning ``texts`` from Parquet."""
    with tempfile.TemporaryDirectory() as folder:
        source, out = Path(folder) / "texts.parquet", Path(folder) / "findings.parquet"
        texts.write_parquet(source, row_group_size=20_000)
        code = (
            "import re, time\n"
            "from pathlib import Path\n"
            "from casb_pipeline.dlp import scan_parquet\n"
            "t = time.perf_counter()\n"
            f"scan_parquet(Path({str(source)!r}), Path({str(out)!r}), key=b'k',"
            f" batch_bytes={batch_bytes})\n"
            "print(time.perf_counter() - t)\n"
            "status = Path('/proc/self/status').read_text()\n"
            "print(re.search(r'VmHWM:\\s+(\\d+)', status).group(1))\n"
        )
        completed = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        seconds, peak_kb = completed.stdout.split()
    return int(peak_kb) / 1024, float(seconds)


def _accuracy() -> list[str]:
    lines = []
    texts, labels = labelled_corpus(3000, seed=2024)
    table = (
        score(scan(texts, key=KEY), labels).filter(pl.col("detector") == "all").row(0, named=True)
    )
    lines.append(
        f"labelled synthetic corpus (3000 texts, {table['labels']} values, 16 kinds of decoy): "
        f"precision {table['precision']:.4f}, recall {table['recall']:.4f}"
    )
    try:
        from casb_pipeline.simulator.planted import (
            DECOY_KINDS,
            DETECTORS,
            decoy_snippet,
            planted_snippet,
        )
    except ImportError:
        return lines
    rng = random.Random(11)
    rows, spans = [], []
    for detector in DETECTORS:
        for index in range(40):
            snippet = planted_snippet(detector, rng, "contoso.example")
            source_id = f"{detector}-{index}"
            rows.append((source_id, snippet.text))
            for kind, value in snippet.values:
                start = snippet.text.index(value)
                spans.append((source_id, kind, start, start + len(value)))
    rows += [(f"decoy-{i}", decoy_snippet(rng, i).text) for i in range(DECOY_KINDS * 10)]
    frame = pl.DataFrame(rows, schema=["id", "text"], orient="row")
    expected = pl.DataFrame(spans, schema=["source_id", "detector", "start", "end"], orient="row")
    table = (
        score(scan(frame, key=KEY), expected).filter(pl.col("detector") == "all").row(0, named=True)
    )
    lines.append(
        f"simulator planted values ({table['labels']} values, {DECOY_KINDS * 10} decoys): "
        f"precision {table['precision']:.4f}, recall {table['recall']:.4f}"
    )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=200)
    parser.add_argument("--floor-megabytes", type=int, default=4)
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of the scan and of the ceiling; the best counts"
    )
    args = parser.parse_args()

    texts = benchmark_corpus(args.megabytes * 1_000_000)
    megabytes = texts["text"].str.len_bytes().sum() / 1e6
    print(f"corpus: {texts.height} texts, {megabytes:.1f} MB of UTF-8 text")
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"machine: {os.cpu_count()} cores, load average {load} (other work slows every figure)")

    full, findings = _best(args.repeat, lambda: scan(texts, key=KEY))
    print(
        f"full scan: {_rate(megabytes, full):8.1f} MB/s ({full:.1f} s, {findings.height} findings)"
    )

    patterns = separate_patterns()
    contains = [pl.col("text").str.contains(p).alias(f"p{i}") for i, p in enumerate(patterns)]
    ceiling, _ = _best(args.repeat, lambda: texts.select(contains))
    print(
        f"ceiling:   {_rate(megabytes, ceiling):8.1f} MB/s "
        f"(bare str.contains of the {len(contains)} patterns, {ceiling:.1f} s)"
    )

    sample = texts.head(max(1, int(texts.height * args.floor_megabytes / megabytes)))
    sample_mb = sample["text"].str.len_bytes().sum() / 1e6
    compiled = [python_pattern(p) for p in patterns]
    started = time.perf_counter()
    python_floor(sample["text"].to_list(), compiled)
    floor = time.perf_counter() - started
    print(f"floor:     {_rate(sample_mb, floor):8.1f} MB/s (Python re loop on {sample_mb:.1f} MB)")

    full_rate = _rate(megabytes, full)
    print(f"full / ceiling: {full_rate / _rate(megabytes, ceiling):.2f}x (target >= 0.5x)")
    print(f"full / floor:   {full_rate / _rate(sample_mb, floor):.1f}x (target >= 40x)")
    in_process = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process (texts held in memory): {in_process:.0f} MB")
    for budget in (16, 64):
        rss, seconds = _peak_rss_of_parquet_scan(texts, budget * 1024 * 1024)
        print(
            f"scan_parquet, {budget} MB batches, fresh process: peak RSS {rss:.0f} MB for "
            f"{megabytes:.0f} MB of text ({_rate(megabytes, seconds):.1f} MB/s with Parquet I/O)"
        )
    for line in _accuracy():
        print(line)


if __name__ == "__main__":
    main()
