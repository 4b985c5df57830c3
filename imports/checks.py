"""Checks that refuse a bad file before it is read: a binary file or UTF-16 text
named .csv, and an .xlsx whose zip would unpack to more than memory can hold (a
zip bomb). The limits are settings (README, Configuration); every refusal names
the one that was hit. Nothing here touches the database."""

from __future__ import annotations

import codecs
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

# A text file's first bytes decide whether it is text at all.
HEAD_BYTES = 64 * 1024
# Below this size a zip member's compression ratio says nothing (a tiny XML part
# compresses well), so only larger parts are held to the ratio limit.
RATIO_MIN_BYTES = 1024 * 1024
# Bytes that never appear in a text file, except as a stray one.
CONTROL = set(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D, 0x1A}

NOT_TEXT = "This is not a text or .xlsx file."
UTF16 = "This file looks like UTF-16: save it as UTF-8."


class ImportFileError(Exception):
    """The file as a whole cannot be read, or is over a limit; the message says
    why, in words (and names the setting of a limit)."""


@dataclass(frozen=True)
class Limits:
    upload_bytes: int
    uncompressed_bytes: int
    ratio: int
    rows: int
    columns: int
    cell_chars: int

    @classmethod
    def current(cls) -> Limits:
        # Read on every use, not once at start: tests change the settings.
        return cls(
            upload_bytes=settings.IMPORT_MAX_UPLOAD_MB * 2**20,
            uncompressed_bytes=settings.IMPORT_MAX_UNCOMPRESSED_MB * 2**20,
            ratio=settings.IMPORT_MAX_COMPRESSION_RATIO,
            rows=settings.IMPORT_MAX_ROWS,
            columns=settings.IMPORT_MAX_COLUMNS,
            cell_chars=settings.IMPORT_MAX_CELL_KB * 1024,
        )


def text_problem(head: bytes) -> str:
    """Why these first bytes of a file are not a text file we read, or ""."""
    if not head or head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return ""  # UTF-16 that says so is read as such
    even = head[0::2].count(0)
    odd = head[1::2].count(0)
    pairs = max(len(head) // 2, 1)
    # ASCII letters in UTF-16 have a NUL as every other byte: little-endian in
    # the odd places, big-endian in the even ones.
    if (odd > pairs * 0.3 and even < pairs * 0.02) or (
        even > pairs * 0.3 and odd < pairs * 0.02
    ):
        return UTF16
    control = sum(1 for b in head if b in CONTROL)
    if even + odd > len(head) * 0.01 or control > len(head) * 0.05:
        return NOT_TEXT
    return ""


def check_text(path: str | Path) -> None:
    with open(path, "rb") as f:
        head = f.read(HEAD_BYTES)
    problem = text_problem(head)
    if problem:
        raise ImportFileError(problem)


def check_zip(path: str | Path, limits: Limits | None = None) -> None:
    """Refuse a workbook from its zip directory alone, before a byte is unpacked.
    Python's zipfile never unpacks a part past the size the directory states, so
    those sizes bound what reading it can take."""
    limits = limits or Limits.current()
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        return  # openpyxl says the file is not a readable workbook
    total = sum(m.file_size for m in members)
    if total > limits.uncompressed_bytes:
        raise ImportFileError(
            f"The workbook unpacks to {total / 2**20:,.0f} MB, over the limit of "
            f"{settings.IMPORT_MAX_UNCOMPRESSED_MB} MB (IMPORT_MAX_UNCOMPRESSED_MB)."
        )
    for member in members:
        if member.file_size < RATIO_MIN_BYTES:
            continue
        ratio = member.file_size / max(member.compress_size, 1)
        if ratio > limits.ratio:
            raise ImportFileError(
                f"The workbook's part {member.filename} is compressed {ratio:,.0f} "
                f"to 1, over the limit of {limits.ratio} to 1 "
                "(IMPORT_MAX_COMPRESSION_RATIO): it looks like a zip bomb."
            )


def check_size(rows: int | None, columns: int | None, limits: Limits) -> None:
    """A sheet's size as its dimension states it, or as far as it has been read."""
    if rows is not None and rows > limits.rows:
        raise ImportFileError(
            f"The file has more than {limits.rows:,} rows (IMPORT_MAX_ROWS): "
            "split it into smaller files."
        )
    if columns is not None and columns > limits.columns:
        raise ImportFileError(
            f"The file has {columns:,} columns, over the limit of "
            f"{limits.columns:,} (IMPORT_MAX_COLUMNS)."
        )


def check_cell(number: int, value: object, limits: Limits) -> None:
    if isinstance(value, str) and len(value) > limits.cell_chars:
        raise ImportFileError(
            f"row {number}: a cell holds {len(value):,} characters, over the limit "
            f"of {settings.IMPORT_MAX_CELL_KB} KB (IMPORT_MAX_CELL_KB)."
        )
