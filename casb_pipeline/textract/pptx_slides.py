"""PPTX: text of each slide's shapes, tables and groups (``slide:N``) and its speaker
notes (``slide:N:notes``)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator

from pptx import Presentation
from pptx.shapes.base import BaseShape
from pptx.shapes.group import GroupShape

from casb_pipeline.textract.collect import Sink
from casb_pipeline.textract.signals import reading


def read_pptx(data: bytes, sink: Sink) -> None:
    with reading("corrupt PPTX"):
        presentation = Presentation(io.BytesIO(data))
        for number, slide in enumerate(presentation.slides, 1):
            texts = (text for text in _shape_texts(slide.shapes) if text.strip())
            sink.add(f"slide:{number}", "\n".join(texts))
            if slide.has_notes_slide:
                frame = slide.notes_slide.notes_text_frame
                if frame is not None:
                    sink.add(f"slide:{number}:notes", _lines(frame.text))


def _shape_texts(shapes: Iterable[BaseShape]) -> Iterator[str]:
    for shape in shapes:
        if isinstance(shape, GroupShape):
            yield from _shape_texts(shape.shapes)
        elif shape.has_text_frame:
            yield _lines(shape.text_frame.text)
        elif shape.has_table:
            for row in shape.table.rows:
                yield "\t".join(_lines(cell.text) for cell in row.cells)


def _lines(text: str) -> str:
    """python-pptx marks soft line breaks with a vertical tab."""
    return text.replace("\v", "\n")
