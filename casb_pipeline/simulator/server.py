"""HTTP/1.1 over loopback: authentication, rate limit, faults, envelopes, streaming.

Order of checks for each request, as the reference describes: unknown path
or missing/foreign key -> bare 404 ``Not found`` (not counted against the
budget); wrong key value -> 401; then the request counts against the
per-minute budget (429 past it), injected faults apply, scopes are checked
(403, still counted), the query string is validated (400), and the handler
answers. Every response carries ``request-id``; authenticated ones carry the
``anthropic-ratelimit-*`` headers.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import secrets
import socket
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote, urlsplit

from casb_pipeline.simulator.api_errors import ApiError, missing_scopes, not_found
from casb_pipeline.simulator.config import ADMIN_KEY_PREFIX, COMPLIANCE_KEY_PREFIX
from casb_pipeline.simulator.endpoints import Content, Route, match
from casb_pipeline.simulator.faults import FaultPlan
from casb_pipeline.simulator.ids import ALPHABET
from casb_pipeline.simulator.params import parse_query
from casb_pipeline.simulator.ratelimit import RateLimiter
from casb_pipeline.simulator.store import Store

CHUNK = 64 * 1024
SLOW_SECONDS = 0.5
_FAULT_ERRORS = {
    "429": (
        429,
        "rate_limit_error",
        "Compliance API rate limit exceeded for this parent organization.",
    ),
    "500": (500, "api_error", "Internal server error"),
    "500_no_retry": (500, "api_error", "Internal server error"),
    "502": (502, "api_error", "Bad gateway"),
    "503": (503, "overloaded_error", "Overloaded"),
}


class ServerState:
    """What the handler threads share: the data, keys, limiter, faults and counters."""

    def __init__(self, store: Store, keys: dict[str, frozenset[str]], limiter: RateLimiter) -> None:
        self.store = store
        self.keys = keys
        self.limiter = limiter
        self.faults = FaultPlan()
        self.counts: Counter[str] = Counter()
        self.counts_lock = threading.Lock()

    def count(self, label: str) -> None:
        with self.counts_lock:
            self.counts[label] += 1


def _request_id() -> str:
    return "req_01" + "".join(secrets.choice(ALPHABET) for _ in range(22))


def _limit_message(rpm: int, retry_after: str) -> str:
    return (
        f"Compliance API rate limit of {rpm} requests per minute per parent organization has "
        f"been exceeded. Retry after {retry_after} seconds."
    )


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        """Silent: request lines would end up in test and pipeline logs."""

    def do_GET(self) -> None:
        self._serve("GET")

    def do_DELETE(self) -> None:
        self._serve("DELETE")

    def do_POST(self) -> None:
        self._serve("POST")  # no route takes it: the bare 404 of an unknown path

    def do_PUT(self) -> None:
        self._serve("PUT")

    def do_PATCH(self) -> None:
        self._serve("PATCH")

    def _drain_body(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        if length:
            self.rfile.read(length)

    def _serve(self, method: str) -> None:
        self._drain_body()
        state = self.server.state
        headers = {"request-id": _request_id()}
        parts = urlsplit(self.path)
        found = match(method, parts.path)
        try:
            if found is None:
                raise not_found()
            route, ids = found
            state.count(route.label)
            scopes = self._authenticate(state)
            allowed, limit_headers = state.limiter.take(time.time())
            headers.update(limit_headers)
            if not allowed:
                retry = limit_headers["retry-after"]
                raise ApiError(429, "rate_limit_error", _limit_message(state.limiter.rpm, retry))
            fault = state.faults.pick(parts.path, streamed=route.streamed)
            if fault in _FAULT_ERRORS:
                self._fail(fault, headers, state)
            self._check_scopes(route, scopes)
            query = parse_query(parts.query, route.params)
            now = int(time.time())
            result = route.handler(state.store, ids, query, now)
        except ApiError as error:
            headers.update(error.headers)
            self._send_json(error.status, error.body(), headers, None)
            return
        if fault == "slow":
            time.sleep(SLOW_SECONDS)
        if isinstance(result, Content):
            self._send_content(result, headers, fault)
        else:
            self._send_json(200, result, headers, fault)

    def _authenticate(self, state: ServerState) -> frozenset[str]:
        key = self.headers.get("x-api-key", "")
        if not key.startswith((COMPLIANCE_KEY_PREFIX, ADMIN_KEY_PREFIX)):
            raise not_found()
        scopes = state.keys.get(key)
        if scopes is None:
            raise ApiError(401, "authentication_error", "API key is invalid.")
        return scopes

    def _fail(self, fault: str, headers: dict[str, str], state: ServerState) -> None:
        status, error_type, message = _FAULT_ERRORS[fault]
        if fault == "429":
            headers.update(state.limiter.peek(time.time()))
            headers["retry-after"] = "1"
        if fault == "500_no_retry":
            headers["x-should-retry"] = "false"
        raise ApiError(status, error_type, message)

    @staticmethod
    def _check_scopes(route: Route, scopes: frozenset[str]) -> None:
        if scopes.intersection(route.scopes):
            return
        raise missing_scopes(sorted(scopes), list(route.scopes), delete=route.deletes)

    def _send_json(
        self, status: int, body: object, headers: dict[str, str], fault: str | None
    ) -> None:
        data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        if fault == "malformed":
            data = data[: len(data) // 2]
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if fault == "drop":
            self.wfile.write(data[: len(data) // 2])
            self._cut()
            return
        self.wfile.write(data)

    def _send_content(self, content: Content, headers: dict[str, str], fault: str | None) -> None:
        data = content.data
        digest = hashlib.md5(data + b"x" if fault == "bad_md5" else data, usedforsecurity=False)
        self.send_response(200)
        self.send_header("content-type", content.content_type)
        self.send_header(
            "content-disposition",
            "attachment; filename*=utf-8''" + quote(content.filename, safe=""),
        )
        self.send_header("content-md5", base64.b64encode(digest.digest()).decode())
        self.send_header("transfer-encoding", "chunked")
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if fault == "drop":
            half = data[: max(1, len(data) // 2)]
            self.wfile.write(f"{len(half):x}\r\n".encode() + half + b"\r\n")
            self._cut()
            return
        for start in range(0, len(data), CHUNK):
            piece = data[start : start + CHUNK]
            self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
        self.wfile.write(b"0\r\n\r\n")

    def _cut(self) -> None:
        """Close the connection mid-response, as a crashed proxy would."""
        self.close_connection = True
        self.wfile.flush()
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, port: int, state: ServerState) -> None:
        self.state = state
        super().__init__(("127.0.0.1", port), _Handler)


class HttpServer:
    """Serves ``state`` on 127.0.0.1 in a background thread."""

    def __init__(self, state: ServerState, port: int) -> None:
        self._server = _Server(port, state)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="casb-simulator", daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
