"""Sentry is optional: on with SENTRY_DSN, and nothing is set up without it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CODE = (
    "import django; django.setup(); import sentry_sdk; c = sentry_sdk.get_client(); "
    "print(c.is_active(), sorted(getattr(c, 'integrations', {})))"
)


@pytest.mark.parametrize("dsn", ["", "http://public@127.0.0.1:9/1"])
def test_sentry_starts_only_with_a_dsn(tmp_path, dsn):
    env = {
        **os.environ,
        "DEBUG": "true",
        "VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "crm.settings",
        "SENTRY_DSN": dsn,
    }
    result = subprocess.run(
        [sys.executable, "-c", CODE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    active, _, integrations = result.stdout.strip().partition(" ")
    assert active == str(bool(dsn))
    if dsn:
        assert "celery" in integrations and "django" in integrations
