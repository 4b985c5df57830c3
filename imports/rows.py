"""A file's rows as field values under a column mapping, with their errors in words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .cells import (
    Cell,
    CellError,
    as_text,
    parse_choice,
    parse_currency,
    parse_date,
    parse_days,
    parse_email,
    parse_money,
    parse_url,
    split_name,
)
from .fields import Field, fields_for


def convert_cell(f: Field, raw: Cell, date_format: str) -> Any:
    if f.parse == "date":
        return parse_date(raw, date_format, f.label)
    if f.parse == "money":
        return parse_money(raw, f.label)
    if f.parse == "days":
        return parse_days(raw, f.label)
    if f.parse == "choice":
        return parse_choice(raw, label=f.label, choices=f.choices, synonyms=f.synonyms)
    if f.parse == "email":
        return parse_email(raw, f.label)
    if f.parse == "url":
        return parse_url(raw)
    if f.parse == "currency":
        return parse_currency(raw, f.label)
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
