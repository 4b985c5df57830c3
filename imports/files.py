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

DELIMITERS = ",;\t"
SNIFF_BYTES = 64 * 1024
PREVIEW_ROWS = 5


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why, in words."""


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
        name = " ".join(str(value if value is not None else "").split())
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
    _close: list = field(default_factory=list, repr=False)
    _rows: Iterator | None = field(default=None, repr=False)

    def rows(self) -> Iterator[tuple[int, list[Cell]]]:
        width = len(self.headers)
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
    return _open_csv(path)


def _open_csv(path: Path) -> Table:
    encoding = detect_encoding(path)
    errors = "replace" if encoding == "cp1252" else "strict"
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
        headers = clean_headers(header or [])
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
        _close=[f.close],
        _rows=iter(reader),
    )


def _open_xlsx(path: Path) -> Table:
    import zipfile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # read_only streams the sheet's XML instead of building it in memory.
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError):
        raise ImportFileError(
            "The file is not a readable Excel workbook (.xlsx)."
        ) from None
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        headers = clean_headers(header or [])
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
