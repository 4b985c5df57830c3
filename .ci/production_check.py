"""Walk the production path as an operator would, and fail loudly on the first step
that does not work: collectstatic with the production storage, `check --deploy
--fail-level WARNING`, migrate, then gunicorn with DEBUG off on DATABASE_URL and
REDIS_URL, asked over real HTTP for the sign-in page, a static file (far-future cache),
a signed-in page (past two-factor sign-in, which admins must use) and the health
endpoints. A TLS-terminating proxy is played by
sending `X-Forwarded-Proto: https` (BEHIND_PROXY=true), as the README's production
section sets up.

Run by `make prod-check` (and so by .ci/run). Standard library only.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
EMAIL = "prodcheck-admin@example.com"
PASSWORD = secrets.token_urlsafe(18)
PROXY = {"X-Forwarded-Proto": "https"}
READYZ_TOKEN = secrets.token_urlsafe(24)
# The admin's authenticator app: a TOTP key (hex, as django-otp keeps it).
TOTP_KEY = secrets.token_hex(20)


def totp(key_hex: str, at: float) -> str:
    """RFC 6238's code (SHA-1, 30 s, 6 digits), as an authenticator app shows it."""
    counter = int(at // 30).to_bytes(8, "big")
    mac = hmac.new(bytes.fromhex(key_hex), counter, hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    number = int.from_bytes(mac[offset : offset + 4], "big") & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def fail(message: str) -> None:
    print(f"production check FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def production_env(static_root: str, var_dir: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "TESTING", "EMAIL_BACKEND", "SECURE_COOKIES"}
    }
    for name in ("DATABASE_URL", "REDIS_URL"):
        if not env.get(name):
            fail(f"{name} is not set: the production path runs on PostgreSQL and Redis")
    env.update(
        DEBUG="false",
        TESTING="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL="https://127.0.0.1",
        BEHIND_PROXY="true",
        STATIC_ROOT=static_root,
        VAR_DIR=var_dir,
        EMAIL_URL="smtp://127.0.0.1:2525",
        READYZ_TOKEN=READYZ_TOKEN,
    )
    return env


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [str(BIN / "python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        fail(f"manage.py {' '.join(args)}:\n{result.stdout}{result.stderr}")
    return result.stdout + result.stderr


class Client:
    """Just enough of a browser: keeps cookies (Secure ones too, since the proxy
    speaks HTTPS to the user) and sends the proxy's header."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = {**PROXY, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=data, headers=sent)
        response = conn.getresponse()
        content = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        conn.close()
        return response, content


def wait_for(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            fail(f"gunicorn exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.3)
    fail("gunicorn did not answer within 60 s")


def check(name: str, condition: bool, detail: str = "") -> None:
    if not condition:
        fail(f"{name}{': ' + detail if detail else ''}")
    print(f"  ok  {name}")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = production_env(str(Path(tmp) / "static"), str(Path(tmp) / "var"))
        print("Production path (DEBUG off, PostgreSQL, Redis, gunicorn):")
        manage(env, "collectstatic", "--no-input")
        check("collectstatic with the manifest storage", True)
        manage(env, "check", "--deploy", "--fail-level", "WARNING")
        check("check --deploy --fail-level WARNING", True)
        manage(env, "migrate", "--no-input")
        manage(
            env,
            "shell",
            "-c",
            "from accounts.models import User\n"
            f"u = User.objects.filter(email={EMAIL!r}).first() or "
            f"User.objects.create_user(email={EMAIL!r}, password='x', role='admin')\n"
            f"u.set_password({PASSWORD!r}); u.is_active = True; u.save()\n"
            "from django_otp.plugins.otp_totp.models import TOTPDevice\n"
            "TOTPDevice.objects.filter(user=u).delete()\n"
            "TOTPDevice.objects.create(user=u, name='prod check', "
            f"key={TOTP_KEY!r}, confirmed=True)",
        )
        port = free_port()
        log = open(Path(tmp) / "gunicorn.log", "w")  # noqa: SIM115 (closed below)
        gunicorn = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "crm.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
            ],
            cwd=ROOT,
            env=env,
            # A log file, not a pipe nobody reads (a full pipe stalls the server);
            # a failing step shows its end.
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for(port, gunicorn)
            walk(port)
        except SystemExit:
            log.flush()
            print(Path(log.name).read_text()[-3000:], file=sys.stderr)
            raise
        finally:
            gunicorn.send_signal(signal.SIGTERM)
            try:
                gunicorn.wait(timeout=20)
            except subprocess.TimeoutExpired:
                gunicorn.kill()
            log.close()
    print("Production path: every step worked.")


def walk(port: int) -> None:
    browser = Client(port)
    plain = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    plain.request("GET", "/accounts/login/")
    response = plain.getresponse()
    check(
        "plain HTTP is redirected to HTTPS",
        response.status == 301
        and response.getheader("Location", "").startswith("https://"),
        f"{response.status} {response.getheader('Location')}",
    )

    response, page = browser.request("GET", "/accounts/login/")
    check("sign-in page answers 200", response.status == 200, str(response.status))
    check(
        "security headers on the sign-in page",
        response.getheader("X-Frame-Options") == "DENY"
        and "max-age=" in (response.getheader("Strict-Transport-Security") or "")
        and response.getheader("X-Content-Type-Options") == "nosniff"
        and response.getheader("Cross-Origin-Opener-Policy") == "same-origin"
        and "camera=()" in (response.getheader("Permissions-Policy") or ""),
    )
    csp = response.getheader("Content-Security-Policy") or ""
    check(
        "a strict Content-Security-Policy on the sign-in page",
        "script-src 'self'" in csp
        and "style-src 'self'" in csp
        and "frame-ancestors 'none'" in csp
        and "unsafe" not in csp,
        csp,
    )
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page)
    check("the page links a hashed stylesheet", bool(stylesheet))
    response, _ = browser.request("GET", stylesheet.group(1))
    cache = response.getheader("Cache-Control") or ""
    max_age = (
        int(re.search(r"max-age=(\d+)", cache).group(1)) if "max-age" in cache else 0
    )
    check(
        "static file served with a far-future cache header",
        response.status == 200 and max_age >= 365 * 24 * 3600,
        f"{response.status} {cache!r}",
    )

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    check("the sign-in form carries a CSRF token", bool(token))
    origin = f"https://127.0.0.1:{port}"
    response, _ = browser.request(
        "POST",
        "/accounts/login/",
        {
            "username": EMAIL,
            "password": PASSWORD,
            "csrfmiddlewaretoken": token.group(1),
        },
        {"Origin": origin, "Referer": origin + "/accounts/login/"},
    )
    check("signing in redirects", response.status == 302, f"answered {response.status}")
    response, _ = browser.request("GET", "/")
    verify = "/accounts/two-factor/verify/"
    check(
        "the password alone opens no page: the admin is asked for a code",
        response.status == 302 and verify in response.getheader("Location", ""),
        f"{response.status} {response.getheader('Location')}",
    )
    response, page = browser.request("GET", verify)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    check(
        "the code page answers 200 with a form", response.status == 200 and bool(token)
    )
    response, _ = browser.request(
        "POST",
        verify,
        {
            "code": totp(TOTP_KEY, time.time()),
            "next": "/",
            "csrfmiddlewaretoken": token.group(1),
        },
        {"Origin": origin, "Referer": origin + verify},
    )
    check(
        "the authenticator app's code signs in",
        response.status == 302 and response.getheader("Location") == "/",
        f"{response.status} {response.getheader('Location')}",
    )
    response, page = browser.request("GET", "/")
    check(
        "a signed-in page answers 200",
        response.status == 200 and "Sign out" in page,
        str(response.status),
    )
    response, page = browser.request("GET", "/clients/")
    check("the client list answers 200", response.status == 200, str(response.status))

    plain = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    plain.request("GET", "/healthz")
    response = plain.getresponse()
    check(
        "/healthz answers ok, over plain HTTP too (load balancers)",
        response.status == 200 and response.read() == b"ok",
        str(response.status),
    )
    response, body = Client(port).request("GET", "/readyz")
    # No worker or beat runs here: the database and broker checks must pass, and the
    # answer is a 503 naming no more than what is missing.
    check(
        "/readyz answers JSON without details",
        response.status in (200, 503) and body.startswith('{"status": '),
        f"{response.status} {body[:200]}",
    )
    response, body = Client(port).request(
        "GET", "/readyz", headers={"Authorization": f"Bearer {READYZ_TOKEN}"}
    )
    details = json.loads(body)["checks"]
    check(
        "/readyz with the token: database migrated, broker reachable",
        details["database"]["ok"] and details["broker"]["ok"],
        str(details),
    )


if __name__ == "__main__":
    main()
