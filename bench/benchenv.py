"""Configure Django for the bench scripts: the project's own settings, driven by the
same environment variables as production, pointed at a bench database."""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"
DEFAULT_DATABASE_URL = f"{DEFAULT_SERVER}/crm_bench"

BENCH_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "bench",
    "ALLOWED_HOSTS": "testserver",
    "SECURE_SSL_REDIRECT": "false",
    # Test defaults: fast password hasher, plain static files storage.
    "TESTING": "true",
    "LOG_LEVEL": "WARNING",
}


def setup_django(database_url: str) -> None:
    """Set the environment and call django.setup(); once per process."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.update(BENCH_ENV)
    os.environ["DJANGO_SETTINGS_MODULE"] = "crm.settings"
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)

    # Whitenoise warns that collectstatic has not run; the bench serves no files.
    warnings.filterwarnings("ignore", message="No directory at")

    import django

    django.setup()
