"""Finding locations as the exports show them: structure kept, user-chosen names left out.

A location (the findings mart's ``part``) chains labels with ``!``. Page, table and
slide numbers and the fixed parts of documents and projects are ours; archive member
paths and sheet names were chosen by whoever made the file, so they may hold the very
values a finding is about: they become ``member:…`` and ``sheet:…``.
"""

from __future__ import annotations

import re

# Labels made of the extractor's own words and numbers only.
_STRUCTURAL = re.compile(
    r"(?:page|table|slide):\d+|slide:\d+:notes"
    r"|form|body|header|footer|comments|name|description|instructions"
)
_NAMED_KINDS = ("member", "sheet")
HIDDEN = "…"


def shown_part(part: str | None) -> str | None:
    """``part`` with every label that is not purely structural replaced.

    ``member:q3.zip!sheet:Staff!page:2`` -> ``member:…!sheet:…!page:2``; a label of an
    unknown kind becomes ``…`` whole, so nothing unforeseen is shown.
    """
    if part is None:
        return None
    return "!".join(_shown_label(label) for label in part.split("!"))


def _shown_label(label: str) -> str:
    if _STRUCTURAL.fullmatch(label):
        return label
    kind, colon, _ = label.partition(":")
    return f"{kind}:{HIDDEN}" if colon and kind in _NAMED_KINDS else HIDDEN
