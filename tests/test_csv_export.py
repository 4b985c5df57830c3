"""crm/csv_export.py: spreadsheet formulas neutralised, everything else read back by
Python's csv reader exactly as written."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

from core.csv_export import csv_lines, csv_response, neutralise, safe_filename

TRICKY = [
    "plain",
    "comma, inside",
    'a "quoted" word',
    "two\nlines",
    "windows\r\nlines",
    "ends with a tab\t",
    " leading space",
    "'already quoted",
    "Zoë Ångström – 東京",
    "",
    "a=b",
    "mid-dash",
    "email@example.com",
]
FORMULAS = [
    "=1+1",
    '=HYPERLINK("http://evil.example","click")',
    "+44 20 7946 0000",
    "-2+3",
    "@SUM(A1:A2)",
    "\tcmd",
    "\rcmd",
]


def read(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("value", FORMULAS)
def test_a_cell_a_spreadsheet_would_run_is_prefixed_with_a_quote(value):
    assert neutralise(value) == "'" + value
    [header, row] = read("".join(csv_lines(["cell"], [[value]])))
    assert row == ["'" + value]


def test_everything_else_round_trips_through_the_csv_reader_unchanged():
    text = "".join(csv_lines(["name", *TRICKY], [TRICKY + ["x"], ["x", *TRICKY]]))
    assert read(text) == [["name", *TRICKY], [*TRICKY, "x"], ["x", *TRICKY]]


def test_numbers_dates_and_empty_cells_are_written_plainly():
    row = [
        -5,
        Decimal("-1200.50"),
        2.5,
        dt.date(2026, 11, 20),
        dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC),
        None,
        True,
    ]
    [[*cells]] = read("".join(csv_lines([], [row])))[1:]
    assert cells == [
        "-5",
        "-1200.50",
        "2.5",
        "2026-11-20",
        "2026-11-20T10:00:00+00:00",
        "",
        "yes",
    ]


@pytest.mark.parametrize("stream", [False, True])
def test_the_response_is_a_utf8_csv_download(stream):
    response = csv_response(
        'Team A / "north"', ["name"], [["=Fir"], ["Zoë"]], stream=stream
    )
    body = b"".join(response.streaming_content) if stream else response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="Team-A-north.csv"'
    assert read(body.decode("utf-8")) == [["name"], ["'=Fir"], ["Zoë"]]


def test_file_names_keep_only_safe_characters():
    assert safe_filename("../../etc/passwd") == "etc-passwd.csv"
    assert safe_filename("report.csv") == "report.csv"
    assert safe_filename("") == "export.csv"
