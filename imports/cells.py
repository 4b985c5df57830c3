"""Parsing cell values (dates, money, choices, emails) and normalising names and phones.

The normalised names, emails and phone numbers are what records are matched by.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

# A cell as a file gives it: text, except the dates a spreadsheet stores as dates.
Cell = str | date | datetime


class CellError(ValueError):
    """A cell that cannot be read; the message is in words."""


def as_text(value: Cell) -> str:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


# Names, emails and phone numbers


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalise_name(text: str) -> str:
    """Lower case, accents and punctuation gone, spaces collapsed: 'José  O'Neil'
    and 'jose oneil' are the same name."""
    text = strip_accents(text).lower().replace("'", "").replace("\u2019", "")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def phone_key(text: str) -> str:
    """The last nine digits of a phone number: +44 7700 900123 and 07700 900123
    are the same number. Empty for anything too short to tell."""
    digits = re.sub(r"\D", "", text or "")
    return digits[-9:] if len(digits) >= 7 else ""


def normalise_email(text: str) -> str:
    """Lower case, without a +tag; Gmail ignores dots in the local part."""
    text = (text or "").strip().lower()
    if "@" not in text:
        return text
    local, _, domain = text.rpartition("@")
    local = local.split("+", 1)[0]
    if domain in ("gmail.com", "googlemail.com"):
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


def split_name(text: str) -> tuple[str, str]:
    """'Jane van der Berg' -> ('Jane', 'van der Berg'); 'Berg, Jane' -> ('Jane', 'Berg')."""
    text = " ".join(text.split())
    if "," in text:
        last, _, first = text.partition(",")
        return first.strip(), last.strip()
    first, _, last = text.partition(" ")
    return first, last


# Dates


_TIME_SUFFIX = re.compile(
    r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*(am|pm)?(Z|[+-]\d{2}:?\d{2})?$", re.I
)
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_NUMERIC = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})")
_TEXT_FORMATS = (
    "%d %b %Y",
    "%d %B %Y",
    "%b %d %Y",
    "%B %d %Y",
    "%d %b %y",
    "%d %B %y",
    "%d-%b-%Y",
    "%d-%b-%y",
    "%a %d %b %Y",
    "%A %d %B %Y",
)
READ_AS = {
    "dmy": "day/month/year",
    "mdy": "month/day/year",
    "iso": "year-month-day",
}


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 70 else 1900
    return year


def parse_date(value: Cell, date_format: str, label: str = "date") -> date:
    """ISO dates always; 3/4/2025 as the page says (day/month/year or
    month/day/year); '5 Jan 2025' and 'January 5, 2025' whatever it says; an
    Excel serial number (45678) too. A midnight time after a date is dropped."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = " ".join(value.split())
    plain = _TIME_SUFFIX.sub("", text)
    try:
        if m := _ISO.fullmatch(plain):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _NUMERIC.fullmatch(plain):
            a, b, year = int(m[1]), int(m[2]), _year(m[3])
            order = [(b, a), (a, b)] if date_format == "mdy" else [(a, b), (b, a)]
            day, month = order[0]
            try:
                if date_format == "iso":
                    raise ValueError
                return date(year, month, day)
            except ValueError:
                day, month = order[1]
                hint = ""
                try:
                    date(year, month, day)
                    hint = f" (read as {READ_AS[date_format]})"
                except ValueError:
                    pass
                raise CellError(f"{label} {text} is not a date{hint}") from None
        if plain.isdigit() and 20000 <= int(plain) <= 80000:
            return date(1899, 12, 30) + timedelta(days=int(plain))
        words = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", plain.replace(",", " "))
        words = " ".join(words.split())
        for fmt in _TEXT_FORMATS:
            try:
                return datetime.strptime(words, fmt).date()  # noqa: DTZ007
            except ValueError:
                continue
    except CellError:
        raise
    except (ValueError, OverflowError):
        pass
    raise CellError(f"{label} {text} is not a date")


def guess_date_format(cells: Sequence[str]) -> str:
    """day/month/year unless some date can only be month/day/year (12/31/2025);
    year-month-day when every date looks like that."""
    iso = numeric = 0
    for cell in cells:
        plain = _TIME_SUFFIX.sub("", cell.strip())
        if _ISO.fullmatch(plain):
            iso += 1
        elif m := _NUMERIC.fullmatch(plain):
            numeric += 1
            a, b = int(m[1]), int(m[2])
            if a > 12 >= b:
                return "dmy"
            if b > 12 >= a:
                return "mdy"
    return "iso" if iso and not numeric else "dmy"


