"""Reading import files and turning their cells into field values.

Nothing here touches the database: a file is opened as a `Table` (CSV or XLSX, read
a row at a time so that a file of any size takes little memory), its header is
mapped to fields (`guess_mapping`), and each row's cells become typed values
(`convert_row`), or messages in words for a person to act on.
"""

from __future__ import annotations

import codecs
import csv
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from clients.models import Candidate, Client, Contact
from core.csv_export import FORMULA_STARTS
from placements.models import Placement

Cell = str | date | datetime

DELIMITERS = ",;\t"
SNIFF_BYTES = 64 * 1024
PREVIEW_ROWS = 5


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why, in words."""


# Reading files


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


def as_text(value: Cell) -> str:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


# Fields and mapping


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    parse: str = "text"  # text, email, phone, date, money, days, choice, url, currency
    aliases: tuple[str, ...] = ()
    choices: tuple[tuple[str, str], ...] = ()
    synonyms: tuple[tuple[str, str], ...] = ()
    help: str = ""


def _f(name, label, parse="text", aliases=(), **kw) -> Field:
    return Field(name=name, label=label, parse=parse, aliases=tuple(aliases), **kw)


COMPANY = (
    "company",
    "company name",
    "client",
    "client name",
    "account",
    "account name",
    "organisation",
    "organization",
    "employer",
    "business",
)
FIRST = ("first name", "firstname", "first", "given name", "forename", "forenames")
LAST = ("last name", "lastname", "last", "surname", "family name")
FULL = ("name", "full name", "contact name", "candidate name", "contact", "candidate")
EMAIL = ("email", "e-mail", "email address", "e-mail address", "mail", "work email")
PHONE = (
    "phone",
    "mobile",
    "mobile phone",
    "mobile number",
    "cell",
    "cell phone",
    "telephone",
    "tel",
    "phone number",
    "direct line",
    "direct dial",
    "work phone",
)
OWNER = ("owner", "owner email", "record owner", "recruiter", "consultant")
NOTES = ("notes", "note", "comments", "comment", "remarks", "description")


def _person_fields() -> list[Field]:
    return [
        _f("first_name", "first name", aliases=FIRST),
        _f("last_name", "last name", aliases=LAST),
        _f(
            "full_name",
            "full name",
            aliases=FULL,
            help="Split into first and last name; 'Smith, Jane' works too.",
        ),
        _f("email", "email", "email", EMAIL),
        _f("phone", "phone", "phone", PHONE),
    ]


FIELDS: dict[str, tuple[Field, ...]] = {
    "clients": (
        _f("name", "name", aliases=(*COMPANY, "name")),
        _f("industry", "industry", aliases=("industry", "sector", "vertical")),
        _f("city", "city", aliases=("city", "town", "location")),
        _f("country", "country", aliases=("country",)),
        _f(
            "website",
            "website",
            "url",
            ("website", "web site", "url", "web", "homepage", "domain", "site"),
        ),
        _f("phone", "phone", "phone", (*PHONE, "main phone", "switchboard")),
        _f(
            "status",
            "status",
            "choice",
            ("status", "client status", "account status"),
            choices=tuple(Client.Status.choices),
            synonyms=(
                ("customer", "active"),
                ("current", "active"),
                ("lead", "prospect"),
                ("former", "inactive"),
                ("lapsed", "inactive"),
                ("dormant", "inactive"),
            ),
        ),
        _f("owner", "owner", aliases=(*OWNER, "account owner", "account manager")),
        _f("notes", "notes", aliases=NOTES),
    ),
    "contacts": (
        *_person_fields(),
        _f("client", "client", aliases=COMPANY),
        _f("job_title", "job title", aliases=("job title", "title", "position")),
        _f(
            "role",
            "role",
            "choice",
            ("role", "contact role", "contact type"),
            choices=tuple(Contact.Role.choices),
            synonyms=(
                ("hiring", "hiring_manager"),
                ("manager", "hiring_manager"),
                ("line manager", "hiring_manager"),
                ("human resources", "hr"),
                ("people", "hr"),
                ("talent", "hr"),
                ("recruitment", "hr"),
                ("owner", "founder"),
                ("co-founder", "founder"),
                ("cofounder", "founder"),
            ),
        ),
        _f("owner", "owner", aliases=OWNER),
        _f("notes", "notes", aliases=NOTES),
    ),
    "candidates": (
        *_person_fields(),
        _f(
            "current_title",
            "current title",
            aliases=(
                "current title",
                "title",
                "job title",
                "current job title",
                "position",
                "current position",
                "headline",
                "role",
            ),
        ),
        _f("city", "city", aliases=("city", "town", "location")),
        _f(
            "linkedin_url",
            "LinkedIn URL",
            "url",
            ("linkedin", "linkedin url", "linkedin profile", "linkedin profile url"),
        ),
        _f(
            "status",
            "status",
            "choice",
            ("status", "candidate status"),
            choices=tuple(Candidate.Status.choices),
            synonyms=(
                ("looking", "available"),
                ("active", "available"),
                ("open", "available"),
                ("not available", "not_looking"),
                ("passive", "not_looking"),
                ("unavailable", "not_looking"),
            ),
        ),
        _f("owner", "owner", aliases=OWNER),
        _f("notes", "notes", aliases=NOTES),
    ),
    "placements": (
        _f(
            "candidate_email",
            "candidate email",
            "email",
            ("candidate email", "candidate e-mail", *EMAIL),
        ),
        _f(
            "candidate_name",
            "candidate name",
            aliases=("candidate", "candidate name", "name", "placed candidate"),
        ),
        _f("client", "client", aliases=COMPANY),
        _f(
            "job_title",
            "job title",
            aliases=("job", "job title", "position", "title", "role", "vacancy"),
            help="The client's job of this title; created when there is none.",
        ),
        _f(
            "contact_email",
            "hiring contact email",
            "email",
            ("contact email", "hiring manager email", "manager email"),
        ),
        _f(
            "contact_name",
            "hiring contact",
            aliases=("contact", "contact name", "hiring manager", "hiring contact"),
        ),
        _f(
            "placement_type",
            "type",
            "choice",
            (
                "type",
                "placement type",
                "job type",
                "employment type",
                "contract type",
            ),
            choices=tuple(Placement.Type.choices),
            synonyms=(
                ("perm", "permanent"),
                ("full time", "permanent"),
                ("full-time", "permanent"),
                ("fte", "permanent"),
                ("contractor", "contract"),
                ("temp", "contract"),
                ("temporary", "contract"),
                ("interim", "contract"),
                ("freelance", "contract"),
                ("fixed term", "contract"),
                ("fixed-term", "contract"),
            ),
        ),
        _f(
            "start_date",
            "start date",
            "date",
            (
                "start date",
                "start",
                "starts",
                "starting",
                "starting date",
                "start on",
                "placed on",
                "placement date",
                "date placed",
                "date started",
            ),
        ),
        _f(
            "end_date",
            "end date",
            "date",
            (
                "end date",
                "end",
                "ends",
                "finish date",
                "contract end",
                "contract end date",
                "end on",
            ),
        ),
        _f(
            "fee",
            "fee",
            "money",
            (
                "fee",
                "placement fee",
                "fee amount",
                "commission",
                "revenue",
                "invoice amount",
            ),
        ),
        _f("currency", "currency", "currency", ("currency", "ccy", "fee currency")),
        _f(
            "pay",
            "salary or rate",
            "money",
            (
                "salary",
                "pay",
                "rate",
                "salary or rate",
                "day rate",
                "hourly rate",
                "base salary",
                "annual salary",
                "package",
            ),
        ),
        _f(
            "pay_basis",
            "pay basis",
            "choice",
            ("pay basis", "rate type", "salary type", "basis"),
            choices=tuple(Placement.PayBasis.choices),
            synonyms=(
                ("annual", "annual"),
                ("salary", "annual"),
                ("yearly", "annual"),
                ("per annum", "annual"),
                ("pa", "annual"),
                ("daily", "daily"),
                ("day", "daily"),
                ("per day", "daily"),
                ("hourly", "hourly"),
                ("hour", "hourly"),
                ("per hour", "hourly"),
            ),
        ),
        _f(
            "guarantee_days",
            "guarantee period (days)",
            "days",
            ("guarantee", "guarantee days", "guarantee period", "rebate period"),
        ),
        _f(
            "recruiter",
            "recruiter",
            aliases=(
                "recruiter",
                "consultant",
                "owner",
                "placed by",
                "recruiter email",
            ),
        ),
        _f(
            "status",
            "status",
            "choice",
            ("status", "placement status"),
            choices=tuple(Placement.Status.choices),
            synonyms=(
                ("pending", "pending"),
                ("not started", "pending"),
                ("started", "active"),
                ("live", "active"),
                ("current", "active"),
                ("ended", "completed"),
                ("finished", "completed"),
                ("complete", "completed"),
                ("canceled", "cancelled"),
                ("fell through", "fell_off"),
                ("fall off", "fell_off"),
                ("falloff", "fell_off"),
            ),
        ),
        _f("notes", "notes", aliases=NOTES),
    ),
}

# Each inner tuple: at least one of its alternatives must be mapped.
REQUIRED: dict[str, tuple[tuple[tuple[str, ...], ...], ...]] = {
    "clients": ((("name",),),),
    "contacts": ((("first_name", "last_name"), ("full_name",)), (("client",),)),
    "candidates": ((("first_name", "last_name"), ("full_name",)),),
    "placements": (
        (("candidate_email",), ("candidate_name",)),
        (("client",),),
        (("job_title",),),
        (("start_date",),),
    ),
}


def fields_for(kind: str) -> dict[str, Field]:
    return {f.name: f for f in FIELDS[kind]}


def normalise_header(text: str) -> str:
    text = strip_accents(text).lower().replace("&", "and")
    return re.sub(r"[^a-z0-9]+", "", text)


def guess_mapping(kind: str, headers: Sequence[str]) -> dict[str, str]:
    """{header: field} from the usual spellings of column names ("Company",
    "Account Name", "E-mail", "Mobile", "Start Date", "Placed On", ...); each
    field from one column at most, the first that fits."""
    by_alias: dict[str, str] = {}
    for f in FIELDS[kind]:
        for alias in (f.name, f.label, *f.aliases):
            by_alias.setdefault(normalise_header(alias), f.name)
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        name = by_alias.get(normalise_header(header))
        if name and name not in taken:
            mapping[header] = name
            taken.add(name)
    if {"first_name", "last_name"} <= taken and "full_name" in taken:
        mapping = {h: n for h, n in mapping.items() if n != "full_name"}
    return mapping


def check_mapping(kind: str, mapping: dict[str, str]) -> list[str]:
    """What is wrong with a mapping, in words; empty when it will do."""
    known = fields_for(kind)
    problems = []
    sources: dict[str, list[str]] = {}
    for header, name in mapping.items():
        if name not in known:
            problems.append(f"'{name}' is not a field of {kind}.")
            continue
        sources.setdefault(name, []).append(header)
    for name, headers in sources.items():
        if len(headers) > 1:
            quoted = " and ".join(f"'{h}'" for h in headers)
            problems.append(f"{known[name].label} comes from two columns: {quoted}.")
    mapped = set(sources)
    for alternatives in REQUIRED[kind]:
        if not any(set(group) <= mapped for group in alternatives):
            said = " or ".join(
                " and ".join(known[n].label for n in group) for group in alternatives
            )
            problems.append(f"Choose the column for {said}.")
    return problems


# Values


class CellError(ValueError):
    """A cell that cannot be read; the message is in words."""


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


def parse_days(value: Cell, label: str = "days") -> int:
    text = str(value).strip().lower()
    m = re.fullmatch(r"(\d+)\s*(d|day|days|w|wk|wks|week|weeks|m|month|months)?", text)
    if not m:
        raise CellError(f"{label} '{value}' is not a number of days")
    unit = (m[2] or "d")[0]
    return int(m[1]) * {"d": 1, "w": 7, "m": 30}[unit]


def parse_choice(value: Cell, f: Field) -> str:
    wanted = normalise_name(str(value))
    for code, label in f.choices:
        if wanted in (normalise_name(code), normalise_name(label)):
            return code
    for word, code in f.synonyms:
        if wanted == normalise_name(word):
            return code
    allowed = ", ".join(label for _, label in f.choices)
    raise CellError(f"{f.label} '{value}' is not one of: {allowed}")


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


def convert_cell(f: Field, raw: Cell, date_format: str) -> Any:
    if f.parse == "date":
        return parse_date(raw, date_format, f.label)
    if f.parse == "money":
        return parse_money(raw, f.label)
    if f.parse == "days":
        return parse_days(raw, f.label)
    if f.parse == "choice":
        return parse_choice(raw, f)
    if f.parse == "email":
        return parse_email(raw, f.label)
    if f.parse == "url":
        return parse_url(raw)
    if f.parse == "currency":
        text = str(raw).strip()
        code = CURRENCY_SYMBOLS.get(text, text.upper())
        if not re.fullmatch(r"[A-Z]{3}", code):
            raise CellError(f"currency '{raw}' is not a three-letter code such as GBP")
        return code
    # Text and phone numbers: kept as written.
    return as_text(raw).strip()


@dataclass
class Row:
    number: int
    values: dict[str, Any]
    errors: list[str]


class RowReader:
    """Turns a table's rows into typed values under a mapping."""

    def __init__(self, kind: str, headers: Sequence[str], mapping: dict, date_format):
        known = fields_for(kind)
        self.kind = kind
        self.date_format = date_format
        self.columns = [
            (index, known[mapping[h]])
            for index, h in enumerate(headers)
            if mapping.get(h) in known
        ]
        self.has_currency = "currency" in known

    def read(self, number: int, cells: Sequence[Cell]) -> Row:
        values: dict[str, Any] = {}
        errors: list[str] = []
        currency = ""
        for index, f in self.columns:
            raw = cells[index]
            if raw == "" or (isinstance(raw, str) and not raw.strip()):
                continue  # a blank cell never erases what a record has
            try:
                value = convert_cell(f, raw, self.date_format)
            except CellError as exc:
                errors.append(str(exc))
                continue
            if f.parse == "money":
                value, named = value
                currency = currency or named
            values[f.name] = value
        if currency and self.has_currency and "currency" not in values:
            # '€45,000' says the currency when no column does.
            values["currency"] = currency
        if "full_name" in values:
            first, last = split_name(values.pop("full_name"))
            values.setdefault("first_name", first)
            values.setdefault("last_name", last)
        return Row(number=number, values=values, errors=errors)


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
