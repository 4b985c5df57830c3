"""The limiter (core.ratelimit): fixed windows over the cache, the client's address,
the rate settings, and the cache every process shares."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import subprocess
import sys
import uuid

import pytest
import redis
import time_machine
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory, override_settings

from core.ratelimit import by_address, client_address, hit
from crm.env import envrate

from ..accounts.test_settings import ROOT, run_manage
from ..conftest import require

START = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)


def test_it_allows_the_rate_then_refuses_until_the_window_ends():
    now = 1_800_000_000.0  # a whole hour, so windows start here
    assert [hit("t", "k", (3, 3600), now=now + i) for i in range(3)] == [0, 0, 0]
    assert hit("t", "k", (3, 3600), now=now + 100) == 3500
    assert hit("t", "k", (3, 3600), now=now + 3599.5) == 1
    # The next window starts again from nothing.
    assert hit("t", "k", (3, 3600), now=now + 3600) == 0


def test_keys_and_scopes_count_apart():
    now = 1_800_000_000.0
    assert hit("t", "a", (1, 60), now=now) == 0
    assert hit("t", "a", (1, 60), now=now) > 0
    assert hit("t", "b", (1, 60), now=now) == 0
    assert hit("other", "a", (1, 60), now=now) == 0


def test_the_window_resets_on_the_clock():
    with time_machine.travel(START, tick=False) as clock:
        assert hit("t", "k", (2, 60)) == 0
        assert hit("t", "k", (2, 60)) == 0
        assert hit("t", "k", (2, 60)) == 60
        clock.shift(dt.timedelta(seconds=45))
        assert hit("t", "k", (2, 60)) == 15
        clock.shift(dt.timedelta(seconds=15))
        assert hit("t", "k", (2, 60)) == 0


def test_no_rate_or_no_key_is_never_limited():
    assert all(hit("t", "k", None) == 0 for _ in range(50))
    assert all(hit("t", "", (1, 60)) == 0 for _ in range(50))


def test_a_token_never_appears_in_a_cache_key():
    token = "a-secret-token-from-an-email-link"
    hit("email-link", token, (5, 60))
    keys = list(cache._cache)  # LocMem under pytest
    assert keys
    assert not any(token in key for key in keys)


def test_a_count_outlives_the_caches_default_timeout(tmp_path):
    # The file cache's incr rewrites a key with the default timeout: the limiter
    # must keep the window's expiry, or an hourly count is forgotten.
    files = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
            "TIMEOUT": 5,
        }
    }
    with override_settings(CACHES=files), time_machine.travel(START, tick=False) as c:
        for _ in range(3):
            assert hit("t", "k", (3, 3600)) == 0
            c.shift(dt.timedelta(seconds=60))
        assert hit("t", "k", (3, 3600)) == 3600 - 180


def test_an_unreachable_cache_lets_requests_through_and_says_so(caplog):
    down = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    with override_settings(CACHES=down), caplog.at_level(logging.WARNING):
        assert [hit("t", "k", (1, 60)) for _ in range(3)] == [0, 0, 0]
    assert "Rate limit t not counted: the cache failed" in caplog.text


# The client's address


def request_from(remote="10.0.0.1", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_a_proxy_the_address_is_the_connections(settings):
    settings.BEHIND_PROXY = False
    assert client_address(request_from("10.0.0.1", "203.0.113.9")) == "10.0.0.1"


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("203.0.113.9", "203.0.113.9"),
        # What the client wrote before the proxy's hop is not believed.
        ("1.2.3.4, 203.0.113.9", "203.0.113.9"),
        ("1.2.3.4,203.0.113.9", "203.0.113.9"),
        ("2001:db8::1", "2001:db8::1"),
        # No header, or one that is not an address: the connection's.
        (None, "10.0.0.1"),
        ("", "10.0.0.1"),
        ("203.0.113.9, junk", "10.0.0.1"),
    ],
)
def test_behind_the_proxy_the_address_is_the_last_forwarded_hop(
    settings, forwarded, expected
):
    settings.BEHIND_PROXY = True
    assert client_address(request_from("10.0.0.1", forwarded)) == expected


def test_an_ipv6_client_counts_by_its_64(settings):
    settings.BEHIND_PROXY = False
    one = by_address(request_from("2001:db8:1:2::1"), {})
    other = by_address(request_from("2001:db8:1:2:ffff::9"), {})
    elsewhere = by_address(request_from("2001:db8:1:3::1"), {})
    assert one == other == "2001:db8:1:2::/64"
    assert elsewhere != one
    assert by_address(request_from("10.0.0.1"), {}) == "10.0.0.1"


# The rate settings


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("20/minute", (20, 60)),
        ("20/min", (20, 60)),
        ("20/m", (20, 60)),
        (" 5 / Hour ", (5, 3600)),
        ("60/hours", (60, 3600)),
        ("3/s", (3, 1)),
        ("100/day", (100, 86400)),
        ("off", None),
    ],
)
def test_a_rate_reads_as_requests_per_period(monkeypatch, value, expected):
    monkeypatch.setenv("RATE_LIMIT_X", value)
    assert envrate("RATE_LIMIT_X", "1/m") == expected


@pytest.mark.parametrize("value", ["20", "0/minute", "-1/m", "x/m", "20/week", ""])
def test_a_bad_rate_fails_loudly_naming_the_variable(monkeypatch, value):
    monkeypatch.setenv("RATE_LIMIT_X", value)
    with pytest.raises(ImproperlyConfigured, match="RATE_LIMIT_X must be a number"):
        envrate("RATE_LIMIT_X", "1/m")


def test_a_bad_rate_stops_the_process_at_start(tmp_path):
    result = run_manage(
        "check",
        env_extra={
            "DEBUG": "true",
            "VAR_DIR": str(tmp_path),
            "RATE_LIMIT_CALENDAR": "lots",
        },
    )
    assert result.returncode != 0
    assert "RATE_LIMIT_CALENDAR must be a number" in result.stderr


def test_the_documented_defaults(settings):
    assert settings.RATE_LIMIT_EMAIL_LINK == (20, 60)
    assert settings.RATE_LIMIT_EMAIL_LINK_ADDRESS == (60, 60)
    assert settings.RATE_LIMIT_CALENDAR == (60, 3600)
    assert settings.RATE_LIMIT_DIGEST_PREVIEW == (5, 3600)
    assert settings.RATE_LIMIT_PASSWORD_RESET == (5, 3600)
    assert settings.RATE_LIMIT_PASSWORD_RESET_ADDRESS == (20, 3600)


# The cache the processes share (run as production and `make run` configure it)


def run_python(code: str, env_extra: dict[str, str], drop=()) -> str:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", *drop}
    }
    env.update(
        {"TESTING": "false", "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "crm.settings"}
    )
    env.update(env_extra)
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


HITS = (
    "import json; from core.ratelimit import hit; "
    "print(json.dumps([hit('shared', 'k', (5, 10**7)) > 0 for _ in range(3)]))"
)
SHOW = (
    "import json; from django.conf import settings; c = settings.CACHES['default']; "
    "print(json.dumps([c['BACKEND'].rsplit('.', 1)[-1], str(c['LOCATION']), "
    "c['KEY_PREFIX']]))"
)


def test_with_redis_the_counters_are_redis_under_a_prefix(tmp_path):
    env = {"VAR_DIR": str(tmp_path), "REDIS_URL": "redis://example.com:6379/3"}
    shown = json.loads(run_python(SHOW, {**env, "CELERY_QUEUE": "crm-blue"}))
    assert shown == ["RedisCache", "redis://example.com:6379/3", "crm-blue"]
    shown = json.loads(run_python(SHOW, {**env, "CACHE_KEY_PREFIX": "green"}))
    assert shown[2] == "green"


def test_without_redis_the_counters_are_files_under_var_dir(tmp_path):
    shown = json.loads(run_python(SHOW, {"VAR_DIR": str(tmp_path)}, drop={"REDIS_URL"}))
    assert shown[:2] == ["FileBasedCache", str(tmp_path / "cache")]


@pytest.mark.parametrize("backend", ["redis", "files"])
def test_two_processes_count_in_one_counter(tmp_path, backend):
    """What two gunicorn workers do: each counts, and the sixth request is
    refused whichever process serves it. Another prefix (deployment) counts
    apart."""
    env = {"VAR_DIR": str(tmp_path), "CACHE_KEY_PREFIX": f"t-{uuid.uuid4().hex}"}
    drop = set()
    if backend == "redis":
        require(bool(os.environ.get("REDIS_URL")), "Redis (set REDIS_URL)")
    else:
        drop = {"REDIS_URL"}
    other = {**env, "CACHE_KEY_PREFIX": f"t-{uuid.uuid4().hex}"}
    try:
        first = json.loads(run_python(HITS, env, drop))
        second = json.loads(run_python(HITS, env, drop))
        assert first + second == [False] * 5 + [True]
        assert json.loads(run_python(HITS, other, drop)) == [False] * 3
    finally:
        if backend == "redis":  # the counters would stay for months
            server = redis.Redis.from_url(os.environ["REDIS_URL"])
            for prefix in (env["CACHE_KEY_PREFIX"], other["CACHE_KEY_PREFIX"]):
                for key in server.scan_iter(f"{prefix}:*"):
                    server.delete(key)
