"""Bad files (issue 11): a binary file or UTF-16 text named .csv, a zip bomb named
.xlsx, a file over a size limit. Each is refused with one line that says why (and
names the setting of a limit), on the pages and in the shell; nothing is written."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from clients.models import Candidate
from imports import services
from imports.checks import text_problem
from imports.files import ImportFileError, open_table, read_preview
from imports.models import ImportJob

from .conftest import csv_bytes, upload, write_file, xlsx_bytes

pytestmark = pytest.mark.django_db

ROWS = [["Name", "Email"], ["Ann Lee", "ann@example.com"], ["Bo Ray", "bo@ex.com"]]
NOT_TEXT = "This is not a text or .xlsx file."
UTF16 = "This file looks like UTF-16: save it as UTF-8."


def binary() -> bytes:
    # A PNG's signature, then bytes of every value, as an image or a zip holds.
    return b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64


def utf16(order: str) -> bytes:
    return csv_bytes(ROWS).decode().encode(f"utf-16-{order}")  # no byte order mark


SHARED_STRINGS_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml" />'
)


def bomb(unpacked_mb: int) -> bytes:
    """A real workbook given a shared-strings part (which openpyxl reads whole
    when it opens the workbook) of `unpacked_mb` MB of one string repeated,
    deflated to a small fraction of that."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["Name"], ["Ann Lee"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                content = content.replace(
                    b"</Types>", SHARED_STRINGS_TYPE + b"</Types>"
                )
            target.writestr(info, content)
        chunk = b"<si><t>" + b"a" * 1000 + b"</t></si>"
        one_mb = chunk * (2**20 // len(chunk))
        with target.open("xl/sharedStrings.xml", "w") as part:
            part.write(b'<sst xmlns="http://schemas.openxmlformats.org/')
            part.write(b'spreadsheetml/2006/main">')
            for _ in range(unpacked_mb):
                part.write(one_mb)
            part.write(b"</sst>")
    return out.getvalue()


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_records", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# Binary files and UTF-16 without a byte order mark


@pytest.mark.parametrize(
    "content, message",
    [
        (binary(), NOT_TEXT),
        (bytes(4096), NOT_TEXT),  # all NULs
        (utf16("le"), UTF16),
        (utf16("be"), UTF16),
        (csv_bytes(ROWS), ""),
        ("Name\r\nZoë Ünal\r\n".encode("cp1252"), ""),
        (csv_bytes(ROWS).decode().encode("utf-16"), ""),  # says so by its BOM
    ],
)
def test_text_problem_tells_text_from_binary_and_utf16(content, message):
    assert text_problem(content) == message


def test_utf16_with_a_byte_order_mark_is_still_read(tmp_path):
    path = write_file(tmp_path, "p.csv", csv_bytes(ROWS).decode().encode("utf-16"))
    assert read_preview(path)["headers"] == ["Name", "Email"]


@pytest.mark.parametrize(
    "content, message", [(binary(), NOT_TEXT), (utf16("le"), UTF16)]
)
def test_the_shell_refuses_with_one_line_and_writes_nothing(
    ada, tmp_path, imports_dir, content, message
):
    path = write_file(tmp_path, "people.csv", content)
    with pytest.raises(CommandError) as caught:
        run("candidates", str(path))
    assert str(caught.value) == message
    assert not ImportJob.objects.exists()
    assert not any(imports_dir.rglob("*.*"))


@pytest.mark.parametrize(
    "content, message", [(binary(), NOT_TEXT), (utf16("be"), UTF16)]
)
def test_the_upload_page_shows_the_line_not_a_500(
    as_user, ada, imports_dir, content, message
):
    response = as_user(ada).post(
        reverse("imports:import_list"),
        {"kind": "candidates", "file": upload("people.csv", content)},
    )
    assert response.status_code == 200
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert not ImportJob.objects.exists()
    assert not any(imports_dir.rglob("*.*"))


def test_a_nul_in_a_header_never_reaches_the_database(ada):
    # A stray NUL (under the binary threshold) is dropped, not stored.
    content = b"Na\x00me,Email\r\n" + b"Ann Lee,ann@example.com\r\n" * 20
    job = services.import_job_create(
        by=ada, kind="candidates", file=upload("p.csv", content)
    )
    job.refresh_from_db()
    assert job.preview["headers"] == ["Name", "Email"]


# Zip bombs and the limits of a sheet


def test_a_zip_bomb_is_refused_fast_and_small(tmp_path):
    path = write_file(tmp_path, "bomb.xlsx", bomb(260))
    assert path.stat().st_size < 2 * 2**20  # 260 MB unpacked
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(ImportFileError) as caught:
            read_preview(path)
        elapsed = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(caught.value) == (
        "The workbook unpacks to 260 MB, over the limit of 200 MB "
        "(IMPORT_MAX_UNCOMPRESSED_MB)."
    )
    assert elapsed < 5
    assert peak < 20 * 2**20


def test_a_part_compressed_too_far_is_refused_even_when_small(tmp_path):
    path = write_file(tmp_path, "bomb.xlsx", bomb(5))
    with pytest.raises(ImportFileError, match=r"IMPORT_MAX_COMPRESSION_RATIO") as c:
        read_preview(path)
    assert "part xl/sharedStrings.xml is compressed" in str(c.value)


def test_the_upload_page_refuses_a_bomb_before_reading_it(
    as_user, ada, imports_dir, settings
):
    settings.IMPORT_MAX_UNCOMPRESSED_MB = 3
    response = as_user(ada).post(
        reverse("imports:import_list"),
        {"kind": "candidates", "file": upload("bomb.xlsx", bomb(4))},
    )
    assert response.status_code == 200
    assert "over the limit of 3 MB (IMPORT_MAX_UNCOMPRESSED_MB)" in (
        response.content.decode()
    )
    assert not ImportJob.objects.exists()
    assert not any(imports_dir.rglob("*.*"))


def test_an_ordinary_workbook_passes_the_zip_checks(tmp_path):
    rows = [["Name", "Email"]] + [
        [f"Person {n}", f"p{n}@example.com"] for n in range(3000)
    ]
    path = write_file(tmp_path, "p.xlsx", xlsx_bytes(rows))
    assert read_preview(path)["headers"] == ["Name", "Email"]


def test_a_sheet_whose_dimension_has_too_many_rows_is_refused_at_upload(ada, settings):
    settings.IMPORT_MAX_ROWS = 2
    rows = ROWS + [["Cy Day", "cy@example.com"]]
    with pytest.raises(ValidationError) as caught:
        services.import_job_create(
            by=ada, kind="candidates", file=upload("p.xlsx", xlsx_bytes(rows))
        )
    assert caught.value.messages == [
        "The file has more than 2 rows (IMPORT_MAX_ROWS): split it into smaller files."
    ]
    settings.IMPORT_MAX_ROWS = 3
    services.import_job_create(
        by=ada, kind="candidates", file=upload("p.xlsx", xlsx_bytes(rows))
    )


def test_rows_past_the_limit_fail_the_import_as_they_are_read(ada, tmp_path, settings):
    # The upload's preview reads 200 rows; the rest are counted by the run.
    settings.IMPORT_MAX_ROWS = 250
    rows = [["Name"]] + [[f"Person {n}"] for n in range(251)]
    path = write_file(tmp_path, "p.csv", csv_bytes(rows))
    job = services.import_file(by=ada, kind="candidates", path=path)
    assert job.status == ImportJob.Status.FAILED
    assert job.failure == (
        "The file has more than 250 rows (IMPORT_MAX_ROWS): split it into smaller "
        "files. Nothing was written."
    )
    assert not Candidate.objects.exists()


@pytest.mark.parametrize("name", ["p.csv", "p.xlsx"])
def test_too_many_columns_are_refused(ada, settings, name):
    settings.IMPORT_MAX_COLUMNS = 3
    rows = [["Name", "Email", "Phone", "Town"], ["Ann Lee", "a@ex.com", "1", "York"]]
    content = xlsx_bytes(rows) if name.endswith("xlsx") else csv_bytes(rows)
    with pytest.raises(ValidationError) as caught:
        services.import_job_create(
            by=ada, kind="candidates", file=upload(name, content)
        )
    assert caught.value.messages == [
        "The file has 4 columns, over the limit of 3 (IMPORT_MAX_COLUMNS)."
    ]


def test_a_data_row_wider_than_the_limit_is_refused(tmp_path, settings):
    settings.IMPORT_MAX_COLUMNS = 3
    rows = [["Name", "Email"], ["Ann Lee", "a@ex.com", "x", "y", ""]]
    path = write_file(tmp_path, "p.csv", csv_bytes(rows))
    with open_table(path) as table, pytest.raises(ImportFileError, match="4 columns"):
        list(table.rows())


@pytest.mark.parametrize("name", ["p.csv", "p.xlsx"])
def test_a_cell_longer_than_the_limit_is_refused_naming_its_row(
    ada, tmp_path, settings, name
):
    settings.IMPORT_MAX_CELL_KB = 1
    rows = [["Name", "Notes"]] + [[f"Person {n}", "x"] for n in range(300)]
    rows[299][1] = "c" * 1025  # row 300, past what the upload's preview reads
    content = xlsx_bytes(rows) if name.endswith("xlsx") else csv_bytes(rows)
    job = services.import_file(
        by=ada, kind="candidates", path=write_file(tmp_path, name, content)
    )
    assert job.status == ImportJob.Status.FAILED
    assert job.failure == (
        "row 300: a cell holds 1,025 characters, over the limit of 1 KB "
        "(IMPORT_MAX_CELL_KB). Nothing was written."
    )
    assert not Candidate.objects.exists()
    rows[1][1] = "c" * 1025  # in the preview: refused at upload
    with pytest.raises(ValidationError, match="row 2: a cell holds 1,025"):
        services.import_job_create(
            by=ada,
            kind="candidates",
            file=upload(name, xlsx_bytes(rows) if "xlsx" in name else csv_bytes(rows)),
        )
    rows[1][1] = rows[299][1] = "c" * 1024
    path = write_file(
        tmp_path, name, xlsx_bytes(rows) if "xlsx" in name else csv_bytes(rows)
    )
    with open_table(path) as table:
        assert len(list(table.rows())) == 300


# One size limit for the pages and the shell


def test_the_shell_has_the_upload_size_limit(ada, tmp_path, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    big = csv_bytes([["Name", "Notes"]] + [[f"P {n}", "n" * 700] for n in range(2000)])
    assert 1.3 * 2**20 < len(big) < 1.4 * 2**20
    path = write_file(tmp_path, "big.csv", big)
    with pytest.raises(CommandError) as caught:
        run("candidates", str(path))
    assert str(caught.value) == (
        "The file is 1.4 MB, larger than the limit of 1 MB (IMPORT_MAX_UPLOAD_MB)."
    )
    assert not ImportJob.objects.exists()
    settings.IMPORT_MAX_UPLOAD_MB = 2
    out, _ = run("candidates", str(path), "--dry-run")
    assert "would be 2,000 created" in out


def test_the_upload_page_has_the_same_limit(as_user, ada, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    big = csv_bytes([["Name"]] + [[f"Person {n:07}"] for n in range(100_000)])
    response = as_user(ada).post(
        reverse("imports:import_list"),
        {"kind": "candidates", "file": upload("big.csv", big)},
    )
    assert response.status_code == 200
    assert "(IMPORT_MAX_UPLOAD_MB)" in response.content.decode()
    assert not ImportJob.objects.exists()
