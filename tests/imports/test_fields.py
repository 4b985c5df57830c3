"""Guessing which column goes to which field, and checking a mapping."""

from __future__ import annotations

from imports.fields import check_mapping, guess_mapping


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
