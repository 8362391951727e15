"""Text-like files: plain text, Markdown, CSV/TSV, JSON, HTML, XML and code.

The content decides JSON, HTML and XML; the filename or declared MIME type only breaks
ties between formats the content cannot tell apart (Markdown, CSV, code, text). CSV
rows become tab-separated lines and JSON becomes ``path: value`` lines, so values are
unquoted, unescaped and sit next to the key that names them.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

from casb_pipeline.textract.collect import Sink
from casb_pipeline.textract.decode import Decoded
from casb_pipeline.textract.html_text import html_to_text

# fmt: off
_CODE_SUFFIXES = (
    ".py", ".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx", ".java", ".kt", ".kts", ".go",
    ".rs", ".rb", ".php", ".c", ".h", ".cc", ".cpp", ".hpp", ".cs", ".swift", ".scala",
    ".sh", ".bash", ".zsh", ".ps1", ".bat", ".sql", ".r", ".pl", ".lua", ".css", ".scss",
    ".vue", ".svelte", ".yaml", ".yml", ".toml", ".ini", ".cfg", ".conf", ".env", ".tf",
    ".hcl", ".gradle", ".properties",
)
# fmt: on
_HINTS_BY_SUFFIX = {
    **dict.fromkeys((".md", ".markdown", ".mdown", ".mkd"), "markdown"),
    ".csv": "csv",
    **dict.fromkeys((".tsv", ".tab"), "tsv"),
    **dict.fromkeys((".html", ".htm", ".xhtml"), "html"),
    **dict.fromkeys(_CODE_SUFFIXES, "code"),
}
_HINTS_BY_NAME = dict.fromkeys(("dockerfile", "makefile", "jenkinsfile", ".env"), "code")
_HINTS_BY_MIME = {
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
    "text/csv": "csv",
    "application/csv": "csv",
    "text/tab-separated-values": "tsv",
    "text/html": "html",
    "application/xhtml+xml": "html",
    **dict.fromkeys(
        (
            "application/javascript",
            "text/javascript",
            "application/x-sh",
            "application/x-python",
            "application/x-yaml",
            "text/yaml",
            "application/toml",
            "application/sql",
            "application/vnd.ant.code",
            "application/vnd.ant.react",
        ),
        "code",
    ),
}
_DELIMITERS = {"csv": ",", "tsv": "\t"}
_HTML_START = re.compile(r"<!doctype\s+html|<html[\s>]", re.IGNORECASE)
_HTML_TAG = re.compile(r"<(?:html|head|body|div|p|table|span|a|br|h[1-6])[\s/>]", re.IGNORECASE)
_MARKDOWN = re.compile(r"^(?:#{1,6} \S|```)|\[[^\]\n]+\]\([^)\s]+\)", re.MULTILINE)
_SAMPLE_CHARS = 64 * 1024
_PROLOGUE_CHARS = 1024  # an XML declaration or comments may precede <html>
_SAMPLE_LINES = 50
_NOT_JSON = object()


def read_textlike(decoded: Decoded, filename: str | None, mime: str | None, sink: Sink) -> None:
    text = decoded.text
    if decoded.replaced:
        sink.note(None, f"{decoded.replaced} undecodable bytes replaced")
    value = _parse_json(text)
    if value is not _NOT_JSON:
        sink.identified("json", decoded.encoding)
        sink.add_lines(None, _json_lines(value))
        return
    detected = _classify(text, _hint(filename, mime))
    sink.identified(detected, decoded.encoding)
    if detected in _DELIMITERS:
        rows = _delimited_rows(text, _DELIMITERS[detected])
        if rows is not None:
            sink.add_lines(None, rows)
            return
    sink.add(None, html_to_text(text) if detected == "html" else text)


def _hint(filename: str | None, mime: str | None) -> str | None:
    if mime:
        essence = mime.split(";", 1)[0].strip().lower()
        hint = _HINTS_BY_MIME.get(essence)
        if hint is None and essence.startswith("text/x-"):
            hint = "code"
        if hint:
            return hint
    if filename:
        path = PurePosixPath(filename.replace("\\", "/"))
        return _HINTS_BY_NAME.get(path.name.lower()) or _HINTS_BY_SUFFIX.get(path.suffix.lower())
    return None


def _classify(text: str, hint: str | None) -> str:
    head = text[:_SAMPLE_CHARS].lstrip()
    if _HTML_START.search(head[:_PROLOGUE_CHARS]) or (hint == "html" and _HTML_TAG.search(head)):
        return "html"
    if head.startswith("<?xml"):
        return "xml"
    if hint in _DELIMITERS:
        return hint if _is_delimited(text, _DELIMITERS[hint], min_rows=1) else "text"
    if hint in ("markdown", "code"):
        return hint
    for detected, delimiter in _DELIMITERS.items():
        if _is_delimited(text, delimiter, min_rows=3):
            return detected
    if _MARKDOWN.search(head):
        return "markdown"
    return "code" if head.startswith("#!") else "text"


def _is_delimited(text: str, delimiter: str, *, min_rows: int) -> bool:
    """Every sampled row splits into the same number (two or more) of fields."""
    lines = text[:_SAMPLE_CHARS].splitlines()
    if len(text) > _SAMPLE_CHARS:
        lines = lines[:-1]  # may be cut in the middle
    rows = [row for row in csv.reader(lines[:_SAMPLE_LINES], delimiter=delimiter) if row]
    widths = {len(row) for row in rows}
    return len(rows) >= min_rows and len(widths) == 1 and widths.pop() >= 2


def _delimited_rows(text: str, delimiter: str) -> list[str] | None:
    """Rows as tab-separated lines, or None when the file does not parse as a table."""
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        return ["\t".join(row) for row in reader]
    except csv.Error:
        return None


def _parse_json(text: str) -> Any:
    if text.lstrip()[:1] not in ("{", "["):
        return _NOT_JSON
    try:
        return json.loads(text, parse_int=str, parse_float=str, parse_constant=str)
    except (ValueError, RecursionError):
        return _NOT_JSON


def _json_lines(value: Any) -> Iterator[str]:
    """``path: value`` per scalar, depth first, numbers as written in the file."""
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            children = [(f"{path}.{key}" if path else str(key), item) for key, item in node.items()]
        elif isinstance(node, list):
            children = [(f"{path}[{index}]", item) for index, item in enumerate(node)]
        else:
            yield f"{path}: {_json_scalar(node)}"
            continue
        stack.extend(reversed(children))


def _json_scalar(node: str | bool | None) -> str:
    if node is None:
        return "null"
    if isinstance(node, bool):
        return "true" if node else "false"
    return node
