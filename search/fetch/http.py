"""The HTTP side of fetching: urllib3 does the work, this module only configures it.

urllib3's ``Retry`` already does backoff on connection errors and 5xx answers and waits as a
``Retry-After`` header says; what it does not know is Hugging Face's ``RateLimit`` header
(``"api";r=0;t=42``: 42 seconds until the quota resets), so :class:`PoliteRetry` reads that too.
Every wait (a 429's, a backoff, the pacing between requests) goes through a :class:`Clock`, so a
test can run a whole fetch, 429s and arXiv's three seconds between calls included, without
sleeping; and every 429 wait is announced (``on_wait``) so the user knows why nothing moves.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    InvalidHeader,
    MaxRetryError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)
from urllib3.response import BaseHTTPResponse
from urllib3.util.retry import Retry

#: Sent with every request: services ask clients to say who they are.
USER_AGENT = "paperbrowse/0.1 (a local-first terminal reader for research papers)"

#: The longest wait a 429 may ask for (seconds); a longer one is cut to this.
MAX_RATE_LIMIT_WAIT = 300

_RATE_LIMIT_RESET = re.compile(r"(?:^|[;,\s])t\s*=\s*(\d+)")


class FetchError(Exception):
    """A fetch that cannot go on (offline, the service keeps failing): one line for the user."""


class FetchCancelled(Exception):
    """The clock was cancelled during a wait (the app is closing)."""


class Clock:
    """Real time: ``monotonic()`` and a ``sleep()`` that :meth:`cancel` can cut short."""

    def __init__(self) -> None:
        self._cancelled = threading.Event()

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        # An Event wait, not time.sleep: a closing app must not hang on a five-minute 429 wait.
        if seconds > 0 and self._cancelled.wait(seconds):
            raise FetchCancelled

    def cancel(self) -> None:
        self._cancelled.set()


class Pacer:
    """At least ``interval`` seconds from the end of one request to the start of the next."""

    def __init__(self, clock: Clock, interval: float) -> None:
        self.clock = clock
        self.interval = interval
        self._last_end: float | None = None

    def before_request(self) -> None:
        if self._last_end is not None and self.interval > 0:
            self.clock.sleep(self._last_end + self.interval - self.clock.monotonic())

    def after_request(self) -> None:
        self._last_end = self.clock.monotonic()


def rate_limit_reset(header: str | None) -> float | None:
    """Seconds until the quota resets, from an IETF ``RateLimit`` header (``"api";r=0;t=42``)."""
    if not header:
        return None
    match = _RATE_LIMIT_RESET.search(header)
    return float(match.group(1)) if match else None


class PoliteRetry(Retry):
    """urllib3's Retry, plus HF's ``RateLimit`` header, an injectable clock and pacing.

    urllib3 calls :meth:`sleep` between two attempts: the wait is announced, taken on the
    clock, and the pacer keeps retries as far apart as first attempts.
    """

    def __init__(
        self,
        *args: Any,
        clock: Clock | None = None,
        pacer: Pacer | None = None,
        on_wait: Callable[[float, int], None] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.clock = clock or Clock()
        self.pacer = pacer
        self.on_wait = on_wait

    def new(self, **kw: Any) -> PoliteRetry:
        # urllib3 makes a new Retry for every attempt from its own parameters only.
        kw.setdefault("clock", self.clock)
        kw.setdefault("pacer", self.pacer)
        kw.setdefault("on_wait", self.on_wait)
        return super().new(**kw)

    def get_retry_after(self, response: BaseHTTPResponse) -> float | None:
        try:
            seconds = super().get_retry_after(response)
        except InvalidHeader:  # "Retry-After: soon": urllib3 would let this escape the request
            seconds = None
        if seconds is None:
            seconds = rate_limit_reset(response.headers.get("RateLimit"))
        # Capped here rather than with retry_after_max, which only newer urllib3 2.x have.
        return None if seconds is None else min(seconds, MAX_RATE_LIMIT_WAIT)

    def sleep_for_retry(self, response: BaseHTTPResponse) -> bool:
        seconds = self.get_retry_after(response)
        if not seconds:
            return False
        if self.on_wait is not None:
            self.on_wait(seconds, response.status)
        self.clock.sleep(seconds)
        return True

    def sleep(self, response: BaseHTTPResponse | None = None) -> None:
        if self.pacer is not None:
            self.pacer.after_request()
        if not (self.respect_retry_after_header and response and self.sleep_for_retry(response)):
            self.clock.sleep(self.get_backoff_time())
        if self.pacer is not None:
            self.pacer.before_request()


@dataclass(frozen=True)
class Response:
    status: int
    headers: Mapping[str, str]
    body: bytes
    url: str

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "").split(";")[0].strip().lower()


@dataclass
class HttpSettings:
    """How patient to be. Tests shorten the read timeout; everything else is the product's."""

    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    connect_retries: int = 3
    read_retries: int = 2
    status_retries: int = 4
    backoff_factor: float = 2.0
    backoff_max: float = 60.0
    retry_statuses: frozenset[int] = field(
        default_factory=lambda: frozenset({429, 500, 502, 503, 504})
    )


