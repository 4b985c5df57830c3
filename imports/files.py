"""Reading import files: CSV or XLSX, any usual encoding and delimiter, a row at a time.

A row at a time so that a file of any size takes little memory. Nothing here touches
the database.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from core.csv_export import FORMULA_STARTS

from .cells import Cell, as_text, guess_date_format
from .checks import (
    ImportFileError,
    Limits,
    check_cell,
    check_size,
    check_text,
    check_zip,
)

__all__ = ["ImportFileError", "count_rows", "open_table", "read_preview"]

DELIMITERS = ",;\t"
SNIFF_BYTES = 64 * 1024
PREVIEW_ROWS = 5


def detect_format(path: str | Path) -> str:
    with open(path, "rb") as f:
        head = f.read(8)
    if not head:
        raise ImportFileError("The file is empty.")
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            "This is an old Excel file (.xls): save it as .xlsx or CSV and upload that."
        )
    return "csv"


def detect_encoding(path: str | Path) -> str:
    """UTF-8 (with or without a byte order mark), UTF-16 with one, else
    Windows-1252. The whole file is read to be sure, in chunks: a stray byte on
    row 90,000 decides as much as one on row 2."""
    with open(path, "rb") as f:
        head = f.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        f.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := f.read(1 << 16):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8"


def detect_delimiter(sample: str) -> str:
    """Comma, semicolon or tab. A header row rarely holds a delimiter inside a
    name, so when only one of them appears in it, that is the one; otherwise
    csv.Sniffer decides from how consistently each appears across lines."""
    header = sample.split("\n", 1)[0]
    present = [d for d in DELIMITERS if d in header]
    if len(present) == 1:
        return present[0]
    try:
        found = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        found = ""
    if found and (found in present or not present):
        return found
    return max(present, key=header.count) if present else ","


def clean_headers(raw: Sequence[Any]) -> list[str]:
    """Header names stripped; blank ones named by position; repeats numbered."""
    headers: list[str] = []
    seen: dict[str, int] = {}
    for index, value in enumerate(raw, start=1):
        # NUL never means anything in a name, and PostgreSQL refuses to store it.
        text = str(value if value is not None else "").replace("\x00", "")
        name = " ".join(text.split())
        name = name or f"Column {index}"
        key = name.lower()
        if key in seen:
            seen[key] += 1
            name = f"{name} ({seen[key]})"
        else:
            seen[key] = 1
        headers.append(name)
    # Trailing unnamed columns (a spreadsheet's empty formatted cells) are noise.
    while headers and re.fullmatch(r"Column \d+", headers[-1]):
        headers.pop()
    return headers


def cell_value(value: Any) -> Cell:
    """A spreadsheet cell as text, except dates, which stay dates."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date() if value.time() == time(0) else value
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        # Phone numbers and amounts typed as numbers: 447700900123.0 -> 447700900123
        return str(int(value))
    if isinstance(value, time):
        return value.isoformat()
    # NUL never means anything in a cell, and PostgreSQL refuses to store it.
    text = str(value).replace("\x00", "").strip()
    if text[:1] == "'" and text[1:2] and text[1] in FORMULA_STARTS:
        # Our own exports (and others') quote '+44 7700... so no spreadsheet runs
        # it as a formula; the quote is not part of the value.
        return text[1:]
    return text


def is_blank(cells: Sequence[Cell]) -> bool:
    return all(c == "" for c in cells)


