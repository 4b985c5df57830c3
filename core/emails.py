"""Render and send the project's emails.

Every email is three templates, `templates/emails/<name>-subject.txt`,
`<name>-body.txt` and `<name>-body.html`, rendered with one context into a multipart
message: a plain-text part and an HTML alternative. Links in them are absolute, built
from `SITE_URL` (see `absolute_url`), never from a request.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import make_msgid
from django.template.loader import render_to_string
from django.urls import reverse

# What reverse() leaves unquoted in a path (RFC 3986 sub-delimiters and /~:@).
URL_SAFE = "/~:@!$&'()*+,;="


def absolute_url(path: str) -> str:
    """`path` (from `reverse()` or `get_absolute_url()`) under SITE_URL."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL + (path if path.startswith("/") else "/" + path)


_MARKER = 987654321


@functools.lru_cache(maxsize=64)
def _reverse_around(name: str) -> tuple[str, str]:
    before, _, after = reverse(name, args=[_MARKER]).partition(str(_MARKER))
    return before, after


def absolute_reverse(name: str, arg: object) -> str:
    """`absolute_url(reverse(name, args=[arg]))` for a URL with one argument, at the
    cost of one `reverse()` per name and process: a digest has hundreds of links."""
    before, after = _reverse_around(name)
    return settings.SITE_URL + before + quote(str(arg), safe=URL_SAFE) + after


@dataclass
class Rendered:
    subject: str
    text: str
    html: str


def render_email(name: str, context: dict) -> Rendered:
    context = {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        **context,
    }
    subject = render_to_string(f"emails/{name}-subject.txt", context)
    # One line whatever the template's whitespace: a newline would break the header.
    subject = " ".join(subject.split())
    return Rendered(
        subject=subject,
        text=render_to_string(f"emails/{name}-body.txt", context).strip() + "\n",
        html=render_to_string(f"emails/{name}-body.html", context),
    )


def build_email(
    name: str,
    context: dict,
    *,
    to: str,
    headers: dict[str, str] | None = None,
    connection=None,
) -> EmailMultiAlternatives:
    rendered = render_email(name, context)
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={
            "Message-ID": make_msgid(domain=_msgid_domain()),
            "Auto-Submitted": "auto-generated",
            **(headers or {}),
        },
        connection=connection,
    )
    message.attach_alternative(rendered.html, "text/html")
    return message


def _msgid_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"
