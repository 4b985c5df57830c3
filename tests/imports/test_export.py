"""Every list page exports what it shows, after its filters, to CSV; cells a
spreadsheet would run as formulas are neutralised."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from followups.models import FollowUp, Kind
from placements.models import Job
from tests.factories import (
    CandidateFactory,
    ClientFactory,
    ContactFactory,
    JobFactory,
    PlacementFactory,
)

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example","x")'


def export(client, url: str, query: str = "") -> list[list[str]]:
    response = client.get(f"{url}?{query}{'&' if query else ''}export=csv")
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def test_the_client_list_exports_what_its_filters_show(as_user, alice):
    ClientFactory(name=EVIL, industry="Software", city="@Leeds", owner=alice)
    ClientFactory(name="Acme", industry="Software", owner=alice)
    ClientFactory(name="Globex", industry="Energy", owner=alice)
    client = as_user(alice)
    url = reverse("followups:client_list")

    page = client.get(url + "?q=software").content.decode()
    assert 'href="?q=software&amp;export=csv"' in page
    assert "Export CSV" in page

    rows = export(client, url, "q=software&sort=name")
    assert rows[0] == [
        "Name",
        "Industry",
        "City",
        "Country",
        "Website",
        "Phone",
        "Status",
        "Owner",
        "Created",
    ]
    assert [r[0] for r in rows[1:]] == ["'" + EVIL, "Acme"]
    assert rows[1][2] == "'@Leeds"
    assert rows[1][6:8] == ["Active", "Alice Archer"]


def test_the_export_has_every_filtered_row_not_one_page(as_user, alice):
    for i in range(30):
        CandidateFactory(first_name=f"P{i:02}", last_name="Many", owner=alice)
    CandidateFactory(last_name="Other", owner=alice)
    client = as_user(alice)
    rows = export(client, reverse("followups:candidate_list"), "q=many&page=2")
    assert len(rows) == 31
    assert rows[0][:4] == ["First name", "Last name", "Email", "Phone"]


def test_archived_records_stay_out_unless_asked_for(as_user, alice):
    ClientFactory(name="Live", owner=alice)
    gone = ClientFactory(name="Gone", owner=alice)
    gone.archived_at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    gone.save()
    client = as_user(alice)
    url = reverse("followups:client_list")
    assert [r[0] for r in export(client, url)[1:]] == ["Live"]
    assert [r[0] for r in export(client, url, "archived=true")[1:]] == ["Gone"]


def test_the_contact_list_exports_with_its_client(as_user, alice):
    acme = ClientFactory(name="Acme", owner=alice)
    ContactFactory(client=acme, first_name="+Ann", last_name="Lee", owner=alice)
    ContactFactory(first_name="Bo", last_name="Ray", owner=alice)
    rows = export(as_user(alice), reverse("clients:contact_list"), f"client={acme.pk}")
    assert len(rows) == 2
    assert rows[1][0:2] == ["'+Ann", "Lee"] and rows[1][4] == "Acme"
    assert rows[1][6] == "Hiring manager"


def test_the_candidate_list_exports_after_its_status_filter(as_user, alice):
    CandidateFactory(first_name="-1+2", last_name="Placed", status="placed")
    CandidateFactory(last_name="Free", status="available")
    rows = export(as_user(alice), reverse("followups:candidate_list"), "status=placed")
    assert [(r[0], r[1], r[7]) for r in rows[1:]] == [("'-1+2", "Placed", "Placed")]


def test_the_job_list_exports_after_its_filters(as_user, alice):
    acme = ClientFactory(name="Acme", owner=alice)
    JobFactory(client=acme, title="=cmd|' /C calc'!A0", status=Job.Status.OPEN)
    JobFactory(client=acme, title="Closed job", status=Job.Status.CLOSED)
    rows = export(as_user(alice), reverse("placements:job_list"), "status=open")
    assert rows[0][:3] == ["Title", "Client", "Status"]
    assert [r[:3] for r in rows[1:]] == [["'=cmd|' /C calc'!A0", "Acme", "Open"]]


def test_the_placement_list_exports_after_its_filters(as_user, alice):
    early = PlacementFactory(start_date=dt.date(2025, 1, 6), fee=9000)
    PlacementFactory(start_date=dt.date(2026, 3, 2))
    rows = export(
        as_user(alice),
        reverse("placements:placement_list"),
        "start_before=2025-12-31",
    )
    assert len(rows) == 2
    header = dict(zip(rows[0], rows[1], strict=True))
    assert header["Start date"] == "2025-01-06"
    assert header["Fee"] == "9000.00"
    assert header["Candidate email"] == early.candidate.email
    assert header["Status"] == "Active"


def test_the_follow_up_list_exports_the_users_open_ones_after_filters(
    as_user, alice, bob, mia
):
    person = CandidateFactory(first_name="@Ann", last_name="Lee")

    def followup(user, **kw):
        return FollowUp.objects.create(
            assigned_to=user,
            candidate=person,
            title=kw.pop("title", "Call"),
            due_date=kw.get("due_date", dt.date(2026, 5, 1)),
            original_due_date=kw.pop("due_date", dt.date(2026, 5, 1)),
            **kw,
        )

    followup(alice, title="Open one", kind=Kind.FIRST_WEEK)
    followup(
        alice,
        title="Done one",
        status=FollowUp.Status.DONE,
        completed_at=dt.datetime(2026, 5, 1, 9, tzinfo=dt.UTC),
        completed_on=dt.date(2026, 5, 1),
        completed_by=alice,
    )
    followup(alice, title="Later", due_date=dt.date(2026, 9, 1))
    followup(bob, title="Bob's")
    url = reverse("followups:followup_list")

    page = as_user(alice).get(url + "?due_to=2026-06-30").content.decode()
    assert 'href="?due_to=2026-06-30&amp;export=csv"' in page
    rows = export(as_user(alice), url, "due_to=2026-06-30")
    assert rows[0][:5] == ["Due", "Follow-up", "Kind", "With", "Client"]
    assert [(r[1], r[2], r[3], r[5]) for r in rows[1:]] == [
        ("Open one", "First week", "'@Ann Lee", "Open")
    ]
    # A manager exports a team member's list, as the page shows it.
    rows = export(as_user(mia), url, f"user={bob.pk}")
    assert [r[1] for r in rows[1:]] == ["Bob's"]
    # Not a member of theirs: 404, as for the page.
    assert as_user(bob).get(url + f"?user={alice.pk}&export=csv").status_code == 404


def test_an_export_reads_a_bounded_number_of_queries(
    as_user, alice, django_assert_max_num_queries
):
    for i in range(40):
        PlacementFactory(start_date=dt.date(2025, 1, 1) + dt.timedelta(days=i))
    client = as_user(alice)
    with django_assert_max_num_queries(12):
        rows = export(client, reverse("placements:placement_list"))
    assert len(rows) == 41


def test_an_export_of_candidates_or_placements_imports_back_unchanged(
    as_user, alice, plans, tmp_path
):
    from imports.services import import_file

    CandidateFactory(first_name="Ann", last_name="Lee", owner=alice, city="Leeds")
    CandidateFactory(first_name="Bo", last_name="Ray", email="", owner=alice)
    PlacementFactory(job__client__name="Acme", job__title="Engineer", recruiter=alice)
    client = as_user(alice)
    for kind, url in (
        ("candidates", reverse("followups:candidate_list")),
        ("placements", reverse("placements:placement_list")),
    ):
        body = b"".join(client.get(url + "?export=csv").streaming_content)
        path = tmp_path / f"{kind}.csv"
        path.write_bytes(body)
        job = import_file(by=alice, kind=kind, path=path, date_format="iso")
        assert job.status == "done", job.errors
        assert (job.created_count, job.updated_count) == (0, 0)
        assert job.skipped_count == len(body.splitlines()) - 1
