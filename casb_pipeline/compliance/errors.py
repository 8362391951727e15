"""Errors of the Compliance API client, mapped from status and ``error.type``.

Classification follows the reference's contract: HTTP status plus
``error.type`` (plus ``details.error_code``) are stable, messages are not. Two
documented cases need the message anyway and degrade safely when it is
reworded: a 400 saying the API is not enabled becomes
:class:`ApiNotEnabledError` (still an :class:`InvalidRequestError`), and the
scopes of a 403 are parsed out of its message when they are there.

Every message is one line: what failed, on which endpoint, what to do. None
carries the API key, request headers or record content.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

from casb_pipeline.config import Secret
from casb_pipeline.errors import CasbError

_SCOPE = re.compile(r"'([^']+)'")
_GOT = re.compile(r"Got:\s*\[([^\]]*)\]")
_NEEDED = re.compile(r"Needed(?: one of)?:\s*\[([^\]]*)\]")
_BARE_NOT_FOUND = {"", "not found", "not found."}
_MAX_ID_CHARS = 120


def short_id(value: object) -> str | None:
    """An id fit for a message: strings only, length-capped."""
    if not isinstance(value, str) or not value:
        return None
    return value if len(value) <= _MAX_ID_CHARS else value[:_MAX_ID_CHARS] + "…"


@dataclass(frozen=True)
class ApiErrorBody:
    """What an error response said, tolerant of every documented envelope."""

    error_type: str | None = None
    message: str | None = None
    error_code: str | None = None

    @classmethod
    def parse(cls, content: bytes) -> ApiErrorBody:
        try:
            body = json.loads(content)
        except ValueError:
            return cls()
        error = body.get("error") if isinstance(body, dict) else None
        if not isinstance(error, dict):
            return cls()
        details = error.get("details")
        code = details.get("error_code") if isinstance(details, dict) else None
        return cls(
            error_type=_text(error.get("type")),
            message=_text(error.get("message")),
            error_code=_text(code),
        )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


@dataclass(frozen=True)
class ErrorInfo:
    """What one failed response carried (all optional: a dropped connection has none)."""

    status: int | None = None
    error_type: str | None = None
    message: str | None = None
    request_id: str | None = None
    error_code: str | None = None


class ComplianceApiError(CasbError):
    """A request to the Compliance API failed; carries what support needs."""

    def __init__(self, endpoint: str, info: ErrorInfo | None = None) -> None:
        info = info or ErrorInfo()
        self.endpoint = endpoint
        self.status = info.status
        self.error_type = info.error_type
        self.message = info.message
        self.request_id = info.request_id
        self.error_code = info.error_code
        super().__init__(self._render())

    def hint(self) -> str:
        """What the user should do; one clause, no secrets."""
        return "see the message and the request id"

    def _render(self) -> str:
        parts = [f"{self.endpoint}:"]
        if self.status is not None:
            parts.append(str(self.status))
        if self.error_type:
            parts.append(self.error_type)
        if self.error_code:
            parts.append(f"[{self.error_code}]")
        if self.message:
            parts.append(f"({' '.join(self.message.split())})")
        text = " ".join(parts) + f"; {self.hint()}"
        if self.request_id:
            text += f" (request-id {self.request_id})"
        return text


class AuthenticationError(ComplianceApiError):
    def hint(self) -> str:
        return (
            "the API key was not accepted: check that ANTHROPIC_COMPLIANCE_ACCESS_KEY holds an "
            "active Compliance Access Key (sk-ant-api01-…) and CASB_API_BASE_URL is the API root"
        )


class PermissionDeniedError(ComplianceApiError):
    """403: the key lacks a scope. ``needed_scopes``/``granted_scopes`` when stated."""

    def __init__(self, endpoint: str, info: ErrorInfo | None = None) -> None:
        text = (info.message if info else None) or ""
        self.granted_scopes = _scopes(_GOT, text)
        self.needed_scopes = _scopes(_NEEDED, text)
        super().__init__(endpoint, info)

    def hint(self) -> str:
        if not self.needed_scopes:
            return "the key lacks a scope this endpoint needs: use a key that has it"
        text = f"the key needs one of {', '.join(self.needed_scopes)}"
        if self.granted_scopes is not None:
            text += f" but has {', '.join(self.granted_scopes) or 'none'}"
        if self.granted_scopes == ("read:compliance_activities",):
            text += " (an Admin API key reaches the activity feed only)"
        return text + "; scopes are fixed at creation, so create a key with the needed scope"


def _scopes(pattern: re.Pattern[str], text: str) -> tuple[str, ...] | None:
    found = pattern.search(text)
    return tuple(_SCOPE.findall(found.group(1))) if found else None


class InvalidRequestError(ComplianceApiError):
    def hint(self) -> str:
        return "the API rejected the request parameters; this is a client bug worth reporting"


class ApiNotEnabledError(InvalidRequestError):
    def hint(self) -> str:
        return (
            "the Compliance API is not enabled for the key's organization: the primary owner "
            "turns it on in the claude.ai organization settings"
        )


class NotFoundError(ComplianceApiError):
    def hint(self) -> str:
        return (
            "the object does not exist (deleted, expired by retention, or out of the key's scope)"
        )


class ConflictError(ComplianceApiError):
    def hint(self) -> str:
        return "the object's state forbids this (a project with chats cannot be deleted)"


class RateLimitedError(ComplianceApiError):
    """429; ``retry_after`` in seconds when the server said."""

    def __init__(
        self, endpoint: str, info: ErrorInfo | None = None, *, retry_after: float | None = None
    ) -> None:
        self.retry_after = retry_after
        super().__init__(endpoint, info)

    def hint(self) -> str:
        return "the organization's request budget stayed spent; lower CASB_RATE_LIMIT_RPM"


class ServerError(ComplianceApiError):
    """5xx; ``should_retry`` is False when the server sent ``x-should-retry: false``."""

    def __init__(
        self, endpoint: str, info: ErrorInfo | None = None, *, should_retry: bool = True
    ) -> None:
        self.should_retry = should_retry
        super().__init__(endpoint, info)

    def hint(self) -> str:
        if self.should_retry:
            return "the API kept failing; try again later"
        return "the API reported a permanent failure for this request (not retried)"


class NetworkError(ComplianceApiError):
    """The connection failed, timed out or closed before the response was complete."""

    def hint(self) -> str:
        return "the API could not be reached or dropped the connection; check the network"


class MalformedResponseError(ComplianceApiError):
    """A 2xx body that is not what the endpoint documents.

    ``truncated`` marks bodies that are not even JSON (cut off in transit),
    which are retried; a well-formed body of the wrong shape is not.
    """

    def __init__(
        self, endpoint: str, info: ErrorInfo | None = None, *, truncated: bool = False
    ) -> None:
        self.truncated = truncated
        super().__init__(endpoint, info)

    def hint(self) -> str:
        return "the API answered with a body this client cannot read"


class PaginationError(ComplianceApiError):
    def hint(self) -> str:
        return "the API's pagination did not advance, so the walk stopped instead of looping"


class ContentTooLarge(ComplianceApiError):
    def hint(self) -> str:
        return "the content is larger than the configured cap; nothing was stored"


class ChecksumMismatch(ComplianceApiError):
    """The bytes disagree with ``Content-MD5`` (``in_transit``) or with the metadata md5."""

    def __init__(
        self, endpoint: str, info: ErrorInfo | None = None, *, in_transit: bool = False
    ) -> None:
        self.in_transit = in_transit
        super().__init__(endpoint, info)

    def hint(self) -> str:
        return "the downloaded bytes failed their checksum; nothing was stored"


class MalformedRecord(CasbError):
    """One record could not be parsed. Carries no record content, so it can be logged."""

    def __init__(
        self, stream: str, reason: str, *, record_id: object = None, request_id: str | None = None
    ) -> None:
        self.stream = stream
        self.reason = reason
        self.record_id = short_id(record_id)
        self.request_id = request_id
        where = f"{stream} record {self.record_id}" if self.record_id else f"{stream} record"
        text = f"malformed {where}: {reason}; quarantine it and continue"
        if request_id:
            text += f" (request-id {request_id})"
        super().__init__(text)


def scrubbed(text: str, secret: Secret) -> str:
    """``text`` without the secret, should a server or library ever echo it."""
    return text.replace(secret.reveal(), "***") if secret else text


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a ``retry-after`` header (delta-seconds; fractions tolerated)."""
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return seconds if seconds >= 0 else None


