"""Fixtures of the import tests: uploads kept in a temporary folder, files made
on the fly in every format, encoding and delimiter the importer reads."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from imports import services


@pytest.fixture(autouse=True)
def imports_dir(settings, tmp_path):
    settings.IMPORTS_DIR = tmp_path / "imports"
    return settings.IMPORTS_DIR


def csv_bytes(
    rows: list[list], *, delimiter: str = ",", encoding: str = "utf-8"
) -> bytes:
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return text.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list]) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def write_file(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def run_import(
    user,
    kind: str,
    rows: list[list],
    *,
    tmp_path: Path,
    name: str = "book.csv",
    dry_run: bool = False,
    **kwargs,
):
    """Import rows written as a CSV file (or XLSX by the name), the shell's way."""
    content = xlsx_bytes(rows) if name.endswith(".xlsx") else csv_bytes(rows)
    path = write_file(tmp_path, name, content)
    return services.import_file(
        by=user, kind=kind, path=path, dry_run=dry_run, **kwargs
    )
