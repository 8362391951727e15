"""The lake's write protocol: atomic replace, owner-only, readable after a SIGKILL."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from casb_pipeline.lake import BlobStore, Lake, Quarantined, quarantine_table
from casb_pipeline.lake.files import remove_stale_temps

DAY = date(2026, 11, 2)


def _table(n: int, tag: str) -> pa.Table:
    return pa.table({"id": [f"{tag}-{i}" for i in range(n)], "v": list(range(n))})


def test_partition_replace_is_whole(tmp_path: Path) -> None:
    lake = Lake(tmp_path / "lake")
    lake.write_partition("chats", DAY, _table(5, "old"))
    lake.write_partition("chats", DAY, _table(3, "new"))
    frame = lake.scan("chats").collect()
    assert sorted(frame["id"].to_list()) == ["new-0", "new-1", "new-2"]
    assert [p.parent.name for p in lake.partition_files("chats", DAY)] == [f"date={DAY}"]


def test_writers_share_a_partition_without_touching_each_other(tmp_path: Path) -> None:
    lake = Lake(tmp_path / "lake")
    at = datetime(2026, 11, 2, tzinfo=UTC)
    lake.write_partition("_quarantine", DAY, quarantine_table([]), writer="chats")
    lake.write_partition(
        "_quarantine",
        DAY,
        quarantine_table([Quarantined("claude_file_1", "chat_files", "md5 mismatch", "r1", at)]),
        writer="chat_files",
    )
    lake.write_partition("_quarantine", DAY, quarantine_table([]), writer="chats")
    rows = lake.scan("_quarantine").collect()
    assert rows["object_id"].to_list() == ["claude_file_1"]


def test_files_are_owner_only(tmp_path: Path) -> None:
    lake = Lake(tmp_path / "lake")
    path = lake.write_partition("chats", DAY, _table(1, "x"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    blobs = BlobStore(tmp_path / "blobs")
    digest = blobs.put_bytes(b"secret content")
    assert stat.S_IMODE(blobs.path(digest).stat().st_mode) == 0o600
    assert blobs.put_bytes(b"secret content") == digest


def test_latest_snapshot_wins(tmp_path: Path) -> None:
    lake = Lake(tmp_path / "lake")
    lake.write_snapshot("users", datetime(2026, 11, 1, tzinfo=UTC), _table(2, "a"))
    lake.write_snapshot("users", datetime(2026, 11, 3, tzinfo=UTC), _table(1, "b"))
    assert lake.scan("users").collect()["id"].to_list() == ["b-0"]


def test_empty_dataset_scans_as_none(tmp_path: Path) -> None:
    assert Lake(tmp_path / "lake").scan("nothing") is None


def test_an_empty_write_clears_a_partition_but_creates_no_file(tmp_path: Path) -> None:
    lake = Lake(tmp_path / "lake")
    empty = _table(0, "x")
    assert lake.write_partition("chats", DAY, empty) is None
    assert lake.partition_files("chats", DAY) == []
    lake.write_partition("chats", DAY, _table(2, "old"))
    assert lake.write_partition("chats", DAY, empty) is not None
    assert lake.scan_partition("chats", DAY).collect().height == 0


def test_sigkill_mid_write_leaves_old_file_readable(tmp_path: Path) -> None:
    """A writer killed at any moment leaves the previous complete file in place."""
    lake_root = tmp_path / "lake"
    Lake(lake_root).write_partition("chats", DAY, _table(10, "old"))
    script = textwrap.dedent(
        f"""
        import pyarrow as pa
        from datetime import date
        from casb_pipeline.lake import Lake
        big = pa.table({{"id": [f"new-{{i}}" for i in range(400_000)], "v": list(range(400_000))}})
        lake = Lake(__import__("pathlib").Path({str(lake_root)!r}))
        print("ready", flush=True)
        while True:
            lake.write_partition("chats", date.fromisoformat({DAY.isoformat()!r}), big)
        """
    )
    for delay in (0.05, 0.2, 0.45):
        proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE)
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == b"ready"
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        files = Lake(lake_root).partition_files("chats", DAY)
        assert len(files) == 1
        table = pq.read_table(files[0])
        assert table.num_rows in (10, 400_000)
    leftovers = list(lake_root.rglob(".tmp-*"))
    assert remove_stale_temps(lake_root, timedelta(hours=1)) == 0
    assert list(lake_root.rglob(".tmp-*")) == leftovers
    assert remove_stale_temps(lake_root, timedelta(0)) == len(leftovers)
    assert not list(lake_root.rglob(".tmp-*"))
