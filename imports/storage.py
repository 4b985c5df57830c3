"""Where uploaded import files are kept: `IMPORTS_DIR`, by default `VAR_DIR/imports`.

The web process stores the upload and a Celery worker reads it, so in production
both need the same directory (a shared volume), like `VAR_DIR` itself.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class ImportFileStorage(FileSystemStorage):
    # Read the setting on every use, not once at start: tests point it elsewhere.
    @property
    def base_location(self) -> Path:
        return Path(
            getattr(settings, "IMPORTS_DIR", Path(settings.VAR_DIR) / "imports")
        )

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    @property
    def base_url(self) -> None:
        # Never served as static or media: downloads go through a permission check.
        return None


def import_storage() -> ImportFileStorage:
    return ImportFileStorage()
