"""Readable text of an HTML document, with the standard library's parser.

Block elements start new lines, table cells are separated by tabs, and the values of
attributes that carry text or addresses (``href``, ``value``, ``alt``...) are kept,
as are scripts and comments: credentials hide there. Style sheets are dropped.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# fmt: off
_BLOCKS = frozenset((
    "address", "article", "aside", "blockquote", "body", "br", "dd", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "head", "header", "hr", "html", "li", "main", "nav", "ol", "option", "p", "pre",
    "section", "select", "table", "tbody", "textarea", "tfoot", "thead", "title", "tr", "ul",
))
# fmt: on
_CELLS = frozenset(("td", "th"))
_TEXT_ATTRIBUTES = frozenset(
    ("href", "src", "alt", "title", "value", "content", "placeholder", "action", "label")
)
_SKIPPED = frozenset(("style",))
_BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skip_depth += 1
        elif tag in _BLOCKS:
            self.pieces.append("\n")
        elif tag in _CELLS:
            self.pieces.append("\t")
        values = [
            value
            for name, value in attrs
            if value and (name in _TEXT_ATTRIBUTES or name.startswith("data-"))
        ]
        if values:
            self.pieces.append(" " + " ".join(values) + " ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in _BLOCKS:
            self.pieces.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self.pieces.append(data)

    def handle_comment(self, data: str) -> None:
        self.pieces.append(f"\n{data}\n")


def html_to_text(markup: str) -> str:
    parser = _TextCollector()
    parser.feed(markup)
    parser.close()
    return _BLANK_LINES.sub("\n\n", "".join(parser.pieces)).strip()
