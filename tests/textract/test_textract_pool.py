"""Many files in worker processes: hard time cap, dead workers, lazy consumption."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import psutil
from textract_samples import docx_file, email, pdf_file, slow_pdf

from casb_pipeline.textract import Extraction, ExtractJob, ExtractLimits, extract_many


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def run(jobs: Iterable[ExtractJob], **kwargs: object) -> dict[str, Extraction]:
    """Extraction per job key; every job comes back exactly once."""
    pairs = list(extract_many(jobs, **kwargs))
    keys = [job.key for job, _ in pairs]
    assert len(keys) == len(set(keys))
    return {job.key: extraction for job, extraction in pairs}


def test_every_job_comes_back_whatever_its_fate(tmp_path: Path) -> None:
    value = email("pool-text")
    jobs = [
        ExtractJob("pdf", write(tmp_path, "a", pdf_file(2)[0]), "report.pdf"),
        ExtractJob("docx", write(tmp_path, "b", docx_file()[0]), "msa.docx"),
        ExtractJob("text", write(tmp_path, "c", value.encode()), "n.txt", "text/plain"),
        ExtractJob("image", write(tmp_path, "d", b"\x89PNG\r\n\x1a\n" + os.urandom(64))),
        ExtractJob("corrupt", write(tmp_path, "e", b"%PDF-1.4\n" + os.urandom(300))),
        ExtractJob("missing", tmp_path / "not-there"),
    ]
    results = run(jobs, workers=2)
    assert sorted(results) == sorted(job.key for job in jobs)
    assert {key: result.status for key, result in results.items()} == {
        "pdf": "scanned",
        "docx": "scanned",
        "text": "scanned",
        "image": "not_scanned",
        "corrupt": "quarantined",
        "missing": "quarantined",
    }
    assert results["text"].parts[0].text == value
    assert results["pdf"].detected_format == "pdf"


def test_a_reader_stuck_past_the_cap_is_killed_and_the_rest_go_on(tmp_path: Path) -> None:
    good = pdf_file(1)[0]
    jobs = [
        ExtractJob("stuck", write(tmp_path, "slow", slow_pdf(60_000))),
        ExtractJob("after", write(tmp_path, "good", good)),
    ]
    results = run(jobs, workers=1, limits=ExtractLimits(timeout_s=0.2))
    stuck = results["stuck"]
    assert (stuck.status, stuck.detected_format) == ("quarantined", "pdf")
    assert stuck.reason == "time cap 0.2 s exceeded (worker stopped inside a reader)"
    assert results["after"].status == "scanned"


def test_a_worker_that_dies_is_recorded_and_replaced(tmp_path: Path) -> None:
    jobs = [
        ExtractJob("victim", write(tmp_path, "slow", slow_pdf(150_000))),
        ExtractJob("after", write(tmp_path, "good", pdf_file(1)[0])),
    ]
    killer = threading.Thread(target=_kill_worker_once_busy)
    killer.start()
    results = run(jobs, workers=1)
    killer.join()
    assert results["victim"].status == "quarantined"
    assert results["victim"].reason == f"extraction worker died (exit code -{signal.SIGKILL})"
    assert results["after"].status == "scanned"


def test_a_pool_broken_by_an_idle_worker_dying_is_replaced(tmp_path: Path) -> None:
    path = write(tmp_path, "t", f"note {email('pool-restart')}".encode())

    def jobs() -> Iterator[ExtractJob]:
        yield ExtractJob("before", path)
        time.sleep(2)  # the first file is done by now; the worker sits idle
        for worker in _workers():
            worker.kill()
        time.sleep(0.5)  # the pool notices a worker died with no task: it is broken
        yield ExtractJob("after", path)

    results = run(jobs(), workers=1)
    assert {key: result.status for key, result in results.items()} == {
        "before": "scanned",
        "after": "scanned",
    }


def _workers() -> list[psutil.Process]:
    """The pool's workers: children of the fork server, grandchildren of this process."""
    me = os.getpid()
    return [child for child in psutil.Process(me).children(recursive=True) if child.ppid() != me]


def _kill_worker_once_busy() -> None:
    """Kill the worker once it has spent a second of CPU (imports done, reading the file)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for worker in _workers():
            if worker.cpu_times().user > 1.0:
                worker.kill()
                return
        time.sleep(0.05)
    raise AssertionError("no busy worker found")


def test_jobs_are_consumed_lazily(tmp_path: Path) -> None:
    path = write(tmp_path, "t", b"small text")
    pulled = 0

    def jobs() -> Iterator[ExtractJob]:
        nonlocal pulled
        for number in range(40):
            pulled += 1
            yield ExtractJob(str(number), path)

    results = extract_many(jobs(), workers=2)
    next(results)
    assert pulled <= 6, "no more than two queued jobs per worker plus one refill"
    assert sum(1 for _ in results) == 39
