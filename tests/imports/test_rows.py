"""A row read under a mapping: its values, and every problem it has in words."""

from __future__ import annotations

from decimal import Decimal

from imports.rows import RowReader


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
