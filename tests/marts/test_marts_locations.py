"""Finding locations in the marts: structure kept, member and sheet names left out."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.marts.lake_builder import FixtureLake, Hit, ago

CASES = [
    ("f_page", "page:3", "page:3"),
    ("f_notes", "slide:4:notes", "slide:4:notes"),
    ("f_sheet", "sheet:Payroll 4111 1111 1111 1111", "sheet:…"),
    ("f_nested", "member:deals.zip!member:Acme.docx!table:2", "member:…!member:…!table:2"),
    ("f_bang", "member:a!b.pdf!page:1", "member:…!…!page:1"),
    ("f_odd", "page:two", "…"),
    ("f_none", None, None),
]


@pytest.fixture(scope="module")
def parts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str | None]:
    lake = FixtureLake(Path(tmp_path_factory.mktemp("locations")) / "data")
    lake.user("alice", "alice@example.com")
    lake.chat("c1", "alice")
    lake.message("m1", "c1", files=tuple(source for source, _, _ in CASES))
    for source, part, _ in CASES:
        lake.scan("chat_file", source, ago(days=2), [Hit("us_ssn", source, part=part)])
    warehouse = lake.build()
    return {row["source_id"]: row["part"] for row in warehouse.rows("select * from findings")}


@pytest.mark.parametrize(("source", "part", "shown"), CASES)
def test_findings_show_structure_but_not_user_chosen_names(
    parts: dict[str, str | None], source: str, part: str | None, shown: str | None
) -> None:
    assert parts[source] == shown
