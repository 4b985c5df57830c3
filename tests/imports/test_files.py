"""Reading files: every format, encoding and delimiter, and the ways one can be
unreadable."""

from __future__ import annotations

import datetime as dt

import pytest

from imports.files import ImportFileError, count_rows, open_table, read_preview

from .conftest import csv_bytes, write_file, xlsx_bytes

ROWS = [
    ["First Name", "Last Name", "E-mail", "Mobile", "City"],
    ["Zoë", "Ångström", "zoe@example.com", "+44 (0)7700 900123", "Malmö"],
    ["Renée", "O'Brien", "renee@example.com", "07700 900124", "Montréal, QC"],
]


def rows_of(path):
    with open_table(path) as table:
        return table.headers, list(table.rows())


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_it_reads_csv_in_each_encoding_and_delimiter(tmp_path, encoding, delimiter):
    path = write_file(
        tmp_path,
        "people.csv",
        csv_bytes(ROWS, delimiter=delimiter, encoding=encoding),
    )
    headers, rows = rows_of(path)
    assert headers == ROWS[0]
    assert rows == [(2, ROWS[1]), (3, ROWS[2])]
    preview = read_preview(path)
    assert preview["delimiter"] == delimiter
    assert preview["format"] == "csv"


def test_it_says_which_encoding_it_found(tmp_path):
    found = {
        encoding: read_preview(
            write_file(tmp_path, f"{encoding}.csv", csv_bytes(ROWS, encoding=encoding))
        )["encoding"]
        for encoding in ("utf-8", "utf-8-sig", "cp1252")
    }
    assert found == {"utf-8": "utf-8", "utf-8-sig": "utf-8-sig", "cp1252": "cp1252"}


def test_windows_1252_is_found_even_when_the_odd_byte_is_far_down(tmp_path):
    rows = [["Name", "City"]] + [["Ann Lee", "Leeds"]] * 5000 + [["Zoë", "Köln"]]
    path = write_file(tmp_path, "late.csv", csv_bytes(rows, encoding="cp1252"))
    _, read = rows_of(path)
    assert read[-1] == (5002, ["Zoë", "Köln"])


def test_it_reads_xlsx_with_dates_and_numbers_as_a_spreadsheet_shows_them(tmp_path):
    path = write_file(
        tmp_path,
        "book.xlsx",
        xlsx_bytes(
            [
                ["Name", "Start Date", "Mobile", "Fee"],
                ["Ann Lee", dt.datetime(2025, 3, 4), 447700900123, 12000.5],  # noqa: DTZ001
                [None, None, None, None],
                ["Bo Ray", dt.date(2025, 1, 31), "07700 900124", 9000],
            ]
        ),
    )
    headers, rows = rows_of(path)
    assert headers == ["Name", "Start Date", "Mobile", "Fee"]
    # The blank row is skipped but keeps its number, as in the spreadsheet.
    assert rows == [
        (2, ["Ann Lee", dt.date(2025, 3, 4), "447700900123", "12000.5"]),
        (4, ["Bo Ray", dt.date(2025, 1, 31), "07700 900124", "9000"]),
    ]
    assert read_preview(path)["format"] == "xlsx"


def test_quoted_cells_keep_their_delimiters_and_line_breaks(tmp_path):
    rows = [["Name", "Notes"], ["Acme; Ltd", "line one\nline two, still"]]
    path = write_file(tmp_path, "q.csv", csv_bytes(rows, delimiter=";"))
    assert rows_of(path)[1] == [(2, rows[1])]


def test_headers_are_cleaned_and_repeats_numbered(tmp_path):
    rows = [[" Phone ", "", "phone", ""], ["1", "2", "3", ""]]
    path = write_file(tmp_path, "h.csv", csv_bytes(rows))
    assert rows_of(path)[0] == ["Phone", "Column 2", "phone (2)"]


def test_short_rows_are_padded_and_blank_rows_skipped(tmp_path):
    path = write_file(tmp_path, "s.csv", b"A,B,C\r\n1\r\n,,\r\n4,5,6\r\n")
    assert rows_of(path)[1] == [(2, ["1", "", ""]), (4, ["4", "5", "6"])]
    assert count_rows(path) == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "old Excel file (.xls)"),
        (b"PK\x03\x04not really a zip", "not a readable Excel workbook"),
        (b"\r\n\r\n", "The first row must hold the column names."),
    ],
)
def test_unreadable_files_say_why(tmp_path, content, message):
    path = write_file(tmp_path, "bad.csv", content)
    with pytest.raises(
        ImportFileError, match=message.replace("(", r"\(").replace(")", r"\)")
    ):
        open_table(path)


def test_the_quote_an_export_puts_before_a_formula_sign_is_dropped(tmp_path):
    path = write_file(
        tmp_path,
        "q.csv",
        csv_bytes([["Phone", "Name"], ["'+44 7700 900123", "'Tis Me"]]),
    )
    assert rows_of(path)[1] == [(2, ["+44 7700 900123", "'Tis Me"])]
