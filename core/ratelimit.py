"""Rate limits where tokens and anonymous requests come in: fixed-window counters
in Django's default cache, shared by every web process (Redis in production, files
under VAR_DIR on one machine; see CACHES in crm/settings.py).

A view names its limits; each request counts once in each of them, and when any is
over, the view does not run: the answer is 429 with Retry-After.

    @rate_limited(
        Limit("email-link", "RATE_LIMIT_EMAIL_LINK", by_url("token")),
        Limit("email-link-address", "RATE_LIMIT_EMAIL_LINK_ADDRESS", by_address),
    )
    def email_action(request, token): ...

A rate is a setting, `(count, seconds)` or None for no limit, read at each request.
The counter of a window starts at its first request and its key holds the window's
number, so it resets on the clock (`int(now // seconds)`), also with time-machine.
If the cache cannot be reached the request goes through (logged): a limit guards
against floods, it is not what keeps a secret.

At the bottom of the house: any app may use it, it imports none.
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
import logging
import math
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)

Rate = tuple[int, int]  # (requests, seconds)
KeyFunction = Callable[[HttpRequest, dict[str, Any]], str]


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind our proxy (BEHIND_PROXY) the
    last X-Forwarded-For hop, the one the proxy added (the hops before it are
    whatever the client sent). The sign-in lockout asks this too
    (AXES_CLIENT_IP_CALLABLE), so both count one client the same way."""
    remote = request.META.get("REMOTE_ADDR", "")
    if settings.BEHIND_PROXY:
        last = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip()
        if _is_ip(last):
            return last
    return remote


def by_address(request: HttpRequest, kwargs: dict[str, Any]) -> str:
    """The client's address; an IPv6 client counts by its /64, which one machine
    can roam across."""
    address = client_address(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def by_user(request: HttpRequest, kwargs: dict[str, Any]) -> str:
    user = getattr(request, "user", None)
    return str(user.pk) if user is not None and user.is_authenticated else ""


def by_url(name: str) -> KeyFunction:
    """The URL argument `name` (a token in a link)."""

    def key(request: HttpRequest, kwargs: dict[str, Any]) -> str:
        return str(kwargs.get(name, ""))

    return key


def by_field(name: str) -> KeyFunction:
    """A posted field, trimmed and in one case (an email typed)."""

    def key(request: HttpRequest, kwargs: dict[str, Any]) -> str:
        return request.POST.get(name, "").strip().lower()

    return key


@dataclass(frozen=True)
class Limit:
    scope: str  # names the counter; views sharing one count together
    setting: str  # the name of the setting holding the rate
    key: KeyFunction  # whose counter: a token, an address, a user


def hit(scope: str, key: str, rate: Rate | None, *, now: float | None = None) -> int:
    """Count one request of `key` under `scope`. 0 when it is within `rate`, else
    the seconds until the window ends (for Retry-After)."""
    if rate is None or not key:
        return 0
    allowed, seconds = rate
    now = time.time() if now is None else now
    window = int(now // seconds)
    retry_after = max(1, math.ceil((window + 1) * seconds - now))
    # Hashed: a token is a secret, and cache keys are shown by Redis to anyone
    # who may list them; the length stays bounded too.
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"ratelimit:{scope}:{seconds}:{window}:{digest}"
    try:
        cache.add(cache_key, 0, timeout=retry_after + 1)
        try:
            used = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.set(cache_key, 1, timeout=retry_after + 1)
            used = 1
        else:
            # Redis keeps the key's expiry through INCR; the file cache's incr
            # rewrites the key with the default timeout (5 minutes), which would
            # forget an hour's count.
            cache.touch(cache_key, retry_after + 1)
    except Exception:
        logger.warning(
            "Rate limit %s not counted: the cache failed", scope, exc_info=True
        )
        return 0
    if used <= allowed:
        return 0
    if used == allowed + 1:  # once a window, not once a request
        logger.warning(
            "Rate limit %s reached (%d in %d s); refused for %d s",
            scope,
            allowed,
            seconds,
            retry_after,
        )
    return retry_after


def _wait_in_words(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minutes"


def too_many_requests(
    request: HttpRequest, retry_after: int, *, plain: bool = False
) -> HttpResponse:
    """429 with Retry-After: a page saying to wait, or one line of text for
    programs (calendar apps)."""
    wait = _wait_in_words(retry_after)
    if plain:
        response = HttpResponse(
            f"Too many requests. Try again in {wait}.\n",
            content_type="text/plain; charset=utf-8",
            status=429,
        )
    else:
        response = render(request, "429.html", {"wait": wait}, status=429)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def rate_limited(
    *limits: Limit, methods: Collection[str] | None = None, plain: bool = False
) -> Callable:
    """A view decorator: each request (of `methods`, default all) counts in every
    limit; when one is over, 429 and the view does not run."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if methods is None or request.method in methods:
                waits = [
                    hit(
                        limit.scope,
                        limit.key(request, kwargs),
                        getattr(settings, limit.setting),
                    )
                    for limit in limits
                ]
                if max(waits, default=0):
                    return too_many_requests(request, max(waits), plain=plain)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