def error_from_response(
    endpoint: str,
    status: int,
    headers: Mapping[str, str],
    content: bytes,
    *,
    listing: bool,
    secret: Secret,
) -> ComplianceApiError:
    """The error for a non-2xx response; the ``secret`` is cut from the server's message.

    ``listing``: the endpoint is a list, where a bare ``Not found`` can only
    mean the credentials or the base URL are wrong (reference §1.5, §10 #2).
    """
    body = ApiErrorBody.parse(content)
    message = scrubbed(body.message, secret) if body.message else None
    info = ErrorInfo(status, body.error_type, message, headers.get("request-id"), body.error_code)
    if status == 429 or body.error_type == "rate_limit_error":
        return RateLimitedError(
            endpoint, info, retry_after=parse_retry_after(headers.get("retry-after"))
        )
    if status >= 500:
        should_retry = headers.get("x-should-retry", "").strip().lower() != "false"
        return ServerError(endpoint, info, should_retry=should_retry)
    if status == 404 and listing and (message or "").strip().lower() in _BARE_NOT_FOUND:
        return AuthenticationError(endpoint, info)
    cls = _BY_STATUS.get(status) or _BY_TYPE.get(body.error_type or "", ComplianceApiError)
    if cls is InvalidRequestError and "not enabled" in (message or "").lower():
        cls = ApiNotEnabledError
    return cls(endpoint, info)


_BY_STATUS: dict[int, type[ComplianceApiError]] = {
    400: InvalidRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
}
_BY_TYPE: dict[str, type[ComplianceApiError]] = {
    "invalid_request_error": InvalidRequestError,
    "authentication_error": AuthenticationError,
    "permission_error": PermissionDeniedError,
    "not_found_error": NotFoundError,
    "conflict_error": ConflictError,
}