@dataclass
class Table:
    """An open import file: its headers, and its rows one at a time as
    (row number as a spreadsheet shows it, the header being row 1; cells)."""

    path: Path
    format: str
    headers: list[str]
    encoding: str = ""
    delimiter: str = ""
    limits: Limits = field(default_factory=Limits.current, repr=False)
    _close: list = field(default_factory=list, repr=False)
    _rows: Iterator | None = field(default=None, repr=False)

    def rows(self) -> Iterator[tuple[int, list[Cell]]]:
        width = len(self.headers)
        limits = self.limits
        cell_chars = limits.cell_chars
        number = 1
        rows = self._rows
        self._rows = None
        if rows is None:
            raise RuntimeError("A table's rows are read once; open it again.")
        while True:
            number += 1
            try:
                raw = next(rows)
            except StopIteration:
                return
            except csv.Error as exc:
                raise ImportFileError(
                    f"row {number}: the file cannot be read as CSV ({exc})."
                ) from None
            if number > limits.rows + 1:
                check_size(number - 1, None, limits)
            if len(raw) > limits.columns:
                check_size(None, _width(raw), limits)
            for value in raw:
                if value.__class__ is str and len(value) > cell_chars:
                    check_cell(number, value, limits)
            cells = [cell_value(v) for v in raw[:width]]
            if len(cells) < width:
                cells.extend([""] * (width - len(cells)))
            if not is_blank(cells):
                yield number, cells

    def close(self) -> None:
        for close in self._close:
            close()
        self._close.clear()

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_table(path: str | Path) -> Table:
    """Open a CSV or XLSX file for reading a row at a time."""
    path = Path(path)
    if detect_format(path) == "xlsx":
        return _open_xlsx(path)
    check_text(path)
    return _open_csv(path)


def _width(raw: Sequence[Any]) -> int:
    """How many columns a row has, not counting empty ones at its end."""
    width = len(raw)
    while width and raw[width - 1] in (None, ""):
        width -= 1
    return width


def _headers(raw: Sequence[Any] | None, limits: Limits) -> list[str]:
    check_size(None, _width(raw or []), limits)
    for value in raw or []:
        check_cell(1, value, limits)
    return clean_headers(raw or [])


def _open_csv(path: Path) -> Table:
    encoding = detect_encoding(path)
    errors = "replace" if encoding == "cp1252" else "strict"
    limits = Limits.current()
    f = open(path, encoding=encoding, errors=errors, newline="")  # noqa: SIM115
    try:
        sample = f.read(SNIFF_BYTES)
        if len(sample) == SNIFF_BYTES and "\n" in sample:
            sample = sample[: sample.rindex("\n")]
        delimiter = detect_delimiter(sample)
        f.seek(0)
        reader = csv.reader(f, delimiter=delimiter)
        try:
            header = next(reader, None)
        except csv.Error as exc:
            raise ImportFileError(f"The file cannot be read as CSV ({exc}).") from None
        headers = _headers(header, limits)
        if not headers:
            raise ImportFileError("The first row must hold the column names.")
    except BaseException:
        f.close()
        raise
    return Table(
        path=path,
        format="csv",
        headers=headers,
        encoding=encoding,
        delimiter=delimiter,
        limits=limits,
        _close=[f.close],
        _rows=iter(reader),
    )


def _open_xlsx(path: Path) -> Table:
    import zipfile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    limits = Limits.current()
    # Before openpyxl unpacks anything (it reads the shared strings whole).
    check_zip(path, limits)
    try:
        # read_only streams the sheet's XML instead of building it in memory.
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError):
        raise ImportFileError(
            "The file is not a readable Excel workbook (.xlsx)."
        ) from None
    try:
        sheet = workbook.worksheets[0]
        # The sheet's dimension, when it states one, before a row is read.
        rows_stated = sheet.max_row - 1 if sheet.max_row else None
        check_size(rows_stated, sheet.max_column, limits)
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        headers = _headers(header, limits)
        if not headers:
            raise ImportFileError(
                "The first row of the first sheet must hold the column names."
            )
    except BaseException:
        workbook.close()
        raise
    return Table(
        path=path,
        format="xlsx",
        headers=headers,
        limits=limits,
        _close=[workbook.close],
        _rows=rows,
    )


def count_rows(path: str | Path) -> int:
    """How many rows with something in them, below the header."""
    with open_table(path) as table:
        return sum(1 for _ in table.rows())


def read_preview(path: str | Path) -> dict[str, Any]:
    """The header, the first rows as text, and facts about the file, for the
    mapping page. Dates are guessed from up to 200 rows."""
    with open_table(path) as table:
        samples: list[list[str]] = []
        date_cells: list[str] = []
        for n, (_, cells) in enumerate(table.rows()):
            if n < PREVIEW_ROWS:
                samples.append([as_text(c) for c in cells])
            date_cells.extend(c for c in cells if isinstance(c, str))
            if n >= 200:
                break
        return {
            "headers": table.headers,
            "rows": samples,
            "format": table.format,
            "encoding": table.encoding,
            "delimiter": table.delimiter,
            "date_format": guess_date_format(date_cells),
        }
