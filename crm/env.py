"""Typed readers of environment variables for crm/settings.py: each fails loudly,
naming the variable, on a value it cannot read."""

from __future__ import annotations

import os
import re

from django.core.exceptions import ImproperlyConfigured


def _truth(value: str, *, empty: bool) -> bool | None:
    """A yes or no written as 1/0, true/false, yes/no or on/off (any case); `empty`
    for nothing written; None for anything else."""
    value = value.strip().lower()
    if not value:
        return empty
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    return None


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default)
    truth = _truth(value, empty=False)
    if truth is None:
        raise ImproperlyConfigured(
            f"{name} must be true or false, not {value.strip().lower()!r}"
        )
    return truth


def envint(name: str, default: str) -> int:
    value = os.environ.get(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be a whole number, not {value!r}"
        ) from None


def parse_email_url(url: str) -> dict[str, object]:
    """Django's EMAIL_* settings from one URL: `smtp://user:pass@host:587?tls=true`
    (STARTTLS), `smtps://user:pass@host:465` or `smtp://...?ssl=true` (implicit TLS).
    User and password are percent-decoded. Anything unexpected fails loudly."""
    from urllib.parse import parse_qs, unquote, urlsplit

    parts = urlsplit(url)
    if parts.scheme not in {"smtp", "smtps"}:
        raise ImproperlyConfigured(
            f"EMAIL_URL must start with smtp:// or smtps://, not {parts.scheme!r}://"
        )
    if not parts.hostname:
        raise ImproperlyConfigured("EMAIL_URL has no host name")
    query = parse_qs(parts.query, keep_blank_values=True)
    unknown = set(query) - {"tls", "ssl", "timeout"}
    if unknown:
        raise ImproperlyConfigured(
            f"EMAIL_URL has unknown options: {', '.join(sorted(unknown))}"
        )

    def flag(name: str) -> bool:
        if name not in query:
            return False
        truth = _truth(query[name][-1], empty=True)
        if truth is None:
            raise ImproperlyConfigured(f"EMAIL_URL option {name} must be true or false")
        return truth

    use_ssl = parts.scheme == "smtps" or flag("ssl")
    use_tls = flag("tls")
    if use_ssl and use_tls:
        raise ImproperlyConfigured("EMAIL_URL asks for both tls and ssl: choose one")
    try:
        port = parts.port or (465 if use_ssl else 587 if use_tls else 25)
    except ValueError:
        raise ImproperlyConfigured("EMAIL_URL has a bad port number") from None
    settings = {
        "EMAIL_BACKEND": "core.mail.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
    }
    if "timeout" in query:
        try:
            settings["EMAIL_TIMEOUT"] = int(query["timeout"][-1])
        except ValueError:
            raise ImproperlyConfigured(
                "EMAIL_URL option timeout must be a whole number of seconds"
            ) from None
    return settings


RATE_UNITS = {
    **dict.fromkeys(["s", "sec", "second", "seconds"], 1),
    **dict.fromkeys(["m", "min", "minute", "minutes"], 60),
    **dict.fromkeys(["h", "hour", "hours"], 3600),
    **dict.fromkeys(["d", "day", "days"], 86400),
}


def envrate(name: str, default: str) -> tuple[int, int] | None:
    """A rate limit, `20/minute` (or `20/min`, `20/m`; second, hour, day), as
    (requests, seconds); `off` for none."""
    value = os.environ.get(name, default).strip().lower()
    if value == "off":
        return None
    match = re.fullmatch(r"(\d+)\s*/\s*([a-z]+)", value)
    if not match or int(match[1]) < 1 or match[2] not in RATE_UNITS:
        raise ImproperlyConfigured(
            f"{name} must be a number per second, minute, hour or day "
            f"(like 20/minute), or off; not {value!r}"
        )
    return int(match[1]), RATE_UNITS[match[2]]


def envlist(name: str, default: str) -> list[str]:
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]
