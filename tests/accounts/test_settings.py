import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, env_extra=None, drop=()):
    # A test-only variable (Playwright's DJANGO_ALLOW_ASYNC_UNSAFE) must not reach a
    # process that plays production.
    drop = (*drop, "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update({"TESTING": "false", "DEBUG": "false"})
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


PRODUCTION = {
    "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-9f8e7d6c5b4a",
    "ALLOWED_HOSTS": "crm.example.com",
    "SITE_URL": "https://crm.example.com",
}


def test_check_deploy_passes_with_production_variables(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={**PRODUCTION, "VAR_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_manage(
        "check", env_extra={"VAR_DIR": str(tmp_path)}, drop=("SECRET_KEY",)
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_a_bad_boolean_variable_fails_loudly(tmp_path):
    result = run_manage(
        "check",
        env_extra={**PRODUCTION, "VAR_DIR": str(tmp_path), "SECURE_COOKIES": "maybe"},
    )
    assert result.returncode != 0
    assert "SECURE_COOKIES must be true or false" in result.stderr


@pytest.mark.parametrize(
    "name", ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT"]
)
def test_production_defaults_are_secure(tmp_path, name):
    code = f"from django.conf import settings; print(settings.{name}, settings.DEBUG)"
    env = {k: v for k, v in os.environ.items()}
    env.update(
        {
            **PRODUCTION,
            "TESTING": "false",
            "DEBUG": "false",
            "VAR_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "crm.settings",
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == ["True", "False"], result.stderr
