"""Every SQL example of the README runs as written against a real warehouse."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from tests.marts.lake_builder import FixtureLake, Hit, ago

README = Path(__file__).resolve().parents[2] / "README.md"
EXAMPLES = re.findall(r"```sql\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def _lake(lake: FixtureLake) -> None:
    lake.user("alice", "alice@example.com")
    lake.user("bob", "bob@example.com")
    lake.chat("c1", "alice")
    lake.message("m1", "c1", files=("f1",))
    lake.message("m2", "c1")
    lake.chat("c2", "bob")
    lake.message("m3", "c2")
    lake.project("p1", "alice", is_private=False)
    lake.attachments("p1", {"d1": "project_doc"}, listed_at=ago(days=20))
    lake.scan("chat_message", "m1", ago(days=12), [Hit("stripe_secret_key", "k1")])
    lake.scan("chat_message", "m2", ago(days=12), [Hit("iban", "i1")])
    lake.scan("chat_message", "m3", ago(days=6), [Hit("stripe_secret_key", "k1")])
    lake.scan("chat_file", "f1", ago(days=6), [Hit("us_ssn", "s1", part="page:1")])
    lake.scan("project", "p1", ago(days=6), [Hit("github_token", "g1", part="instructions")])
    lake.scan("project_attachment", "d1", ago(days=6), [Hit("credit_card_number", "n1")])
    lake.write(ago(days=6))
    lake.scan("chat_message", "m2", ago(days=1), [])


def test_the_readme_has_examples() -> None:
    assert len(EXAMPLES) >= 8


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> str:
    lake = FixtureLake(tmp_path_factory.mktemp("readme") / "data")
    _lake(lake)
    return str(lake.build().path)


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"example{n}" for n in range(len(EXAMPLES))])
def test_each_example_runs_and_finds_rows(warehouse: str, example: str) -> None:
    with duckdb.connect(warehouse, read_only=True) as con:
        rows = con.sql(example).fetchall()
    assert rows, example
