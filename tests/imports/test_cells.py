"""Cell values read as dates and amounts, and names, emails and phones normalised
for matching."""

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


def test_names_emails_and_phones_normalise_for_matching():
    assert split_name("Jane van der Berg") == ("Jane", "van der Berg")
    assert split_name("Berg,  Jane") == ("Jane", "Berg")
    assert normalise_email("Jane.Doe+cv@GoogleMail.com") == "janedoe@gmail.com"
    assert phone_key("+44 7700 900123") == phone_key("07700 900123")
    assert phone_key("123") == ""