class HttpClient:
    """GET requests to one service, one connection at a time, paced, retried, announced."""

    def __init__(
        self,
        base_url: str,
        *,
        clock: Clock | None = None,
        min_interval: float = 0.0,
        settings: HttpSettings | None = None,
        on_wait: Callable[[float, int], None] | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.host = self.host_of(self.base_url)
        self.clock = clock or Clock()
        self.settings = settings or HttpSettings()
        self.pacer = Pacer(self.clock, min_interval)
        self.on_wait = on_wait
        # maxsize=1 and block=True: never a second connection to the service, even by mistake.
        self._pool = urllib3.PoolManager(
            num_pools=1,
            maxsize=1,
            block=True,
            headers={"User-Agent": USER_AGENT},
        )

    @staticmethod
    def host_of(url: str) -> str:
        """``huggingface.co`` for ``https://huggingface.co/…``: how messages name a service."""
        return urlsplit(url).netloc or url

    def _retry(self) -> PoliteRetry:
        s = self.settings
        return PoliteRetry(
            total=s.connect_retries + s.read_retries + s.status_retries,
            connect=s.connect_retries,
            read=s.read_retries,
            status=s.status_retries,
            redirect=3,
            status_forcelist=s.retry_statuses,
            backoff_factor=s.backoff_factor,
            backoff_max=s.backoff_max,
            # The last answer is returned (not raised) so that its status can be reported.
            raise_on_status=False,
            clock=self.clock,
            pacer=self.pacer,
            on_wait=self.on_wait,
        )

    def get(self, path: str, params: Mapping[str, str | int]) -> Response:
        """The whole answer to ``GET base_url + path?params`` (retries done); FetchError when
        the service cannot be reached or its answer is cut short after every retry."""
        url = f"{self.base_url}{path}?{urlencode(params)}"
        timeout = urllib3.Timeout(
            connect=self.settings.connect_timeout, read=self.settings.read_timeout
        )
        self.pacer.before_request()
        try:
            raw = self._pool.request("GET", url, retries=self._retry(), timeout=timeout)
        except MaxRetryError as exc:
            raise FetchError(self._transport_message(exc.reason)) from None
        except (ProtocolError, ReadTimeoutError) as exc:
            raise FetchError(self._transport_message(exc)) from None
        finally:
            self.pacer.after_request()
        if raw.status == 429:
            # Still refused after waiting as told, every retry: the other requests would be too.
            raise FetchError(f"{self.host} keeps answering 429 (too many requests); try later")
        headers = {k: v for k, v in raw.headers.items()}
        return Response(raw.status, headers, raw.data, url)

    def _transport_message(self, reason: Exception | None) -> str:
        if isinstance(reason, ReadTimeoutError):
            return (
                f"{self.host} did not answer within {self.settings.read_timeout:g} s "
                f"({self.settings.read_retries + 1} tries)"
            )
        # NewConnectionError first: urllib3 makes it a subclass of ConnectTimeoutError.
        if isinstance(reason, NewConnectionError):
            return f"cannot reach {self.host}: {_os_reason(reason.__context__ or reason)}"
        if isinstance(reason, ConnectTimeoutError):
            return f"cannot reach {self.host}: connection timed out"
        if isinstance(reason, ProtocolError):
            return f"the answer from {self.host} was cut short ({_os_reason(reason)})"
        return f"cannot reach {self.host}: {_os_reason(reason)}"

    def close(self) -> None:
        self._pool.clear()


def _os_reason(exc: BaseException | None) -> str:
    """The readable end of an exception chain: 'Connection refused', 'Name or service …'."""
    while exc is not None:
        if isinstance(exc, OSError) and exc.strerror:
            return exc.strerror
        if exc.args and isinstance(exc.args[-1], BaseException):
            exc = exc.args[-1]
            continue
        break
    text = str(exc) if exc is not None else "unknown error"
    # urllib3 prefixes its own object reprs ("<urllib3.connection.HTTPConnection object …>: ").
    return re.sub(r"^<[^>]*>:\s*", "", text)
