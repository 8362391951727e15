"""A message's scanned text, built exactly as ``sql/staging/stg_chat_messages.sql``
builds its ``text`` column, so that finding offsets slice the warehouse's text.

Per content block the first non-null of ``text``, ``input`` (a tool's JSON input)
and ``content_text`` (a tool result's text items); empty pieces dropped; the rest
joined with newlines. A message without content has the empty text.
"""

from __future__ import annotations

import polars as pl

BLOCK_TEXT_FIELDS = ("text", "input", "content_text")


def message_text(content: str = "content") -> pl.Expr:
    """The text of each message from its list of content blocks."""
    piece = pl.coalesce(*(pl.element().struct.field(name) for name in BLOCK_TEXT_FIELDS))
    kept = pl.element().filter(pl.element().is_not_null() & (pl.element() != ""))
    return pl.col(content).list.eval(piece).list.eval(kept).list.join("\n").fill_null("")
