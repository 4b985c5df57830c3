"""manage.py import_records KIND FILE: the shell's way in, same rules as the pages."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from clients.models import Candidate, Client
from imports.models import ImportJob, SavedMapping

from .conftest import csv_bytes, write_file, xlsx_bytes

pytestmark = pytest.mark.django_db

ROWS = [
    ["Who", "E-mail", "Phone"],
    ["Ann Lee", "ann@example.com", "07700 900001"],
    ["Bo Ray", "bo@example.com", "07700 900002"],
]


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_records", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_imports_a_file_and_says_what_it_did(ada, tmp_path):
    path = write_file(tmp_path, "clients.xlsx", xlsx_bytes([["Company"], ["Acme"]]))
    out, _ = run("clients", str(path))
    job = ImportJob.objects.get()
    assert out == (
        f"Imported clients from clients.xlsx: 1 created, 0 updated, 0 unchanged "
        f"(import #{job.pk}).\n"
    )
    assert Client.objects.get().name == "Acme"
    assert job.created_by == ada


def test_a_dry_run_writes_nothing(ada, tmp_path):
    path = write_file(tmp_path, "c.csv", csv_bytes([["Name"], ["Ann Lee"]]))
    out, _ = run("candidates", str(path), "--dry-run")
    assert "would be 1 created, 0 updated, 0 unchanged; nothing was written" in out
    assert not Candidate.objects.exists()


def test_a_saved_mapping_and_a_date_format_by_name(alice, tmp_path):
    SavedMapping.objects.create(
        name="Old CRM",
        kind="candidates",
        mapping={"Who": "full_name", "E-mail": "email", "Phone": "phone"},
    )
    path = write_file(tmp_path, "c.csv", csv_bytes(ROWS, delimiter=";"))
    run(
        "candidates",
        str(path),
        "--mapping",
        "old crm",
        "--date-format",
        "iso",
        "--by",
        "ALICE@example.com",
    )
    ann = Candidate.objects.get(email="ann@example.com")
    assert (ann.first_name, ann.phone, ann.owner) == ("Ann", "07700 900001", alice)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["people", "{file}"],
            "Cannot import 'people': choose one of clients, contacts, candidates, placements.",
        ),
        (["clients", "/nowhere/x.csv"], "No file at /nowhere/x.csv."),
        (
            ["candidates", "{file}", "--mapping", "Nope"],
            "No saved mapping 'Nope' for candidates.",
        ),
        (
            ["candidates", "{file}", "--date-format", "ymd"],
            "--date-format ymd is not one of dmy, mdy, iso.",
        ),
        (
            ["candidates", "{file}", "--by", "who@example.com"],
            "No active user with the email who@example.com.",
        ),
        (["clients", "{file}"], "Choose the column for name."),
        (
            ["candidates", "{pdf}"],
            "Upload a CSV file (.csv, .tsv, .txt) or an Excel file (.xlsx).",
        ),
    ],
)
def test_bad_input_stops_with_one_line(ada, tmp_path, args, message):
    path = write_file(tmp_path, "c.csv", csv_bytes(ROWS))
    pdf = write_file(tmp_path, "c.pdf", b"%PDF-1.4")
    args = [a.format(file=path, pdf=pdf) for a in args]
    with pytest.raises(CommandError) as exc:
        run(*args)
    assert str(exc.value) == message
    assert "\n" not in str(exc.value)


def test_bad_rows_are_listed_and_nothing_is_written(ada, tmp_path):
    rows = [["Name", "Email"], ["Ann Lee", "ann@example.com"], ["Bo Ray", "bo@"]]
    path = write_file(tmp_path, "c.csv", csv_bytes(rows))
    err = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("import_records", "candidates", str(path), stderr=err)
    assert str(exc.value) == "1 row could not be imported. Nothing was written."
    assert err.getvalue() == "row 3: email 'bo@' is not an email address\n"
    assert not Candidate.objects.exists()


def test_without_an_admin_it_asks_who_imports(db, tmp_path):
    path = write_file(tmp_path, "c.csv", csv_bytes(ROWS))
    with pytest.raises(CommandError, match="No admin to record the import as"):
        run("candidates", str(path))
