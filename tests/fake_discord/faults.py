"""Fault injection and rate limits for the fake REST API.

Two mechanisms, both matched against the concrete request path with ``{name}`` wildcards:

* :class:`Fault` - "the next N requests matching METHOD PATH fail with STATUS". A fault can
  fire *before* the request is handled (nothing happens, as with a real 429) or *after* it
  (the write happens but the client sees an error: a lost response, which is what
  ``nonce`` + ``enforce_nonce`` exists for).
* :class:`Window` - a fixed-window limiter, used for Discord's ~5 messages / 5 s per channel.
  Successful responses advertise it in ``X-RateLimit-*`` headers, as Discord does; that is what
  discord.py's pre-emptive pacing reads.

A 429 carries everything discord.py needs to treat it as a rate limit rather than a Cloudflare
ban: a ``Via`` header and a JSON body with ``retry_after``.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from .errors import ApiError


def path_pattern(path: str) -> re.Pattern:
    """``/channels/{channel_id}/messages`` -> regex matching any channel id in that position."""
    parts = re.split(r"(\{[^}/]+\})", path)
    regex = "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts)
    return re.compile(f"^{regex}/?$")


@dataclass
class Fault:
    method: str
    path: str
    status: int
    times: int
    retry_after: float = 0.05
    is_global: bool = False
    after: bool = False
    body: dict[str, Any] | None = None
    hits: int = 0
    _regex: re.Pattern = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.method = self.method.upper()
        self._regex = path_pattern(self.path)

    @property
    def remaining(self) -> int:
        return self.times - self.hits

    def matches(self, method: str, path: str) -> bool:
        return self.remaining > 0 and method == self.method and bool(self._regex.match(path))

    def response(self, bucket: str) -> web.Response:
        if self.status == 429:
            return rate_limited(self.retry_after, bucket=bucket, is_global=self.is_global)
        body = self.body or {"code": 0, "message": f"{self.status}: injected failure"}
        return json_response(body, status=self.status)


class FaultPlan:
    def __init__(self) -> None:
        self.faults: list[Fault] = []

    def add(self, fault: Fault) -> Fault:
        self.faults.append(fault)
        return fault

    def take(self, method: str, path: str, *, after: bool) -> Fault | None:
        for fault in self.faults:
            if fault.after == after and fault.matches(method, path):
                fault.hits += 1
                return fault
        return None

    def clear(self) -> None:
        self.faults.clear()


@dataclass
class Window:
    """Fixed window: ``limit`` requests per ``per`` seconds, per key (e.g. channel id)."""

    limit: int
    per: float
    enforce: bool = True
    advertise: bool = True
    clock: Callable[[], float] = time.monotonic
    _windows: dict[str, tuple[float, int]] = field(default_factory=dict)

    def _current(self, key: str) -> tuple[float, int]:
        now = self.clock()
        start, used = self._windows.get(key, (now, 0))
        if now - start >= self.per:
            start, used = now, 0
        return start, used

    def check(self, key: str) -> float | None:
        """Return seconds to wait if this request would exceed the window, else count it."""
        start, used = self._current(key)
        if self.enforce and used >= self.limit:
            return max(0.001, start + self.per - self.clock())
        self._windows[key] = (start, used + 1)
        return None

    def headers(self, key: str, bucket: str) -> dict[str, str]:
        start, used = self._current(key)
        reset_after = max(0.0, start + self.per - self.clock())
        return ratelimit_headers(self.limit, max(0, self.limit - used), reset_after, bucket)


@dataclass
class GlobalLimit:
    """Discord's global limit: at most ``limit`` requests in any ``per`` seconds (a sliding
    window) across a bot's REST calls, interaction and webhook routes excepted. Discord does not
    advertise it in headers: a bot must know it, and a request over it gets a global 429."""

    limit: int = 50
    per: float = 1.0
    clock: Callable[[], float] = time.monotonic
    _times: deque = field(default_factory=deque)
    refused: int = 0

    def check(self) -> float | None:
        """Seconds to wait if this request is over the limit, else count it."""
        now = self.clock()
        while self._times and now - self._times[0] >= self.per:
            self._times.popleft()
        if len(self._times) >= self.limit:
            self.refused += 1
            return max(0.001, self._times[0] + self.per - now)
        self._times.append(now)
        return None


def bucket_hash(route: str) -> str:
    return hashlib.sha1(route.encode()).hexdigest()[:16]


def ratelimit_headers(limit: int, remaining: int, reset_after: float, bucket: str) -> dict[str, str]:
    return {
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": str(remaining),
        "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
        "X-RateLimit-Reset-After": f"{reset_after:.3f}",
        "X-RateLimit-Bucket": bucket,
    }


def json_response(data: Any, *, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """JSON with ``Content-Type: application/json`` exactly (no charset): discord.py compares
    the header by equality and would otherwise hand the bot a ``str``."""
    all_headers = {"Content-Type": "application/json"}
    all_headers.update(headers or {})
    return web.Response(body=json.dumps(data).encode(), status=status, headers=all_headers)


def error_response(error: ApiError) -> web.Response:
    return json_response(error.body(), status=error.status)


def rate_limited(retry_after: float, *, bucket: str, is_global: bool = False, limit: int = 5) -> web.Response:
    headers = ratelimit_headers(limit, 0, retry_after, bucket)
    headers.update(
        {
            "Retry-After": str(max(1, math.ceil(retry_after))),
            "X-RateLimit-Scope": "global" if is_global else "user",
            "Via": "1.1 google",
        }
    )
    if is_global:
        headers["X-RateLimit-Global"] = "true"
    body = {"message": "You are being rate limited.", "retry_after": retry_after, "global": is_global}
    return json_response(body, status=429, headers=headers)