# Money


CURRENCY_SYMBOLS = {"£": "GBP", "$": "USD", "€": "EUR", "¥": "JPY", "₹": "INR"}
_CODE = re.compile(r"^([A-Za-z]{3})\s*|\s*([A-Za-z]{3})$")


def parse_money(value: Cell, label: str = "amount") -> tuple[Decimal, str]:
    """An amount with or without a currency symbol or code and thousand
    separators: '£12,000.50', 'EUR 12.000,50', '45k', '1 234,5'. Returns the
    amount and the currency it named ('' when none)."""
    text = " ".join(str(value).replace("\u00a0", " ").replace("\u202f", " ").split())
    original = text
    currency = ""
    for symbol, code in CURRENCY_SYMBOLS.items():
        if symbol in text:
            currency = code
            text = text.replace(symbol, "")
    text = text.strip()
    if m := _CODE.search(text):
        code = (m[1] or m[2]).upper()
        currency = currency or code
        text = _CODE.sub("", text, count=1).strip()
    negative = text.startswith("-") or (text.startswith("(") and text.endswith(")"))
    text = text.strip("-() ")
    multiplier = 1
    if text[-1:] in ("k", "K"):
        multiplier, text = 1000, text[:-1].strip()
    text = text.replace(" ", "").replace("'", "")
    if "," in text and "." in text:
        decimal_mark = "," if text.rindex(",") > text.rindex(".") else "."
    elif "," in text:
        whole, _, tail = text.rpartition(",")
        decimal_mark = "," if text.count(",") == 1 and len(tail) in (1, 2) else ""
    elif text.count(".") > 1:
        decimal_mark = ""
    else:
        decimal_mark = "."
    thousands = "," if decimal_mark != "," else "."
    if not decimal_mark:
        thousands = "," if "," in text else "."
    text = text.replace(thousands, "")
    if decimal_mark == ",":
        text = text.replace(",", ".")
    if not re.fullmatch(r"\d+(\.\d+)?", text):
        raise CellError(f"{label} '{original}' is not an amount of money")
    try:
        amount = Decimal(text) * multiplier
    except InvalidOperation:
        raise CellError(f"{label} '{original}' is not an amount of money") from None
    amount = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return (-amount if negative else amount), currency


def parse_currency(value: Cell, label: str = "currency") -> str:
    """A three-letter code such as GBP, or a currency symbol."""
    text = str(value).strip()
    code = CURRENCY_SYMBOLS.get(text, text.upper())
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise CellError(f"{label} '{value}' is not a three-letter code such as GBP")
    return code


# Other values


def parse_days(value: Cell, label: str = "days") -> int:
    text = str(value).strip().lower()
    m = re.fullmatch(r"(\d+)\s*(d|day|days|w|wk|wks|week|weeks|m|month|months)?", text)
    if not m:
        raise CellError(f"{label} '{value}' is not a number of days")
    unit = (m[2] or "d")[0]
    return int(m[1]) * {"d": 1, "w": 7, "m": 30}[unit]


def parse_choice(
    value: Cell,
    *,
    label: str,
    choices: Sequence[tuple[str, str]],
    synonyms: Sequence[tuple[str, str]] = (),
) -> str:
    """The code of the choice a cell names, by its code, its label or a synonym."""
    wanted = normalise_name(str(value))
    for code, choice_label in choices:
        if wanted in (normalise_name(code), normalise_name(choice_label)):
            return code
    for word, code in synonyms:
        if wanted == normalise_name(word):
            return code
    allowed = ", ".join(choice_label for _, choice_label in choices)
    raise CellError(f"{label} '{value}' is not one of: {allowed}")


def parse_url(value: Cell) -> str:
    text = str(value).strip()
    if text and not re.match(r"^[a-z][a-z0-9+.-]*://", text, re.I):
        text = f"https://{text}"
    return text


def parse_email(value: Cell, label: str = "email") -> str:
    text = str(value).strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    try:
        validate_email(text)
    except ValidationError:
        raise CellError(f"{label} '{text}' is not an email address") from None
    return text
