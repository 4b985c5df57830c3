"""Email settings from the environment: EMAIL_URL, or the separate EMAIL_* variables;
and by default (`make run`) mail written as files under VAR_DIR/mail/."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from crm.env import parse_email_url

ROOT = Path(__file__).resolve().parents[1]


def test_a_full_smtp_url_with_starttls():
    assert parse_email_url(
        "smtp://digest%40agency.example:p%3Ass%2Fw@mail.example.com:2525?tls=true"
    ) == {
        "EMAIL_BACKEND": "core.mail.EmailBackend",
        "EMAIL_HOST": "mail.example.com",
        "EMAIL_PORT": 2525,
        "EMAIL_HOST_USER": "digest@agency.example",
        "EMAIL_HOST_PASSWORD": "p:ss/w",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
    }


@pytest.mark.parametrize(
    ("url", "port", "tls", "ssl"),
    [
        ("smtp://relay.example.com", 25, False, False),
        ("smtp://relay.example.com?tls", 587, True, False),
        ("smtp://relay.example.com?ssl=true", 465, False, True),
        ("smtps://relay.example.com", 465, False, True),
        ("smtp://relay.example.com:1025?tls=false", 1025, False, False),
    ],
)
def test_ports_default_to_the_usual_ones(url, port, tls, ssl):
    parsed = parse_email_url(url)
    assert (parsed["EMAIL_PORT"], parsed["EMAIL_USE_TLS"], parsed["EMAIL_USE_SSL"]) == (
        port,
        tls,
        ssl,
    )
    assert parsed["EMAIL_HOST_USER"] == parsed["EMAIL_HOST_PASSWORD"] == ""


def test_a_timeout_can_ride_along():
    assert parse_email_url("smtp://h?timeout=7")["EMAIL_TIMEOUT"] == 7


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://mail.example.com", "must start with smtp:// or smtps://"),
        ("smtp://", "has no host name"),
        ("smtp://h?tls&ssl", "both tls and ssl"),
        ("smtp://h?tls=maybe", "tls must be true or false"),
        ("smtp://h?starttls=1", "unknown options: starttls"),
        ("smtp://h:notaport", "bad port number"),
        ("smtp://h?timeout=soon", "timeout must be a whole number"),
    ],
)
def test_a_bad_email_url_fails_loudly(url, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        parse_email_url(url)


def _settings_in_a_fresh_process(tmp_path, **env_extra) -> dict:
    names = [
        "EMAIL_BACKEND",
        "EMAIL_HOST",
        "EMAIL_PORT",
        "EMAIL_HOST_USER",
        "EMAIL_HOST_PASSWORD",
        "EMAIL_USE_TLS",
        "EMAIL_USE_SSL",
        "EMAIL_FILE_PATH",
    ]
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: str(getattr(settings, n)) for n in {names!r}}}))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "crm.settings",
            "TESTING": "false",
            "DEBUG": "true",
            "VAR_DIR": str(tmp_path),
            **env_extra,
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_email_url_in_the_environment_configures_smtp(tmp_path):
    got = _settings_in_a_fresh_process(
        tmp_path, EMAIL_URL="smtp://crm:secret@smtp.example.com:587?tls=true"
    )
    assert got["EMAIL_BACKEND"] == "core.mail.EmailBackend"
    assert (got["EMAIL_HOST"], got["EMAIL_PORT"]) == ("smtp.example.com", "587")
    assert (got["EMAIL_HOST_USER"], got["EMAIL_HOST_PASSWORD"]) == ("crm", "secret")
    assert (got["EMAIL_USE_TLS"], got["EMAIL_USE_SSL"]) == ("True", "False")


def test_the_separate_variables_still_work(tmp_path):
    got = _settings_in_a_fresh_process(
        tmp_path,
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="relay.internal",
        EMAIL_PORT="2525",
        EMAIL_USE_SSL="true",
    )
    assert (got["EMAIL_HOST"], got["EMAIL_PORT"], got["EMAIL_USE_SSL"]) == (
        "relay.internal",
        "2525",
        "True",
    )


def test_a_bad_email_url_stops_the_process(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_")}
    env.update(
        {
            "TESTING": "false",
            "DEBUG": "true",
            "VAR_DIR": str(tmp_path),
            "EMAIL_URL": "mailto:someone",
        }
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "EMAIL_URL must start with smtp://" in result.stderr


def test_by_default_mail_is_written_to_files_under_var_mail(tmp_path):
    """What `make run` does: no email variable set, and a newcomer reads the mail
    as files in var/mail/."""
    got = _settings_in_a_fresh_process(tmp_path)
    assert got["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert got["EMAIL_FILE_PATH"] == str(tmp_path / "mail")
    code = (
        "import django; django.setup(); from django.core.mail import send_mail; "
        "send_mail('Hello', 'Readable body', None, ['alice@example.com'])"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "crm.settings",
            "TESTING": "false",
            "DEBUG": "true",
            "VAR_DIR": str(tmp_path),
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    (written,) = (tmp_path / "mail").iterdir()
    assert "Readable body" in written.read_text()
    assert "To: alice@example.com" in written.read_text()


def test_without_debug_mail_goes_by_smtp_not_into_a_folder(tmp_path):
    got = _settings_in_a_fresh_process(
        tmp_path, DEBUG="false", SECRET_KEY="s" * 50, ALLOWED_HOSTS="crm.example.com"
    )
    assert got["EMAIL_BACKEND"] == "core.mail.EmailBackend"
