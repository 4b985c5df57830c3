"""The import pages: who may open them, and the upload, mapping, dry run, confirm
flow through the test client."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from clients.models import Candidate
from imports import services
from imports.models import ImportJob, SavedMapping
from tests.factories import CandidateFactory

from .conftest import csv_bytes, upload

pytestmark = pytest.mark.django_db

ROWS = [
    ["Full Name", "E-mail", "Cell no.", "Town"],
    ["Ann Lee", "ann@example.com", "07700 900001", "Leeds"],
    ["Bo Ray", "bo@example.com", "07700 900002", "York"],
]


@pytest.fixture
def job(ada):
    return services.import_job_create(
        by=ada, kind="candidates", file=upload("people.csv", csv_bytes(ROWS))
    )


def all_urls(job, first, second):
    return [
        ("get", reverse("imports:import_list")),
        ("get", reverse("imports:job_detail", args=[job.pk])),
        ("get", reverse("imports:job_mapping", args=[job.pk])),
        ("get", reverse("imports:job_progress", args=[job.pk])),
        ("post", reverse("imports:job_confirm", args=[job.pk])),
        ("get", reverse("imports:job_errors", args=[job.pk])),
        ("get", reverse("imports:duplicates")),
        ("get", reverse("imports:merge", args=["candidates", first.pk, second.pk])),
    ]


def test_a_recruiter_gets_a_404_on_every_import_page(as_user, alice, job):
    first, second = CandidateFactory(owner=alice), CandidateFactory(owner=alice)
    client = as_user(alice)
    for method, url in all_urls(job, first, second):
        assert getattr(client, method)(url).status_code == 404, url
    assert client.post(reverse("imports:import_list")).status_code == 404
    assert "Import" not in client.get(
        reverse("followups:dashboard")
    ).content.decode().split("</nav>")[0].split('aria-label="Main"')[1].replace(
        "Important", ""
    )


def test_managers_and_admins_see_the_import_pages(as_user, mia, ada, job):
    for user in (mia, ada):
        client = as_user(user)
        page = client.get(reverse("imports:import_list"))
        assert page.status_code == 200
        assert reverse("imports:import_list") in page.content.decode()
    # The admin's import is not one of mia's team: she gets a 404 for it.
    client = as_user(mia)
    assert client.get(job.get_absolute_url()).status_code == 404
    assert (
        "people.csv" not in client.get(reverse("imports:import_list")).content.decode()
    )
    assert as_user(ada).get(job.get_absolute_url()).status_code == 200


def test_a_manager_sees_the_imports_of_their_team(as_user, mia, alice):
    alice_job = services.import_job_create(
        by=alice, kind="candidates", file=upload("team.csv", csv_bytes(ROWS))
    )
    client = as_user(mia)
    assert client.get(alice_job.get_absolute_url()).status_code == 200
    assert "team.csv" in client.get(reverse("imports:import_list")).content.decode()


def test_the_whole_journey_through_the_pages(
    as_user, ada, django_capture_on_commit_callbacks
):
    client = as_user(ada)
    response = client.post(
        reverse("imports:import_list"),
        {"kind": "candidates", "file": upload("people.csv", csv_bytes(ROWS))},
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("imports:job_mapping", args=[job.pk])

    page = client.get(response.url).content.decode()
    # The guesses are filled in; "Cell no." and "Town" are not guessed.
    assert 'aria-label="Field for column Full Name"' in page
    assert '<option value="full_name" selected>' in page
    assert '<option value="email" selected>' in page
    assert "07700 900001" in page  # the first values of each column

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("imports:job_mapping", args=[job.pk]),
            {
                "col_0": "full_name",
                "col_1": "email",
                "col_2": "phone",
                "col_3": "city",
                "date_format": "dmy",
                "save_as": "Old CRM",
            },
        )
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Dry run: nothing has been written yet" in page
    assert "Import 2 rows" in page
    assert not Candidate.objects.exists()
    assert SavedMapping.objects.filter(name="Old CRM").exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:job_confirm", args=[job.pk]))
    assert response.status_code == 302
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Imported" in page and "See the candidates" in page
    ann = Candidate.objects.get(email="ann@example.com")
    assert (ann.phone, ann.city) == ("07700 900001", "Leeds")


def test_the_mapping_page_says_what_is_missing(as_user, ada, job):
    response = as_user(ada).post(
        reverse("imports:job_mapping", args=[job.pk]),
        {"col_1": "email", "date_format": "dmy"},
    )
    assert response.status_code == 200
    assert (
        "Choose the column for first name and last name or full name."
        in response.content.decode()
    )


def test_a_saved_mapping_fills_in_the_columns(as_user, ada, job):
    saved = SavedMapping.objects.create(
        name="Old CRM", kind="candidates", mapping={"Town": "city", "Cell no.": "phone"}
    )
    page = (
        as_user(ada)
        .get(reverse("imports:job_mapping", args=[job.pk]) + f"?mapping={saved.pk}")
        .content.decode()
    )
    assert '<option value="city" selected>' in page
    assert '<option value="phone" selected>' in page


def test_the_dry_run_lists_every_bad_row_and_offers_no_import(
    as_user, ada, django_capture_on_commit_callbacks
):
    rows = [*ROWS, ["Cy", "cy@", "", ""]]
    job = services.import_job_create(
        by=ada, kind="candidates", file=upload("bad.csv", csv_bytes(rows))
    )
    client = as_user(ada)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("imports:job_mapping", args=[job.pk]),
            {"col_0": "full_name", "col_1": "email", "date_format": "dmy"},
        )
    page = client.get(job.get_absolute_url()).content.decode()
    assert "email &#x27;cy@&#x27; is not an email address" in page
    assert "last name is missing" in page
    assert "Import 2 rows" not in page
    assert client.post(reverse("imports:job_confirm", args=[job.pk])).status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED
    assert not Candidate.objects.exists()

    report = client.get(reverse("imports:job_errors", args=[job.pk]))
    assert report["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(report.content.decode())))
    assert lines == [
        ["row", "problem"],
        ["4", "email 'cy@' is not an email address"],
        ["4", "last name is missing"],
    ]


def test_the_progress_bar_polls_until_the_job_is_done(as_user, ada, job):
    job.status = ImportJob.Status.IMPORTING
    job.total_rows, job.processed_rows = 200, 50
    job.save()
    client = as_user(ada)
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 1s"' in page and 'aria-valuenow="25"' in page
    bar = client.get(reverse("imports:job_progress", args=[job.pk]))
    assert bar.status_code == 200 and "50 of 200 rows" in bar.content.decode()

    job.status = ImportJob.Status.DONE
    job.save()
    bar = client.get(reverse("imports:job_progress", args=[job.pk]))
    assert bar.status_code == 200 and bar["HX-Refresh"] == "true"


def test_a_large_file_goes_to_a_worker(
    as_user, ada, job, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "INLINE_MAX_BYTES", 10)
    sent = []
    from imports import tasks

    monkeypatch.setattr(tasks.run_import, "delay", lambda *a: sent.append(a))
    with django_capture_on_commit_callbacks(execute=True):
        as_user(ada).post(
            reverse("imports:job_mapping", args=[job.pk]),
            {"col_0": "full_name", "col_1": "email", "date_format": "dmy"},
        )
    assert sent == [(job.pk, True)]
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECK_QUEUED


def test_upload_errors_are_shown_on_the_form(as_user, ada):
    page = as_user(ada).post(
        reverse("imports:import_list"),
        {"kind": "clients", "file": upload("old.xls", b"\xd0\xcf\x11\xe0xxxx")},
    )
    assert page.status_code == 200
    assert "Upload a CSV file" in page.content.decode()
    assert not ImportJob.objects.exists()
