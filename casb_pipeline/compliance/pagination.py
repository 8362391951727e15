"""The API's two pagination schemes as page iterators (reference §3).

Both take ``fetch(params) -> Page``, which performs one request *including
its retries*: a cursor only moves after its page arrived, so a failed
request is always retried with the same cursor.

* ID cursors (activities, chats, chat messages): pass ``after_id=<last_id>``
  while ``has_more`` is true. A missing ``has_more`` means a single page.
* Page tokens (organizations, users, projects, attachments, collaborators,
  and the session-style endpoints without ``has_more``): pass
  ``page=<next_page>`` until ``has_more`` is false or ``next_page`` is
  null/absent. Empty pages do not end the walk while ``next_page`` is set;
  a missing ``next_page`` means a single page (the old unpaginated shape).

A server that says there is more but hands back no new cursor would loop
forever; that raises :class:`PaginationError` instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from casb_pipeline.compliance.errors import ErrorInfo, MalformedResponseError, PaginationError


@dataclass(frozen=True)
class Page:
    """One successful response of a list endpoint."""

    endpoint: str
    body: Mapping[str, Any]
    request_id: str | None

    def items(self, key: str = "data") -> list[Any]:
        value = self.body.get(key)
        if not isinstance(value, list):
            info = ErrorInfo(message=f"'{key}' is not a list", request_id=self.request_id)
            raise MalformedResponseError(self.endpoint, info)
        return value

    def stalled(self, detail: str) -> PaginationError:
        return PaginationError(self.endpoint, ErrorInfo(message=detail, request_id=self.request_id))


Fetch = Callable[[Mapping[str, Any]], Page]


def cursor_pages(fetch: Fetch, params: Mapping[str, Any]) -> Iterator[Page]:
    """Pages of an ``after_id``/``last_id`` endpoint, in the endpoint's order."""
    cursor: str | None = None
    while True:
        page = fetch(params if cursor is None else {**params, "after_id": cursor})
        yield page
        if page.body.get("has_more") is not True:
            return
        last_id = page.body.get("last_id")
        if not isinstance(last_id, str) or not last_id or last_id == cursor:
            raise page.stalled("has_more is true but last_id does not move the cursor")
        cursor = last_id


def token_pages(fetch: Fetch, params: Mapping[str, Any]) -> Iterator[Page]:
    """Pages of a ``page``/``next_page`` endpoint."""
    token: str | None = None
    seen: set[str] = set()
    while True:
        page = fetch(params if token is None else {**params, "page": token})
        yield page
        has_more = page.body.get("has_more")
        next_page = page.body.get("next_page")
        if has_more is False:
            return
        if next_page is None or next_page == "":
            if has_more is True:
                raise page.stalled("has_more is true but next_page is missing")
            return
        if not isinstance(next_page, str) or next_page in seen:
            raise page.stalled("next_page repeats an earlier token")
        seen.add(next_page)
        token = next_page
