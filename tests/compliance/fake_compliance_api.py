"""A scriptable HTTP server on 127.0.0.1 for exact fault control in client tests.

Routes map (method, path regex) to a handler returning a :class:`Reply`;
``script`` queues one-shot replies (faults) served before the handler. Every
request is recorded (method, path, query, headers) for assertions.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Reply:
    status: int = 200
    json: Any = None
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    chunks: list[bytes] | None = None  # sent chunked
    cut_stream: bool = False  # close before the terminating chunk
    no_response: bool = False  # close without answering at all
    delay: float = 0.0

    def payload(self) -> bytes:
        if self.body is not None:
            return self.body
        return json.dumps(self.json if self.json is not None else {}).encode()


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    at: float


Handler = Callable[[Seen], Reply]
KEY = "sk-ant-api01-test-key-for-the-fake-server"


def error(status: int, error_type: str, message: str, **extra: Any) -> Reply:
    """An error in the documented envelope, with a request id."""
    headers = {"request-id": f"req_{status}_{error_type}", **extra.pop("headers", {})}
    body: dict[str, Any] = {"error": {"type": error_type, "message": message, **extra}}
    return Reply(status=status, json=body, headers=headers)


class FakeApi:
    def __init__(self) -> None:
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = []
        self._scripts: list[tuple[str, re.Pattern[str], list[Reply]]] = []
        self._lock = threading.Lock()
        self.seen: list[Seen] = []
        self._server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def route(self, method: str, pattern: str, handler: Handler | Reply) -> None:
        fn = handler if callable(handler) else (lambda _seen, reply=handler: reply)
        self._routes.append((method, re.compile(pattern + "$"), fn))

    def script(self, method: str, pattern: str, *replies: Reply) -> None:
        """Serve ``replies`` (in order) to the next matching requests, then the route."""
        with self._lock:
            self._scripts.append((method, re.compile(pattern + "$"), list(replies)))

    def requests(self, pattern: str = ".*") -> list[Seen]:
        regex = re.compile(pattern + "$")
        with self._lock:
            return [seen for seen in self.seen if regex.match(seen.path)]

    def _reply(self, seen: Seen) -> Reply:
        with self._lock:
            self.seen.append(seen)
            for method, regex, queue in self._scripts:
                if queue and method == seen.method and regex.match(seen.path):
                    return queue.pop(0)
        for method, regex, fn in self._routes:
            if method == seen.method and regex.match(seen.path):
                return fn(seen)
        return error(404, "not_found_error", "Not found")

    def __enter__(self) -> FakeApi:
        api = self

        class RequestHandler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                return

            def _serve(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                if length:
                    self.rfile.read(length)
                url = urlsplit(self.path)
                seen = Seen(
                    self.command,
                    url.path,
                    parse_qs(url.query, keep_blank_values=True),
                    {k.lower(): v for k, v in self.headers.items()},
                    time.monotonic(),
                )
                reply = api._reply(seen)
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.no_response:
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if reply.chunks is None:
                    payload = reply.payload()
                    self.send_header(
                        "content-type", reply.headers.get("content-type", "application/json")
                    )
                    self.send_header("content-length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                self.send_header("transfer-encoding", "chunked")
                self.end_headers()
                for chunk in reply.chunks:
                    self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                if reply.cut_stream:
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                self.wfile.write(b"0\r\n\r\n")

            do_GET = _serve
            do_DELETE = _serve

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), RequestHandler)
        self._server.daemon_threads = True
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        ).start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()


def pages_by_cursor(items: list[dict[str, Any]], seen: Seen, default_limit: int = 100) -> Reply:
    """Scheme A over ``items`` (cursor = the last item's id), as the reference describes."""
    limit = int(seen.query.get("limit", [default_limit])[0])
    after = seen.query.get("after_id", [None])[0]
    start = 0 if after is None else [item["id"] for item in items].index(after) + 1
    page = items[start : start + limit]
    return Reply(
        json={
            "data": page,
            "has_more": start + limit < len(items),
            "first_id": page[0]["id"] if page else None,
            "last_id": page[-1]["id"] if page else None,
        },
        headers={"request-id": f"req_page_{start}"},
    )


def pages_by_token(items: list[dict[str, Any]], seen: Seen, default_limit: int = 20) -> Reply:
    """Scheme B over ``items`` (token = the next offset, opaque to the client)."""
    limit = int(seen.query.get("limit", [default_limit])[0])
    start = int(seen.query.get("page", ["page_0"])[0].removeprefix("page_"))
    more = start + limit < len(items)
    return Reply(
        json={
            "data": items[start : start + limit],
            "has_more": more,
            "next_page": f"page_{start + limit}" if more else None,
        },
        headers={"request-id": f"req_page_{start}"},
    )
