"""Content downloads: capped, hashed while streaming, verified, moved into place.

Bytes stream into a hidden temporary file beside the destination, owner-only
and named as the lake names its temporaries (so the clean-up of files a killed
writer left behind finds it); SHA-256 and MD5 are computed on the way. Only a
complete, verified file is renamed onto ``dest``, so a reader never sees a
partial download, and a failure leaves nothing behind.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.message import Message
from email.utils import collapse_rfc2231_value
from pathlib import Path

import httpx

from casb_pipeline.compliance.endpoints import Endpoint
from casb_pipeline.compliance.errors import (
    ChecksumMismatch,
    ContentTooLarge,
    ErrorInfo,
    MalformedResponseError,
)
from casb_pipeline.compliance.records import ArtifactContent
from casb_pipeline.compliance.stats import RequestStats
from casb_pipeline.compliance.transport import Transport, json_object
from casb_pipeline.lake.files import temp_path_for

MAX_FILENAME_BYTES = 200
# Text inside JSON can grow up to sixfold when escaped (\uXXXX), plus the envelope.
_JSON_ESCAPE_FACTOR = 6
_JSON_ENVELOPE_BYTES = 64 * 1024
_MAX_EXTENSION_CHARS = 16
_SEPARATORS = re.compile(r"[/\\]")
_ALLOWED_PUNCTUATION = frozenset(" ._-()+,@=[]")


@dataclass(frozen=True)
class Download:
    """A verified file on disk and what was learnt while fetching it."""

    path: Path
    size: int
    sha256: str
    md5: str
    content_type: str | None
    filename: str | None
    request_id: str | None


@dataclass(frozen=True)
class Digests:
    size: int
    sha256: str
    md5: str


def safe_filename(name: str | None) -> str | None:
    """A name safe to show and to use as a file name, or ``None`` if nothing is left.

    Base name only; control and bidi-format characters dropped; anything
    but letters, marks, digits, non-ASCII currency signs and `` ._-()+,@=[]``
    becomes ``_``; no leading ``-``,
    ``.`` or space; at most :data:`MAX_FILENAME_BYTES` UTF-8 bytes, keeping
    the extension.
    """
    if not name:
        return None
    base = _SEPARATORS.split(unicodedata.normalize("NFC", name))[-1]
    kept = "".join(
        ch if _safe_char(ch) else "_" for ch in base if not unicodedata.category(ch).startswith("C")
    )
    kept = kept.lstrip("-. ").rstrip(". ")
    return _cap_length(kept) or None


def _safe_char(ch: str) -> bool:
    if ch.isascii():
        return ch.isalnum() or ch in _ALLOWED_PUNCTUATION
    return unicodedata.category(ch)[0] in "LMN" or unicodedata.category(ch) == "Sc"


def _cap_length(name: str) -> str:
    if len(name.encode()) <= MAX_FILENAME_BYTES:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem or len(extension) > _MAX_EXTENSION_CHARS:
        stem, extension = name, ""
    suffix = f".{extension}" if extension else ""
    budget = MAX_FILENAME_BYTES - len(suffix.encode())
    while len(stem.encode()) > budget:
        stem = stem[:-1]
    return stem.rstrip(". ") + suffix


def filename_from_disposition(header: str | None) -> str | None:
    """The sanitised file name of a ``Content-Disposition`` header.

    The RFC 5987 form ``filename*=utf-8''…`` wins over a plain ``filename``
    (RFC 6266); undecodable bytes become U+FFFD.
    """
    if not header:
        return None
    message = Message()
    message["content-disposition"] = header
    params = message.get_params(header="content-disposition") or []
    names = [value for key, value in params[1:] if key.lower() == "filename"]
    extended = [value for value in names if isinstance(value, tuple)]
    chosen = extended[0] if extended else next(iter(names), None)
    if chosen is None:
        return None
    return safe_filename(collapse_rfc2231_value(chosen, errors="replace"))


def decode_content_md5(header: str | None) -> str | None:
    """Hex of a base64 ``Content-MD5`` header; ``""`` when present but unreadable."""
    if header is None:
        return None
    try:
        raw = base64.b64decode(header.strip(), validate=True)
    except (binascii.Error, ValueError):
        return ""
    return raw.hex() if len(raw) == 16 else ""


def md5_checker(
    endpoint: str,
    request_id: str | None,
    *,
    content_md5: str | None,
    expected_md5: str | None,
) -> Callable[[Digests], None]:
    """A check of the saved bytes' MD5.

    ``Content-MD5`` (hex, from :func:`decode_content_md5`) describes the bytes
    served and wins; a mismatch there happened in transit (worth a retry).
    Without it, the metadata ``expected_md5`` is compared; a mismatch there is
    a property of the stored content and is not retried.
    """

    def check(digests: Digests) -> None:
        if content_md5 is not None:
            if digests.md5 != content_md5:
                raise mismatch(endpoint, request_id, "Content-MD5", in_transit=True)
        elif expected_md5 and digests.md5 != expected_md5.strip().lower():
            raise mismatch(endpoint, request_id, "the metadata md5", in_transit=False)

    return check


def mismatch(
    endpoint: str, request_id: str | None, against: str, *, in_transit: bool
) -> ChecksumMismatch:
    info = ErrorInfo(message=f"MD5 of the bytes differs from {against}", request_id=request_id)
    return ChecksumMismatch(endpoint, info, in_transit=in_transit)


def too_large(endpoint: str, request_id: str | None, max_bytes: int) -> ContentTooLarge:
    info = ErrorInfo(message=f"more than {max_bytes} bytes", request_id=request_id)
    return ContentTooLarge(endpoint, info)


def save_verified(
    dest: Path,
    chunks: Iterable[bytes],
    *,
    max_bytes: int,
    on_too_large: Callable[[], Exception],
    check: Callable[[Digests], None],
) -> Digests:
    """Write ``chunks`` to ``dest`` atomically once they pass the size cap and ``check``."""
    staged = temp_path_for(dest)
    fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        sha256 = hashlib.sha256()
        md5 = hashlib.md5(usedforsecurity=False)
        size = 0
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise on_too_large()
                sha256.update(chunk)
                md5.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        digests = Digests(size, sha256.hexdigest(), md5.hexdigest())
        check(digests)
        os.replace(staged, dest)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    return digests


@dataclass(frozen=True)
class TextContent:
    """Text pulled out of a JSON content response, as the bytes to save."""

    data: bytes
    content_type: str | None
    filename: str | None


TextExtractor = Callable[[httpx.Response, str, bytes], TextContent]


class Downloader:
    """Runs downloads through the transport, so they share its budget and retries."""

    def __init__(self, transport: Transport, stats: RequestStats) -> None:
        self._transport = transport
        self._stats = stats

    def binary(
        self,
        endpoint: Endpoint,
        object_id: str,
        dest: Path,
        *,
        max_bytes: int,
        expected_md5: str | None,
    ) -> Download:
        """A raw-bytes content endpoint (uploaded and generated files)."""

        def save(response: httpx.Response, label: str) -> Download:
            request_id = response.headers.get("request-id")
            length = response.headers.get("content-length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise too_large(label, request_id, max_bytes)
            check = md5_checker(
                label,
                request_id,
                content_md5=decode_content_md5(response.headers.get("content-md5")),
                expected_md5=expected_md5,
            )
            digests = save_verified(
                dest,
                response.iter_bytes(),
                max_bytes=max_bytes,
                on_too_large=lambda: too_large(label, request_id, max_bytes),
                check=check,
            )
            filename = filename_from_disposition(response.headers.get("content-disposition"))
            content_type = response.headers.get("content-type")
            return self._done(dest, digests, content_type, filename, request_id)

        return self._transport.call(endpoint, object_id, None, save)

    def text(
        self,
        endpoint: Endpoint,
        object_id: str,
        dest: Path,
        *,
        max_bytes: int,
        expected_md5: str | None,
        extract: TextExtractor,
    ) -> Download:
        """A JSON endpoint carrying text (project documents, artifacts), saved as UTF-8.

        ``max_bytes`` and ``expected_md5`` apply to the text's bytes; a
        ``Content-MD5`` header, if any, must match the body or those bytes.
        """

        def save(response: httpx.Response, label: str) -> Download:
            request_id = response.headers.get("request-id")
            cap = max_bytes * _JSON_ESCAPE_FACTOR + _JSON_ENVELOPE_BYTES
            body = read_capped(response, cap, lambda: too_large(label, request_id, max_bytes))
            text = extract(response, label, body)
            served = decode_content_md5(response.headers.get("content-md5"))
            if served is not None and served not in (_md5_hex(body), _md5_hex(text.data)):
                raise mismatch(label, request_id, "Content-MD5", in_transit=True)
            digests = save_verified(
                dest,
                [text.data],
                max_bytes=max_bytes,
                on_too_large=lambda: too_large(label, request_id, max_bytes),
                check=md5_checker(label, request_id, content_md5=None, expected_md5=expected_md5),
            )
            return self._done(dest, digests, text.content_type, text.filename, request_id)

        return self._transport.call(endpoint, object_id, None, save)

    def _done(
        self,
        dest: Path,
        digests: Digests,
        content_type: str | None,
        filename: str | None,
        request_id: str | None,
    ) -> Download:
        self._stats.downloaded(digests.size)
        return Download(
            path=dest,
            size=digests.size,
            sha256=digests.sha256,
            md5=digests.md5,
            content_type=content_type,
            filename=filename,
            request_id=request_id,
        )


def read_capped(response: httpx.Response, cap: int, on_too_large: Callable[[], Exception]) -> bytes:
    """The whole body, failing as soon as it passes ``cap`` bytes."""
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > cap:
            raise on_too_large()
        chunks.append(chunk)
    return b"".join(chunks)


def _md5_hex(data: bytes) -> str:
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


def artifact_from_body(
    response: httpx.Response, label: str, body: bytes
) -> tuple[ArtifactContent, bytes]:
    """An artifact version's text and its bytes (reference §4.7, §10 #4).

    A JSON object with a ``content`` string is the documented form. A body
    that is not JSON, or JSON without ``content`` not declared as
    ``application/json``, is the older plain-text form, taken verbatim.
    Declared JSON that does not parse was cut off in transit (retried).
    """
    request_id = response.headers.get("request-id")
    declared_json = "json" in response.headers.get("content-type", "").lower()
    if declared_json:
        parsed: object = json_object(body, label, request_id)
    else:
        try:
            parsed = json.loads(body)
        except ValueError:
            parsed = None
    if isinstance(parsed, dict) and isinstance(parsed.get("content"), str):
        content = ArtifactContent(
            content=parsed["content"],
            title=_string_or_none(parsed.get("title")),
            artifact_type=_string_or_none(parsed.get("artifact_type")),
            request_id=request_id,
        )
        return content, content.content.encode()
    if declared_json:
        info = ErrorInfo(message="JSON body has no 'content' string", request_id=request_id)
        raise MalformedResponseError(label, info)
    text = body.decode("utf-8", errors="replace")
    return ArtifactContent(content=text, request_id=request_id), body


def _string_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None
