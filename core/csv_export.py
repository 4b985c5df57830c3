"""CSV exports that are safe to open in a spreadsheet.

A cell a spreadsheet would read as a formula (it starts with `=`, `+`, `-`, `@`, a
tab or a carriage return) is prefixed with a single quote, so a client named
`=HYPERLINK(...)` stays text (OWASP "CSV injection"). Nothing else changes: what
Python's `csv` reader reads back is what was written, commas, quotes and line
breaks included.

At the bottom of the house: any app may use it, it imports none.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> str:
    """One cell as text, with a leading quote where a spreadsheet would see a
    formula. Numbers stay numbers: `-5` typed as an int is not a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class _Echo:
    """A file-like object whose write returns the line, for streaming."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The CSV text, a line at a time (header first), every cell neutralised."""
    writer = csv.writer(_Echo())
    yield writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        yield writer.writerow([neutralise(cell) for cell in row])


def safe_filename(name: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "export"
    return stem if stem.endswith(".csv") else f"{stem}.csv"


def csv_response(
    filename: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    stream: bool = False,
) -> HttpResponse | StreamingHttpResponse:
    """A download of `rows` under `header`. `stream=True` for long lists (a
    queryset's `.iterator()`): the rows are written as they are read."""
    lines = csv_lines(header, rows)
    response: HttpResponse | StreamingHttpResponse
    if stream:
        response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse("".join(lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{safe_filename(filename)}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
