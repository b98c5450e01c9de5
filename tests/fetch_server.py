"""A real HTTP server on 127.0.0.1 that plays Hugging Face's and arXiv's APIs for the fetch tests.

It answers at the real URL shapes (``/api/daily_papers?date=…``, ``/api/query?search_query=…``)
with the recorded real responses from ``../shared`` (read in place, byte for byte), records every
request it gets (path, parameters, the test clock's time), checks that requests never overlap
and come one connection at a time, and injects faults queued per request: any status and headers
(429 with ``RateLimit``, 500), a body cut short, an HTML page, an answer held back past the
client's read timeout.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from paperbrowse.search.fetch.http import Clock

from tests.dumps_paths import DUMPS

ARCHIVE = DUMPS.parent / "collections" / "hf-daily-json-archive"
HF_DAYS = DUMPS / "hf-daily-json"
ATOM = DUMPS / "arxiv-atom"

HTML_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>Sign in to the network</title></head>"
    b"<body><h1>Please log in</h1></body></html>\n"
)

#: What arXiv answers past the last result: a feed without entries.
EMPTY_FEED = (
    b"<?xml version='1.0' encoding='UTF-8'?>\n"
    b'<feed xmlns="http://www.w3.org/2005/Atom" '
    b'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">\n'
    b"  <title>arXiv Query</title>\n"
    b"  <opensearch:totalResults>0</opensearch:totalResults>\n</feed>\n"
)


def archive_day(day: str) -> bytes:
    """A recorded daily-papers answer: the collection's file for ``day``, else hf-daily-json's."""
    path = ARCHIVE / f"{day}.json"
    if not path.exists():
        path = HF_DAYS / f"daily_papers_{day}.json"
    return path.read_bytes()


@dataclass
class Fault:
    """One answer served instead of the real one (``body=None``: the real body)."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    #: Send only this many bytes of the body (Content-Length still says the whole length).
    cut: int | None = None
    #: Hold the answer back until the test is over (the client's read timeout must fire).
    stall: bool = False


@dataclass(frozen=True)
class Seen:
    path: str
    params: dict[str, str]
    #: The test clock's time when the request arrived (None without a clock).
    at: float | None
    #: The client's port: one per connection.
    port: int = 0


class FakeApis:
    """Start with ``with FakeApis(clock) as apis:``; point the client at ``apis.url``."""

    def __init__(self, clock: Callable[[], float] | None = None) -> None:
        self.clock = clock
        #: date/week/month value -> the answer's bytes; anything else answers ``[]``.
        self.hf: dict[str, bytes] = {}
        #: start -> the answer's bytes for /api/query.
        self.arxiv: dict[int, bytes] = {}
        #: "date=2026-08-20", "start=0" … -> faults served (first in, first out) before the real
        #: answer.
        self.faults: dict[str, list[Fault]] = {}
        self.requests: list[Seen] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.release = threading.Event()
        #: Set when a stalled request is being held.
        self.stalling = threading.Event()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # -- set-up ------------------------------------------------------------------------------

    def fault(self, key: str, *faults: Fault) -> None:
        self.faults.setdefault(key, []).extend(faults)

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeApis:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        ).start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()

    # -- what the tests read -----------------------------------------------------------------

    def hf_requests(self) -> list[dict[str, str]]:
        return [r.params for r in self.requests if r.path == "/api/daily_papers"]

    def one_connection_at_a_time(self) -> bool:
        """No request overlapped another, and once the client opened a new connection it never
        went back to an older one (two pooled connections would alternate)."""
        ports = [r.port for r in self.requests]
        left: set[int] = set()
        for before, port in zip([None, *ports], ports, strict=False):
            if port != before:
                if port in left:
                    return False
                if before is not None:
                    left.add(before)
        return self.max_in_flight <= 1

    # -- answering ---------------------------------------------------------------------------

    def _answer(self, path: str, params: dict[str, str]) -> Fault:
        if path == "/api/daily_papers":
            key = next((f"{k}={params[k]}" for k in ("date", "week", "month") if k in params), "")
            queued = self._take(key)
            if queued is not None and queued.body is not None:
                return queued
            body = self._hf_page(key.partition("=")[2], params)
        elif path == "/api/query":
            key = f"start={params.get('start', '0')}"
            queued = self._take(key)
            if queued is not None and queued.body is not None:
                return queued
            body = self.arxiv.get(int(params.get("start", "0")), EMPTY_FEED)
        else:
            return Fault(404, {"Content-Type": "text/plain"}, b"not found")
        if queued is not None:
            return Fault(queued.status, queued.headers, body, queued.cut, queued.stall)
        kind = "application/json" if path == "/api/daily_papers" else "application/atom+xml"
        return Fault(200, {"Content-Type": f"{kind}; charset=utf-8"}, body)

    def _take(self, key: str) -> Fault | None:
        with self._lock:
            queue = self.faults.get(key)
            return queue.pop(0) if queue else None

    def _hf_page(self, value: str, params: dict[str, str]) -> bytes:
        body = self.hf.get(value, b"[]")
        limit = int(params.get("limit", "50"))
        page = int(params.get("p", "0"))
        entries = json.loads(body)
        if page == 0 and len(entries) <= limit:
            return body  # the recorded answer, byte for byte
        return json.dumps(entries[page * limit : (page + 1) * limit], indent=2).encode()


def _handler(apis: FakeApis) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as the real services: one connection reused

        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            split = urlsplit(self.path)
            params = dict(parse_qsl(split.query, keep_blank_values=True))
            with apis._lock:
                apis.in_flight += 1
                apis.max_in_flight = max(apis.max_in_flight, apis.in_flight)
                at = apis.clock() if apis.clock else None
                apis.requests.append(Seen(split.path, params, at, self.client_address[1]))
            self._respond(apis._answer(split.path, params))

        def _done(self) -> None:
            # Before the first byte of the answer goes out: the client cannot send its next
            # request earlier, so two requests counted at once really were sent at once.
            with apis._lock:
                apis.in_flight -= 1

        def _respond(self, answer: Fault) -> None:
            if answer.stall:
                apis.stalling.set()
                apis.release.wait(30)
                self._done()
                self.close_connection = True
                return
            self._done()
            body = answer.body or b""
            self.send_response(answer.status)
            headers = {"Content-Type": "application/json", **answer.headers}
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if answer.cut is not None:
                self.wfile.write(body[: answer.cut])
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            self.wfile.write(body)

    return Handler


def refused_url() -> str:
    """A local URL nothing listens on: connecting to it is refused at once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def atom(name: str) -> bytes:
    return (ATOM / name).read_bytes()


class TestClock(Clock):
    """Virtual time: sleeping advances it at once and is recorded."""

    __test__ = False

    def __init__(self) -> None:
        super().__init__()
        self.now = 1000.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self.sleeps.append(seconds)
            self.now += seconds
