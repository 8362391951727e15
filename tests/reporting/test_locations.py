"""Finding locations in the exports: structure kept, member and sheet names left out."""

from __future__ import annotations

import pytest

from casb_pipeline.reporting.locations import shown_part


@pytest.mark.parametrize(
    ("part", "shown"),
    [
        (None, None),
        ("page:3", "page:3"),
        ("slide:4:notes", "slide:4:notes"),
        ("description", "description"),
        ("sheet:Payroll 4111 1111 1111 1111", "sheet:…"),
        ("member:deals.zip!member:Acme.docx!table:2", "member:…!member:…!table:2"),
        ("member:a!b.pdf!page:1", "member:…!…!page:1"),  # a "!" inside a member path
        ("member:notes", "member:…"),
        ("page:two", "…"),
        ("Something new", "…"),
    ],
)
def test_shown_part(part: str | None, shown: str | None) -> None:
    assert shown_part(part) == shown
