"""Benchmark importing candidates from a CSV file on PostgreSQL.

    .venv/bin/python bench/bench_import.py                 # 10,000 and 100,000 rows
    .venv/bin/python bench/bench_import.py --rows 100000   # one size only

For each size: a fresh database crm_bench_import, a generated CSV file of that many
candidates (written a row at a time), then, through the same service the pages
and `manage.py import_records` use:

- the dry run (every row checked and written, then rolled back),
- the import (committed),
- the same file again (every row found unchanged: a no-op),

each timed without tracing, in rows per second; then the dry run once more under
tracemalloc for the peak of Python memory. The peak staying flat from 10,000 to
100,000 rows is what shows the import streams rather than holds the file. The
process's maximum resident set size is reported too. Markdown goes to stdout and
JSON to bench/results/import-<date>.json. The database is dropped unless --keep.
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

from benchenv import DEFAULT_SERVER, setup_django

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results"
DATABASE = "crm_bench_import"

FIRST = ["Ann", "Bo", "Cy", "Dee", "Eli", "Fay", "Gus", "Hal", "Ida", "Jo", "Kim"]
LAST = ["Lee", "Ray", "Day", "Ng", "Oh", "Park", "Quinn", "Roe", "Sáez", "Tan"]
CITIES = ["Leeds", "York", "Hull", "Malmö", "Köln", "Lyon", "Porto"]
TITLES = ["Engineer", "Analyst", "Designer", "=Head of Sales", "Nurse"]


def write_csv(path: Path, rows: int) -> int:
    """A file of `rows` candidates, written a row at a time; returns its size."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["First Name", "Last Name", "E-mail", "Mobile", "City", "Title"])
        for i in range(rows):
            out.writerow(
                [
                    FIRST[i % len(FIRST)],
                    f"{LAST[i % len(LAST)]}{i}",
                    f"candidate{i}@bench.example",
                    f"+44 7700 {i % 1000000:06d}",
                    CITIES[i % len(CITIES)],
                    TITLES[i % len(TITLES)],
                ]
            )
    return path.stat().st_size


def admin_sql(server: str, sql: str) -> None:
    subprocess.run(
        ["psql", f"{server}/postgres", "-v", "ON_ERROR_STOP=1", "-qc", sql],
        check=True,
    )


def timed(label: str, rows: int, run) -> dict:
    start = time.perf_counter()
    job = run()
    seconds = time.perf_counter() - start
    assert job.status in ("checked", "done"), (label, job.status, job.failure)
    result = {
        "seconds": round(seconds, 2),
        "rows_per_second": round(rows / seconds),
        "created": job.created_count,
        "updated": job.updated_count,
        "unchanged": job.skipped_count,
        "errors": job.error_count,
    }
    print(f"  {label}: {seconds:.1f} s, {rows / seconds:,.0f} rows/s", file=sys.stderr)
    return result


def measure(rows: int, workdir: Path) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from accounts.models import User
    from clients.models import Candidate
    from imports.services import import_file

    call_command("flush", verbosity=0, interactive=False)
    admin = User.objects.create_superuser("bench-admin@example.com", "bench-pass")
    path = workdir / f"candidates-{rows}.csv"
    size = write_csv(path, rows)
    print(f"{rows:,} rows ({size / 2**20:.1f} MiB):", file=sys.stderr)

    def run(dry_run: bool):
        return lambda: import_file(
            by=admin, kind="candidates", path=path, dry_run=dry_run
        )

    result = {"rows": rows, "file_mib": round(size / 2**20, 1)}
    result["dry_run"] = timed("dry run", rows, run(True))
    assert Candidate.objects.count() == 0
    result["import"] = timed("import", rows, run(False))
    assert Candidate.objects.count() == rows
    result["reimport"] = timed("re-import (no-op)", rows, run(False))
    assert result["reimport"]["unchanged"] == rows

    tracemalloc.start()
    run(True)()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    result["peak_python_mib"] = round(peak / 2**20, 1)
    result["max_rss_mib"] = round(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
    )
    print(
        f"  peak Python memory {peak / 2**20:.1f} MiB, "
        f"max RSS {result['max_rss_mib']} MiB",
        file=sys.stderr,
    )
    result["database"] = connection.vendor
    return result


def markdown(report: dict) -> str:
    lines = [
        f"Import benchmark, {report['date']}, {report['machine']}",
        "",
        "| rows | file | dry run | import | re-import (no-op) | peak Python memory | max RSS |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in report["runs"]:
        lines.append(
            f"| {r['rows']:,} | {r['file_mib']} MiB "
            f"| {r['dry_run']['rows_per_second']:,} rows/s ({r['dry_run']['seconds']} s) "
            f"| {r['import']['rows_per_second']:,} rows/s ({r['import']['seconds']} s) "
            f"| {r['reimport']['rows_per_second']:,} rows/s ({r['reimport']['seconds']} s) "
            f"| {r['peak_python_mib']} MiB | {r['max_rss_mib']} MiB |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, action="append")
    parser.add_argument("--server", default=DEFAULT_SERVER)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args(argv)
    sizes = args.rows or [10_000, 100_000]

    admin_sql(args.server, f"DROP DATABASE IF EXISTS {DATABASE}")
    admin_sql(args.server, f"CREATE DATABASE {DATABASE}")
    try:
        setup_django(f"{args.server}/{DATABASE}")
        from django.conf import settings
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        with tempfile.TemporaryDirectory() as tmp:
            settings.IMPORTS_DIR = Path(tmp) / "stored"
            runs = [measure(rows, Path(tmp)) for rows in sorted(sizes)]
        from django.db import connections

        connections.close_all()
    finally:
        if not args.keep:
            admin_sql(args.server, f"DROP DATABASE IF EXISTS {DATABASE}")

    report = {
        "date": datetime.now(UTC).date().isoformat(),
        "machine": f"{platform.machine()}, Python {platform.python_version()}",
        "runs": runs,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"import-{report['date']}.json").write_text(
        json.dumps(report, indent=2) + "\n"
    )
    print(markdown(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
