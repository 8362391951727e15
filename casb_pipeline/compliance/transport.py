"""One request with the budget, the error mapping and the retries around it.

Retries (tenacity): 429 waits ``retry-after`` (and holds every worker through
the shared limiter), or backs off when the header is missing; 5xx, dropped or
timed-out connections, truncated chunked streams, bodies that are not JSON,
and ``Content-MD5`` mismatches back off exponentially with full jitter
(``backoff_base`` doubling up to ``backoff_cap``), at most ``max_retries``
times. A 5xx with ``x-should-retry: false`` and every other 4xx fail at once.
Each retry is logged at WARNING with the endpoint template, the status and
the request id, never with the key or query values.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt
from tenacity.wait import wait_random_exponential

from casb_pipeline.compliance.endpoints import Endpoint
from casb_pipeline.compliance.errors import (
    ChecksumMismatch,
    ComplianceApiError,
    ErrorInfo,
    MalformedResponseError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    error_from_response,
    scrubbed,
)
from casb_pipeline.compliance.ratelimit import RateLimiter
from casb_pipeline.compliance.stats import RequestStats
from casb_pipeline.config import Secret

log = logging.getLogger("casb_pipeline.compliance")
API_VERSION = "2023-06-01"
T = TypeVar("T")


class ApiKeyAuth(httpx.Auth):
    """Adds ``x-api-key`` as each request leaves; the key stays out of client headers."""

    def __init__(self, key: Secret) -> None:
        self._key = key

    def __repr__(self) -> str:
        return "ApiKeyAuth('***')"

    def auth_flow(self, request: httpx.Request) -> Iterator[httpx.Request]:
        request.headers["x-api-key"] = self._key.reveal()
        yield request


@dataclass(frozen=True)
class JsonResponse:
    body: dict[str, Any]
    request_id: str | None


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 8
    backoff_base: float = 1.0
    backoff_cap: float = 60.0


def is_transient(exc: BaseException) -> bool:
    """Whether a failed attempt is worth repeating unchanged."""
    if isinstance(exc, RateLimitedError | NetworkError):
        return True
    if isinstance(exc, ServerError):
        return exc.should_retry
    if isinstance(exc, MalformedResponseError):
        return exc.truncated
    if isinstance(exc, ChecksumMismatch):
        return exc.in_transit
    return False


class Transport:
    """Sends requests for one client; thread-safe (one pooled ``httpx.Client``)."""

    def __init__(
        self,
        base_url: str,
        api_key: Secret,
        *,
        limiter: RateLimiter,
        stats: RequestStats,
        policy: RetryPolicy,
        timeout: float,
        max_connections: int,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._key = api_key
        self.limiter = limiter
        self.stats = stats
        self.policy = policy
        self._backoff = wait_random_exponential(
            multiplier=policy.backoff_base, max=policy.backoff_cap
        )
        self._http = httpx.Client(
            base_url=self.base_url,
            auth=ApiKeyAuth(api_key),
            headers={"anthropic-version": API_VERSION, "user-agent": "casb-pipeline"},
            timeout=httpx.Timeout(timeout, pool=None),
            limits=httpx.Limits(
                max_connections=max_connections, max_keepalive_connections=max_connections
            ),
            follow_redirects=False,
        )

    def close(self) -> None:
        self._http.close()

    # --- public calls ------------------------------------------------------------

    def json(
        self,
        endpoint: Endpoint,
        object_id: str | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> JsonResponse:
        """A JSON object from ``endpoint`` (retried as the module says)."""
        return self.call(endpoint, object_id, params, self._read_json)

    def delete(self, endpoint: Endpoint, object_id: str) -> JsonResponse | None:
        """A DELETE; ``None`` when a *retried* attempt finds the object already gone.

        (The first attempt may have deleted it before its answer was lost.)
        """
        attempts = 0

        def once() -> JsonResponse | None:
            nonlocal attempts
            attempts += 1
            try:
                return self._attempt(endpoint, object_id, None, self._read_json)
            except NotFoundError:
                if attempts == 1:
                    raise
                return None

        return self._retrying()(once)

    def call(
        self,
        endpoint: Endpoint,
        object_id: str | None,
        params: Mapping[str, Any] | None,
        handle: Callable[[httpx.Response, str], T],
    ) -> T:
        """``handle(response, label)`` on a 2xx streaming response, with retries.

        ``handle`` reads the body itself (downloads stream it); exceptions it
        raises are retried when :func:`is_transient` says so.
        """
        return self._retrying()(self._attempt, endpoint, object_id, params, handle)

    # --- one attempt ------------------------------------------------------------

    def _attempt(
        self,
        endpoint: Endpoint,
        object_id: str | None,
        params: Mapping[str, Any] | None,
        handle: Callable[[httpx.Response, str], T],
    ) -> T:
        label = endpoint.label
        self.stats.request(label, self.limiter.acquire())
        try:
            with self._http.stream(
                endpoint.method, endpoint.path(object_id), params=_query(params)
            ) as response:
                self.limiter.observe(response.headers)
                if not response.is_success:
                    raise self._error(endpoint, response)
                return handle(response, label)
        except httpx.RequestError as exc:
            info = ErrorInfo(message=scrubbed(_describe(exc), self._key))
            raise NetworkError(label, info) from None

    def _error(self, endpoint: Endpoint, response: httpx.Response) -> ComplianceApiError:
        error = error_from_response(
            endpoint.label,
            response.status_code,
            response.headers,
            response.read(),
            listing=endpoint.listing,
            secret=self._key,
        )
        if isinstance(error, RateLimitedError) and error.retry_after is not None:
            self.limiter.hold(error.retry_after)
        return error

    @staticmethod
    def _read_json(response: httpx.Response, label: str) -> JsonResponse:
        request_id = response.headers.get("request-id")
        return JsonResponse(json_object(response.read(), label, request_id), request_id)

    # --- retry policy ------------------------------------------------------------

    def _retrying(self) -> Retrying:
        return Retrying(
            stop=stop_after_attempt(self.policy.max_retries + 1),
            retry=retry_if_exception(is_transient),
            wait=self._wait,
            before_sleep=self._log_retry,
            reraise=True,
        )

    def _wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, RateLimitedError) and error.retry_after is not None:
            return min(error.retry_after, self.limiter.max_hold)
        return float(self._backoff(state))

    def _log_retry(self, state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        if not isinstance(error, ComplianceApiError):
            return  # only client errors are retried; kept for the type checker
        self.stats.retry(error.endpoint)
        wait = state.next_action.sleep if state.next_action else 0.0
        log.warning(
            "%s: %s; retry %d of %d in %.2f s (request-id %s)",
            error.endpoint,
            _what_failed(error),
            state.attempt_number,
            self.policy.max_retries,
            wait,
            error.request_id or "none",
        )


def json_object(body: bytes, label: str, request_id: str | None) -> dict[str, Any]:
    """A 2xx body as a JSON object; unparsable means cut off in transit (retried)."""
    try:
        parsed = json.loads(body)
    except ValueError:
        info = ErrorInfo(message="body is not valid JSON", request_id=request_id)
        raise MalformedResponseError(label, info, truncated=True) from None
    if not isinstance(parsed, dict):
        info = ErrorInfo(message="body is not a JSON object", request_id=request_id)
        raise MalformedResponseError(label, info)
    return parsed


def _query(params: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if not params:
        return None
    return {name: value for name, value in params.items() if value is not None}


def _describe(exc: httpx.RequestError) -> str:
    detail = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


def _what_failed(error: ComplianceApiError) -> str:
    if error.status is not None:
        return f"{error.status} {error.error_type or ''}".strip()
    return f"{type(error).__name__} ({error.message or 'no detail'})"
