"""The import services: dry run then import, all or nothing per file, matching
existing records, re-import as a no-op, a failure half-way."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from clients.models import Candidate, Client, Contact
from followups.models import ENTERED_LATE, FollowUp
from imports import services
from imports.models import ImportJob, SavedMapping
from imports.writers.bulk import CandidateWriter
from placements.models import Job, Placement
from tests.factories import CandidateFactory, ClientFactory, ContactFactory

from .conftest import csv_bytes, run_import, upload

pytestmark = pytest.mark.django_db

CANDIDATES = [
    ["First Name", "Last Name", "E-mail", "Mobile", "City"],
    ["Ann", "Lee", "ann@example.com", "07700 900001", "Leeds"],
    ["Bo", "Ray", "bo@example.com", "07700 900002", "York"],
    ["Cy", "Day", "", "07700 900003", "Hull"],
]


def book_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Client, Contact, Candidate, Job, Placement, FollowUp)
    }


def test_it_imports_candidates_and_records_the_import(ada, tmp_path):
    job = run_import(ada, "candidates", CANDIDATES, tmp_path=tmp_path)
    assert job.status == ImportJob.Status.DONE
    assert (job.created_count, job.updated_count, job.skipped_count) == (3, 0, 0)
    assert (job.total_rows, job.processed_rows, job.error_count) == (3, 3, 0)
    assert job.created_by == ada and job.file_name == "book.csv"
    assert job.finished_at is not None
    ann = Candidate.objects.get(email="ann@example.com")
    assert (ann.first_name, ann.phone, ann.city, ann.owner) == (
        "Ann",
        "07700 900001",
        "Leeds",
        ada,
    )


def test_the_dry_run_counts_and_writes_nothing_then_the_import_writes(ada, tmp_path):
    CandidateFactory(email="ANN@example.com", first_name="Ann", last_name="Lee")
    before = book_counts()
    job = run_import(ada, "candidates", CANDIDATES, tmp_path=tmp_path, dry_run=True)
    assert job.status == ImportJob.Status.CHECKED and job.can_confirm
    assert (job.created_count, job.updated_count, job.skipped_count) == (2, 1, 0)
    assert book_counts() == before

    job.status = ImportJob.Status.CHECKED
    services.import_job_confirm(job=job, by=ada)
    job = services.import_job_run(job_id=job.pk, dry_run=False)
    assert job.status == ImportJob.Status.DONE
    assert (job.created_count, job.updated_count, job.skipped_count) == (2, 1, 0)
    assert Candidate.objects.count() == before["Candidate"] + 2


def test_a_file_with_errors_cannot_be_confirmed(ada, tmp_path):
    rows = [*CANDIDATES, ["Di", "", "di@example", "", ""]]
    job = run_import(ada, "candidates", rows, tmp_path=tmp_path, dry_run=True)
    assert job.status == ImportJob.Status.CHECKED and not job.can_confirm
    with pytest.raises(ValidationError):
        services.import_job_confirm(job=job, by=ada)


@pytest.mark.parametrize(
    ("kind", "rows", "row", "message"),
    [
        (
            "candidates",
            [["Name", "Email"], ["Ann Lee", "ann@example.com"], ["Bo Ray", "bo@"]],
            3,
            "email 'bo@' is not an email address",
        ),
        (
            "candidates",
            [["First name", "Last name"], ["Ann", "Lee"], ["Bo", ""]],
            3,
            "last name is missing",
        ),
        (
            "candidates",
            [["Name", "Owner"], ["Ann Lee", ""], ["Bo Ray", "nobody@example.com"]],
            3,
            "owner 'nobody@example.com' not found",
        ),
        (
            "candidates",
            [["Name", "Status"], ["Ann Lee", "Available"], ["Bo Ray", "Hot"]],
            3,
            "status 'Hot' is not one of: Available, Placed, Not looking",
        ),
        (
            "candidates",
            [["Name", "LinkedIn"], ["Ann Lee", ""], ["Bo Ray", "not a url"]],
            3,
            "LinkedIn URL 'https://not a url': Enter a valid URL.",
        ),
        (
            "candidates",
            [["Name"], ["Ann Lee"], ["Cher"]],
            3,
            "last name is missing",
        ),
        (
            "contacts",
            [["Name", "Company"], ["Ann Lee", "Known Ltd"], ["Bo Ray", "Acme"]],
            3,
            "client 'Acme' not found",
        ),
        (
            "contacts",
            [
                ["Name", "Company", "Role"],
                ["Ann Lee", "Known Ltd", "HR"],
                ["B R", "Known Ltd", "CEO"],
            ],
            3,
            "role 'CEO' is not one of: Hiring manager, HR, Founder, Other",
        ),
        (
            "clients",
            [["Company", "Website"], ["Acme", "acme.example"], ["Beta", "http://"]],
            3,
            "website 'http://': Enter a valid URL.",
        ),
        (
            "clients",
            [["Company", "Industry"], ["Acme", "Software"], ["", "Energy"]],
            3,
            "name is missing",
        ),
        (
            "placements",
            [
                ["Candidate Email", "Company", "Job", "Start Date"],
                ["ann@example.com", "Known Ltd", "Engineer", "01/02/2025"],
                ["ann@example.com", "Known Ltd", "Engineer", "31/02/2025"],
            ],
            3,
            "start date 31/02/2025 is not a date",
        ),
        (
            "placements",
            [
                ["Candidate Email", "Company", "Job", "Start Date"],
                ["ann@example.com", "Known Ltd", "Engineer", "01/02/2025"],
                ["ann@example.com", "Acme", "Engineer", "01/03/2025"],
            ],
            3,
            "client 'Acme' not found",
        ),
        (
            "placements",
            [
                ["Candidate Email", "Company", "Job", "Start Date"],
                ["ann@example.com", "Known Ltd", "Engineer", "01/02/2025"],
                ["zed@example.com", "Known Ltd", "Engineer", "01/03/2025"],
            ],
            3,
            "candidate 'zed@example.com' not found",
        ),
        (
            "placements",
            [
                ["Candidate", "Company", "Job", "Start Date"],
                ["Ann Lee", "Known Ltd", "Engineer", "01/02/2025"],
                ["Zed Zee", "Known Ltd", "Engineer", "01/03/2025"],
            ],
            3,
            "candidate 'Zed Zee' not found",
        ),
        (
            "placements",
            [
                ["Candidate Email", "Company", "Job", "Start Date", "Fee"],
                ["ann@example.com", "Known Ltd", "Engineer", "01/02/2025", "£9,000"],
                ["ann@example.com", "Known Ltd", "Analyst", "01/03/2025", "lots"],
            ],
            3,
            "fee 'lots' is not an amount of money",
        ),
        (
            "placements",
            [
                ["Candidate Email", "Company", "Job", "Start Date", "Type"],
                ["ann@example.com", "Known Ltd", "Engineer", "01/02/2025", "Perm"],
                ["ann@example.com", "Known Ltd", "Analyst", "01/03/2025", "Contract"],
            ],
            3,
            "A contract placement needs an end date.",
        ),
        (
            "placements",
            [
                ["Candidate Email", "Company", "Job", "Start Date", "End Date"],
                ["ann@example.com", "Known Ltd", "Engineer", "01/02/2025", ""],
                ["ann@example.com", "Known Ltd", "Analyst", "01/03/2025", "01/01/2025"],
            ],
            3,
            "The end date must be after the start date.",
        ),
        (
            "placements",
            [
                ["Candidate Email", "Company", "Job", "Start Date", "Contact Email"],
                ["ann@example.com", "Known Ltd", "Engineer", "01/02/2025", ""],
                [
                    "ann@example.com",
                    "Known Ltd",
                    "Analyst",
                    "01/03/2025",
                    "x@else.example",
                ],
            ],
            3,
            "hiring contact 'x@else.example' works at Elsewhere, not Known Ltd",
        ),
        (
            "placements",
            [
                ["Candidate Email", "Company", "Job", "Start Date", "Recruiter"],
                ["ann@example.com", "Known Ltd", "Engineer", "01/02/2025", "Ada Admin"],
                ["ann@example.com", "Known Ltd", "Analyst", "01/03/2025", "Zed"],
            ],
            3,
            "recruiter 'Zed' not found",
        ),
    ],
)
def test_each_kind_of_bad_row_gets_its_message_and_nothing_is_written(
    ada, plans, tmp_path, kind, rows, row, message
):
    known = ClientFactory(name="Known Ltd")
    CandidateFactory(email="ann@example.com", first_name="Ann", last_name="Lee")
    ContactFactory(client=ClientFactory(name="Elsewhere"), email="x@else.example")
    before = book_counts()

    dry = run_import(ada, kind, rows, tmp_path=tmp_path, dry_run=True)
    assert dry.status == ImportJob.Status.CHECKED
    assert {"row": row, "message": message} in dry.errors
    assert dry.error_count == 1, dry.errors

    job = run_import(ada, kind, rows, tmp_path=tmp_path)
    assert job.status == ImportJob.Status.FAILED
    assert job.errors == dry.errors
    assert job.failure == "1 row could not be imported. Nothing was written."
    assert (job.created_count, job.updated_count) == (0, 0)
    # The good row was not written either: the file goes in whole or not at all.
    assert book_counts() == before
    assert not Job.objects.exclude(client=known).filter(title="Engineer").exists()


@pytest.mark.parametrize(
    ("kind", "rows"),
    [
        (
            "clients",
            [
                ["Company", "Phone", "Status"],
                ["Acme", "0113 496 0000", "Customer"],
                ["Beta", "", ""],
            ],
        ),
        (
            "contacts",
            [
                ["Name", "E-mail", "Company"],
                ["Ann Lee", "ann@acme.example", "Known Ltd"],
                ["Bo Ray", "", "Known Ltd"],
            ],
        ),
        ("candidates", CANDIDATES),
        (
            "placements",
            [
                ["Candidate Email", "Company", "Position", "Placed On", "Fee", "End"],
                [
                    "known@example.com",
                    "Known Ltd",
                    "Engineer",
                    "01/02/2025",
                    "£9,000",
                    "",
                ],
                [
                    "known@example.com",
                    "Known Ltd",
                    "Contractor",
                    "01/03/2026",
                    "1000",
                    "31/12/2026",
                ],
            ],
        ),
    ],
)
def test_re_importing_the_same_file_changes_nothing(ada, plans, tmp_path, kind, rows):
    ClientFactory(name="Known Ltd")
    CandidateFactory(email="known@example.com")
    first = run_import(ada, kind, rows, tmp_path=tmp_path)
    assert first.status == ImportJob.Status.DONE, first.errors
    assert first.created_count == len(rows) - 1
    after_first = book_counts()
    stamps = {
        m.__name__: sorted(m.objects.values_list("updated_at", flat=True))
        for m in (Client, Contact, Candidate, Placement, FollowUp)
    }

    again = run_import(ada, kind, rows, tmp_path=tmp_path)
    assert again.status == ImportJob.Status.DONE
    assert (again.created_count, again.updated_count) == (0, 0)
    assert again.skipped_count == len(rows) - 1
    assert book_counts() == after_first
    assert stamps == {
        m.__name__: sorted(m.objects.values_list("updated_at", flat=True))
        for m in (Client, Contact, Candidate, Placement, FollowUp)
    }


def test_a_matching_email_updates_instead_of_creating(ada, tmp_path):
    ann = CandidateFactory(
        email="Ann@Example.com", first_name="Ann", last_name="Lee", city="Hull"
    )
    job = run_import(ada, "candidates", CANDIDATES, tmp_path=tmp_path)
    assert (job.created_count, job.updated_count) == (2, 1)
    ann.refresh_from_db()
    assert ann.city == "Leeds"
    # The owner of a record found stays: nobody named another.
    assert ann.email == "Ann@Example.com"
    assert Candidate.objects.filter(email__iexact="ann@example.com").count() == 1


def test_a_blank_cell_leaves_the_field_as_it_is(ada, tmp_path):
    ann = CandidateFactory(email="ann@example.com", phone="0123 456789", city="Hull")
    rows = [
        ["Name", "Email", "Phone", "City"],
        ["Ann Lee", "ann@example.com", "", "Leeds"],
    ]
    run_import(ada, "candidates", rows, tmp_path=tmp_path)
    ann.refresh_from_db()
    assert (ann.phone, ann.city) == ("0123 456789", "Leeds")


def test_without_an_email_a_contact_matches_by_name_and_company(ada, tmp_path):
    acme = ClientFactory(name="Acme")
    other = ClientFactory(name="Other")
    jose = ContactFactory(
        client=acme, first_name="José", last_name="Núñez", email="", job_title=""
    )
    rows = [
        ["Name", "Company", "Job title"],
        ["jose  nunez", "ACME", "CTO"],  # accents, case and spaces aside: José
        ["José Núñez", "Other", "CFO"],  # same name, another company: someone else
    ]
    job = run_import(ada, "contacts", rows, tmp_path=tmp_path)
    assert (job.created_count, job.updated_count) == (1, 0) or (
        job.created_count,
        job.updated_count,
    ) == (1, 1)
    jose.refresh_from_db()
    assert Contact.objects.filter(client=other, last_name="Núñez").count() == 1
    assert Contact.objects.filter(client=acme).count() == 1


def test_without_an_email_a_candidate_matches_by_name_and_phone(ada, tmp_path):
    kim = CandidateFactory(
        first_name="Kim", last_name="Lee", email="", phone="+44 7700 900555", city=""
    )
    rows = [
        ["Name", "Mobile", "City"],
        ["Kim Lee", "07700 900555", "Leeds"],
        ["Kim Lee", "07700 900999", "York"],
    ]
    job = run_import(ada, "candidates", rows, tmp_path=tmp_path)
    assert (job.created_count, job.updated_count) == (1, 1)
    kim.refresh_from_db()
    assert kim.city == "Leeds"
    assert kim.phone == "07700 900555"  # kept as the file wrote it


def test_two_rows_of_one_person_in_a_file_make_one_record(ada, tmp_path):
    rows = [
        ["Name", "Email", "City"],
        ["Ann Lee", "ann@example.com", "Leeds"],
        ["Ann Lee", "ANN@example.com", "York"],
        ["Ann Lee", "ann@example.com", "York"],
    ]
    job = run_import(ada, "candidates", rows, tmp_path=tmp_path)
    assert (job.created_count, job.updated_count, job.skipped_count) == (1, 1, 1)
    assert Candidate.objects.get().city == "York"


def test_two_candidates_of_one_name_need_an_email_to_tell_apart(ada, tmp_path):
    CandidateFactory(first_name="Sam", last_name="Smith", email="s1@example.com")
    CandidateFactory(first_name="Sam", last_name="Smith", email="s2@example.com")
    job = run_import(ada, "candidates", [["Name"], ["Sam Smith"]], tmp_path=tmp_path)
    assert job.errors == [
        {
            "row": 2,
            "message": "2 candidates are called 'Sam Smith': add an email column "
            "to tell them apart",
        }
    ]


def test_clients_match_by_name_whatever_its_case(ada, tmp_path):
    acme = ClientFactory(name="Acme Ltd", industry="")
    rows = [
        ["Account Name", "Industry", "Owner"],
        ["ACME  ltd", "Software", "ada@example.com"],
    ]
    job = run_import(ada, "clients", rows, tmp_path=tmp_path)
    assert (job.created_count, job.updated_count) == (0, 1)
    acme.refresh_from_db()
    assert (acme.name, acme.industry, acme.owner) == ("Acme Ltd", "Software", ada)


def test_contacts_find_their_client_and_owner(ada, alice, tmp_path):
    acme = ClientFactory(name="Acme")
    rows = [
        ["First", "Last", "Email", "Company", "Role", "Owner"],
        ["Ann", "Lee", "ann@acme.example", "acme", "Human resources", "Alice Archer"],
    ]
    job = run_import(ada, "contacts", rows, tmp_path=tmp_path)
    assert job.status == ImportJob.Status.DONE, job.errors
    ann = Contact.objects.get()
    assert (ann.client, ann.role, ann.owner) == (acme, Contact.Role.HR, alice)


def test_placements_get_their_follow_up_plan_and_past_ones_are_entered_late(
    ada, alice, plans, tmp_path, time_machine
):
    time_machine.move_to(dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC), tick=False)
    acme = ClientFactory(name="Acme")
    hiring = ContactFactory(client=acme, first_name="Hana", last_name="Ito")
    ann = CandidateFactory(email="ann@example.com")
    bo = CandidateFactory(first_name="Bo", last_name="Ray", email="")
    rows = [
        [
            "Candidate Email",
            "Candidate",
            "Company",
            "Job Title",
            "Placed On",
            "End Date",
            "Fee",
            "Hiring manager",
            "Recruiter",
        ],
        [
            "ann@example.com",
            "",
            "Acme",
            "Engineer",
            "2026-01-05",
            "",
            "£12,000",
            "Hana Ito",
            "alice@example.com",
        ],
        ["", "Bo Ray", "Acme", "Tester", "2026-07-01", "2026-12-31", "€500", "", ""],
    ]
    job = run_import(ada, "placements", rows, tmp_path=tmp_path, date_format="iso")
    assert job.status == ImportJob.Status.DONE, job.errors

    past = Placement.objects.get(candidate=ann)
    assert (past.client, past.contact, past.recruiter) == (acme, hiring, alice)
    assert (past.fee, past.currency, past.placement_type, past.status) == (
        Decimal("12000.00"),
        "GBP",
        Placement.Type.PERMANENT,
        Placement.Status.ACTIVE,
    )
    assert past.job.title == "Engineer" and past.job.status == Job.Status.FILLED
    followups = past.followups.all()
    assert followups.exists()
    late = followups.filter(due_date__lt=dt.date(2026, 6, 1))
    assert late.exists()
    assert set(late.values_list("status", "status_reason")) == {
        (FollowUp.Status.SKIPPED, ENTERED_LATE)
    }
    assert followups.filter(
        due_date__gte=dt.date(2026, 6, 1), status=FollowUp.Status.OPEN
    ).exists()
    assert set(followups.values_list("assigned_to", flat=True)) == {alice.pk}

    future = Placement.objects.get(candidate=bo)
    assert (
        future.placement_type,
        future.status,
        future.currency,
        future.recruiter,
    ) == (
        Placement.Type.CONTRACT,
        Placement.Status.PENDING,
        "EUR",
        ada,
    )
    ann.refresh_from_db()
    assert ann.status == Candidate.Status.PLACED


def test_a_changed_placement_row_updates_it(ada, plans, tmp_path):
    ClientFactory(name="Acme")
    CandidateFactory(email="ann@example.com")
    rows = [
        ["Candidate Email", "Company", "Job", "Start Date", "Fee"],
        ["ann@example.com", "Acme", "Engineer", "05/01/2026", "10000"],
    ]
    run_import(ada, "placements", rows, tmp_path=tmp_path)
    rows[1][4] = "11,500"
    job = run_import(ada, "placements", rows, tmp_path=tmp_path)
    assert (job.created_count, job.updated_count) == (0, 1)
    assert Placement.objects.get().fee == Decimal("11500.00")


def test_an_import_killed_half_way_leaves_no_rows(ada, tmp_path, monkeypatch):
    monkeypatch.setattr(services, "CHUNK", 2)
    rows = [["Name", "Email"]] + [
        [f"Person {i}", f"p{i}@example.com"] for i in range(7)
    ]
    real_write = CandidateWriter.write
    calls = []

    def dies_on_the_third_chunk(self, chunk):
        calls.append(len(chunk))
        if len(calls) == 3:
            raise RuntimeError("worker killed")
        return real_write(self, chunk)

    before = book_counts()
    with mock.patch.object(CandidateWriter, "write", dies_on_the_third_chunk):
        job = run_import(ada, "candidates", rows, tmp_path=tmp_path)
    assert calls == [2, 2, 2]
    assert book_counts() == before
    assert job.status == ImportJob.Status.FAILED
    assert job.failure == (
        "The import stopped after 4 rows (RuntimeError: worker killed). "
        "Nothing was written."
    )
    assert (job.created_count, job.updated_count, job.skipped_count) == (0, 0, 0)


def test_a_database_error_half_way_leaves_no_rows(ada, tmp_path, monkeypatch):
    monkeypatch.setattr(services, "CHUNK", 1)
    rows = [
        ["Name", "Email"],
        ["Ann Lee", "a@example.com"],
        ["Bo Ray", "b@example.com"],
    ]
    real = Candidate.objects.bulk_create
    calls = []

    def second_insert_fails(objs, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            from django.db import IntegrityError

            raise IntegrityError("duplicate key")
        return real(objs, *args, **kwargs)

    with mock.patch.object(Candidate.objects, "bulk_create", second_insert_fails):
        job = run_import(ada, "candidates", rows, tmp_path=tmp_path)
    assert job.status == ImportJob.Status.FAILED
    assert Candidate.objects.count() == 0


def test_a_file_that_breaks_half_way_leaves_no_rows(ada, tmp_path):
    huge = "x" * 200_000  # past what Python's csv module reads in one cell
    content = csv_bytes(
        [["Name", "Email", "Notes"]]
        + [[f"Ann Lee{i}", f"a{i}@example.com", ""] for i in range(250)]
        + [["Bo Ray", "b@example.com", huge]]
    )
    path = tmp_path / "broken.csv"
    path.write_bytes(content)
    job = services.import_file(by=ada, kind="candidates", path=path)
    assert job.status == ImportJob.Status.FAILED
    assert job.failure.startswith("row 252: the file cannot be read as CSV")
    assert job.failure.endswith("Nothing was written.")
    assert Candidate.objects.count() == 0


def test_upload_guesses_the_mapping_and_the_date_format(ada):
    job = services.import_job_create(
        by=ada,
        kind="placements",
        file=upload(
            "Placements Export.CSV",
            csv_bytes(
                [
                    ["Candidate Email", "Account Name", "Position", "Placed On"],
                    ["a@example.com", "Acme", "Engineer", "12/31/2025"],
                ]
            ),
        ),
    )
    assert job.status == ImportJob.Status.UPLOADED
    assert job.file_name == "Placements Export.CSV"
    assert job.date_format == "mdy"
    assert job.mapping == {
        "Candidate Email": "candidate_email",
        "Account Name": "client",
        "Position": "job_title",
        "Placed On": "start_date",
    }
    assert job.preview["rows"] == [["a@example.com", "Acme", "Engineer", "12/31/2025"]]
    assert job.file.read().startswith(b"Candidate Email")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("people.pdf", b"%PDF", "Upload a CSV file"),
        ("people.csv", b"", "The file is empty."),
        ("people.xlsx", b"PK\x03\x04nope", "not a readable Excel workbook"),
    ],
)
def test_upload_refuses_what_it_cannot_read(ada, name, content, message):
    with pytest.raises(ValidationError) as exc:
        services.import_job_create(by=ada, kind="clients", file=upload(name, content))
    assert message in " ".join(exc.value.messages)
    assert not ImportJob.objects.exists()


def test_a_mapping_is_checked_saved_under_a_name_and_starts_the_dry_run(
    ada, django_capture_on_commit_callbacks
):
    job = services.import_job_create(
        by=ada,
        kind="candidates",
        file=upload("c.csv", csv_bytes([["Who", "Cell"], ["Ann Lee", "0770"]])),
    )
    assert job.mapping == {"Cell": "phone"}
    with pytest.raises(ValidationError) as exc:
        services.import_job_set_mapping(
            job=job, by=ada, mapping={"Cell": "phone"}, date_format="dmy"
        )
    assert exc.value.messages == [
        "Choose the column for first name and last name or full name."
    ]
    with django_capture_on_commit_callbacks(execute=True):
        services.import_job_set_mapping(
            job=job,
            by=ada,
            mapping={"Who": "full_name", "Cell": "phone", "Gone": "email"},
            date_format="dmy",
            save_as="Old CRM",
        )
    job.refresh_from_db()
    assert job.mapping == {"Who": "full_name", "Cell": "phone"}
    assert job.status == ImportJob.Status.CHECKED
    assert job.created_count == 1 and not Candidate.objects.exists()
    saved = SavedMapping.objects.get()
    assert (saved.name, saved.kind, saved.mapping) == (
        "Old CRM",
        "candidates",
        {"Who": "full_name", "Cell": "phone"},
    )


def test_a_job_runs_once_however_often_it_is_called(ada, tmp_path):
    job = run_import(ada, "candidates", CANDIDATES, tmp_path=tmp_path)
    assert job.status == ImportJob.Status.DONE
    again = services.import_job_run(job_id=job.pk, dry_run=False)
    assert again.status == ImportJob.Status.DONE
    assert Candidate.objects.count() == 3
