"""One request before a command launches its runs: is the API there, does it take the key?

``GET /activities`` for the last minute, one record: both a Compliance Access
Key and an Admin API key may call it, and it costs one request. A refused key,
a missing scope, a disabled API or an unreachable host stop the command with
one line (what, which URL, what to do) instead of every asset retrying for
minutes. Anything else (a 5xx or a 429 that outlasted the few retries) is handed
back for the command to mention: the runs' own retries may still get through.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from casb_pipeline.compliance import (
    ApiNotEnabledError,
    AuthenticationError,
    ComplianceApiError,
    ComplianceClient,
    NetworkError,
    PermissionDeniedError,
)
from casb_pipeline.config import Secret
from casb_pipeline.errors import CasbError

WINDOW = timedelta(minutes=1)
CLIENT_LOG = logging.getLogger("casb_pipeline.compliance")
# What no retry of the runs would cure.
FATAL = (AuthenticationError, PermissionDeniedError, NetworkError, ApiNotEnabledError)


class PreflightError(CasbError):
    """The API cannot serve this command; the message says why and what to do."""


def preflight(
    base_url: str,
    api_key: Secret,
    *,
    max_retries: int = 2,
    timeout: float = 15.0,
    backoff_base: float = 0.5,
) -> ComplianceApiError | None:
    """Raise :class:`PreflightError` when the API cannot serve the run at all.

    Returns ``None`` when the API answered, or the error of a failure that the
    runs may still overcome.
    """
    now = datetime.now(UTC)
    with (
        _retry_notes_kept_quiet(),
        ComplianceClient(
            base_url,
            api_key,
            rate_limit_rpm=0,
            max_concurrency=1,
            timeout=timeout,
            max_retries=max_retries,
            backoff_base=backoff_base,
            page_size=1,
        ) as client,
    ):
        try:
            next(client.activities(now - WINDOW, now), None)
        except FATAL as error:
            raise PreflightError(_explain(base_url, error)) from None
        except ComplianceApiError as error:
            return error
    return None


@contextmanager
def _retry_notes_kept_quiet() -> Iterator[None]:
    """The client's retry warnings stay off the terminal (the outcome is one line); a
    logging setup of the application's own still receives them."""
    quiet = logging.NullHandler()
    CLIENT_LOG.addHandler(quiet)
    try:
        yield
    finally:
        CLIENT_LOG.removeHandler(quiet)


def _explain(base_url: str, error: ComplianceApiError) -> str:
    if isinstance(error, NetworkError):
        text = (
            f"cannot reach the Compliance API at {base_url} ({error.message or 'no answer'}): "
            "check CASB_API_BASE_URL (the API root, without /v1/compliance) and the network"
        )
    elif isinstance(error, AuthenticationError):
        answer = " ".join(str(part) for part in (error.status, error.error_type) if part)
        text = (
            f"the Compliance API at {base_url} did not accept the key ({answer}): set "
            "ANTHROPIC_COMPLIANCE_ACCESS_KEY to an active Compliance Access Key "
            "(sk-ant-api01-…) or Admin API key, and CASB_API_BASE_URL to the API root"
        )
    elif isinstance(error, PermissionDeniedError):
        text = (
            f"the key cannot read the activity feed at {base_url}, which every run needs: "
            f"{error.hint()}"
        )
    else:
        text = f"the Compliance API at {base_url} cannot serve this key: {error.hint()}"
    return f"{text} (request-id {error.request_id})" if error.request_id else text
