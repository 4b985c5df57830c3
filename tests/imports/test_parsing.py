"""Reading files (every format, encoding and delimiter), guessing the mapping and
turning cells into values, without the database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from imports.cells import (
    CellError,
    guess_date_format,
    normalise_email,
    parse_date,
    parse_money,
    phone_key,
    split_name,
)
from imports.fields import check_mapping, guess_mapping
from imports.files import ImportFileError, count_rows, open_table, read_preview
from imports.rows import RowReader

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


# Mapping


def test_it_guesses_the_usual_column_names():
    assert guess_mapping(
        "contacts",
        ["Account Name", "First Name", "Surname", "E-mail", "Mobile", "Job Title"],
    ) == {
        "Account Name": "client",
        "First Name": "first_name",
        "Surname": "last_name",
        "E-mail": "email",
        "Mobile": "phone",
        "Job Title": "job_title",
    }
    assert guess_mapping(
        "placements",
        ["Candidate Email", "Company", "Position", "Placed On", "End", "Salary", "Fee"],
    ) == {
        "Candidate Email": "candidate_email",
        "Company": "client",
        "Position": "job_title",
        "Placed On": "start_date",
        "End": "end_date",
        "Salary": "pay",
        "Fee": "fee",
    }
    assert guess_mapping("clients", ["Company", "Website", "Telephone"]) == {
        "Company": "name",
        "Website": "website",
        "Telephone": "phone",
    }
    assert guess_mapping("placements", ["Start Date"]) == {"Start Date": "start_date"}


def test_a_field_is_guessed_from_one_column_only():
    assert guess_mapping("candidates", ["Mobile", "Phone", "Name"]) == {
        "Mobile": "phone",
        "Name": "full_name",
    }


def test_a_full_name_column_is_ignored_when_first_and_last_are_there():
    mapping = guess_mapping("candidates", ["Name", "First name", "Last name"])
    assert "full_name" not in mapping.values()


def test_check_mapping_says_what_is_missing_and_what_is_doubled():
    assert check_mapping("contacts", {"First": "first_name"}) == [
        "Choose the column for first name and last name or full name.",
        "Choose the column for client.",
    ]
    assert check_mapping(
        "candidates", {"Name": "full_name", "A": "email", "B": "email"}
    ) == ["email comes from two columns: 'A' and 'B'."]
    assert check_mapping("clients", {"Company": "name"}) == []


# Values


@pytest.mark.parametrize(
    ("text", "date_format", "expected"),
    [
        ("2025-02-28", "dmy", dt.date(2025, 2, 28)),
        ("2025/02/28", "mdy", dt.date(2025, 2, 28)),
        ("2025-02-28 00:00:00", "iso", dt.date(2025, 2, 28)),
        ("03/04/2025", "dmy", dt.date(2025, 4, 3)),
        ("03/04/2025", "mdy", dt.date(2025, 3, 4)),
        ("3.4.25", "dmy", dt.date(2025, 4, 3)),
        ("31-12-2025", "dmy", dt.date(2025, 12, 31)),
        ("5 Jan 2025", "mdy", dt.date(2025, 1, 5)),
        ("January 5th, 2025", "dmy", dt.date(2025, 1, 5)),
        ("45658", "dmy", dt.date(2025, 1, 1)),
    ],
)
def test_dates_in_the_common_formats(text, date_format, expected):
    assert parse_date(text, date_format, "start date") == expected


@pytest.mark.parametrize(
    ("text", "date_format", "message"),
    [
        ("31/02/2025", "dmy", "start date 31/02/2025 is not a date"),
        (
            "02/13/2025",
            "dmy",
            "start date 02/13/2025 is not a date (read as day/month/year)",
        ),
        ("13/02/2025", "iso", "start date 13/02/2025 is not a date"),
        ("next week", "dmy", "start date next week is not a date"),
        ("2025-13-01", "dmy", "start date 2025-13-01 is not a date"),
    ],
)
def test_a_wrong_date_is_said_in_words(text, date_format, message):
    with pytest.raises(CellError) as exc:
        parse_date(text, date_format, "start date")
    assert str(exc.value) == message


def test_the_date_format_is_guessed_from_the_file():
    assert guess_date_format(["01/02/2025", "25/02/2025"]) == "dmy"
    assert guess_date_format(["01/02/2025", "02/25/2025"]) == "mdy"
    assert guess_date_format(["2025-02-25", "Acme"]) == "iso"
    assert guess_date_format(["01/02/2025"]) == "dmy"


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("12000", "12000.00", ""),
        ("£12,000.50", "12000.50", "GBP"),
        ("$ 1,234", "1234.00", "USD"),
        ("€45.000,00", "45000.00", "EUR"),
        ("EUR 12.000,50", "12000.50", "EUR"),
        ("12 000,5 CHF", "12000.50", "CHF"),
        ("1.234.567", "1234567.00", ""),
        ("45k", "45000.00", ""),
        ("£52.5K", "52500.00", "GBP"),
        ("(100)", "-100.00", ""),
        ("1'234.50", "1234.50", ""),
    ],
)
def test_money_with_symbols_and_thousand_separators(text, amount, currency):
    assert parse_money(text, "fee") == (Decimal(amount), currency)


@pytest.mark.parametrize("text", ["lots", "12,34,5.6.7", "£", "twelve pounds"])
def test_a_wrong_amount_is_said_in_words(text):
    with pytest.raises(CellError, match=f"fee '{text}' is not an amount of money"):
        parse_money(text, "fee")


def test_phones_are_kept_as_written_and_blank_cells_left_out():
    reader = RowReader(
        "candidates",
        ["Name", "Mobile", "E-mail", "City"],
        {"Name": "full_name", "Mobile": "phone", "E-mail": "email", "City": "city"},
        "dmy",
    )
    row = reader.read(2, ["Smith, Jane", "+44 (0) 7700-900 123", "", "  "])
    assert row.values == {
        "first_name": "Jane",
        "last_name": "Smith",
        "phone": "+44 (0) 7700-900 123",
    }
    assert row.errors == []


def test_a_row_gathers_every_problem_it_has():
    reader = RowReader(
        "placements",
        ["Start", "Fee", "Type", "Guarantee"],
        {
            "Start": "start_date",
            "Fee": "fee",
            "Type": "placement_type",
            "Guarantee": "guarantee_days",
        },
        "dmy",
    )
    row = reader.read(17, ["31/02/2025", "a lot", "gig", "soon"])
    assert row.errors == [
        "start date 31/02/2025 is not a date",
        "fee 'a lot' is not an amount of money",
        "type 'gig' is not one of: Permanent, Contract",
        "guarantee period (days) 'soon' is not a number of days",
    ]


def test_the_currency_of_a_symbol_is_kept_when_no_column_says_it():
    reader = RowReader("placements", ["Fee"], {"Fee": "fee"}, "dmy")
    assert reader.read(2, ["€9,500"]).values == {
        "fee": Decimal("9500.00"),
        "currency": "EUR",
    }


def test_names_emails_and_phones_normalise_for_matching():
    assert split_name("Jane van der Berg") == ("Jane", "van der Berg")
    assert split_name("Berg,  Jane") == ("Jane", "Berg")
    assert normalise_email("Jane.Doe+cv@GoogleMail.com") == "janedoe@gmail.com"
    assert phone_key("+44 7700 900123") == phone_key("07700 900123")
    assert phone_key("123") == ""


def test_the_quote_an_export_puts_before_a_formula_sign_is_dropped(tmp_path):
    path = write_file(
        tmp_path,
        "q.csv",
        csv_bytes([["Phone", "Name"], ["'+44 7700 900123", "'Tis Me"]]),
    )
    assert rows_of(path)[1] == [(2, ["+44 7700 900123", "'Tis Me"])]
