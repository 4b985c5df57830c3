"""Benchmark the manager dashboard (`GET /team/`) at several agency sizes.

    .venv/bin/python bench/bench_dashboard.py --scale 1 --scale 10

For each scale: a fresh PostgreSQL database crm_bench_dash_s<N> filled by
bench/generate.py (scale N: 5N teams of 10 recruiters, 20,000N placements, ~200,000N
follow-ups), then, in a process of its own, the dashboard of team 1's manager for
the 30-, 90- and 365-day periods, one CSV export, and the admin's whole-agency view.
A team is the same size at every scale, so its dashboard should cost about the
same at scale 10 as at scale 1; the agency's view grows with the agency. Medians,
query counts and the scale-N/scale-1 ratios go to stdout (Markdown) and to
bench/results/dashboard-<date>.json. Databases are dropped at the end unless --keep.

    .venv/bin/python bench/bench_dashboard.py --measure postgres://.../crm_bench_s1

times an existing bench database only (one generate.py or run.py --keep made).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchenv import DEFAULT_SERVER, ROOT, setup_django

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results"
PYTHON = sys.executable
MIN_REPS = 5


# Measuring (inside a process configured for one bench database)


def time_get(client, url: str, reps: int, budget: float) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):  # warm: templates compiled, connection open
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"bench_dashboard: GET {url} gave {response.status_code}")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    queries = len(ctx.captured_queries)
    sql_ms = sum(float(q["time"]) for q in ctx.captured_queries) * 1000
    slowest = sorted(ctx.captured_queries, key=lambda q: float(q["time"]))[-1]
    samples: list[float] = []
    while len(samples) < reps and (len(samples) < MIN_REPS or sum(samples) < budget):
        t0 = time.perf_counter()
        client.get(url)
        samples.append(time.perf_counter() - t0)
    return {
        "url": url,
        "median_ms": round(statistics.median(samples) * 1000, 1),
        "min_ms": round(min(samples) * 1000, 1),
        "reps": len(samples),
        "queries": queries,
        "sql_ms": round(sql_ms, 1),
        "slowest_query_ms": round(float(slowest["time"]) * 1000, 1),
        "slowest_query": slowest["sql"][:300],
        "bytes": len(response.content),
    }


def measure(database_url: str, *, reps: int, budget: float) -> dict:
    setup_django(database_url)

    from django.core.management import call_command
    from django.test import Client
    from generate import counts

    from accounts.models import Team, User

    call_command("migrate", verbosity=0, interactive=False)
    team = Team.objects.order_by("pk").first()
    manager = team.managers.order_by("pk").first()
    admin = User.objects.filter(is_superuser=True).first() or User.objects.create(
        email="bench-admin@bench.example", role=User.Role.ADMIN, is_superuser=True
    )
    views = {}
    client = Client()
    client.force_login(manager)
    print(f"  manager {manager.email} of {team} ({team.members.count()} recruiters)")
    for period in (30, 90, 365):
        key = f"team_{period}"
        views[key] = time_get(
            client, f"/team/?team={team.pk}&period={period}", reps, budget
        )
        print(
            f"  team, {period:>3} days  {views[key]['median_ms']:9.1f} ms", flush=True
        )
    views["export_discipline"] = time_get(
        client, f"/team/export/discipline.csv?team={team.pk}", reps, budget
    )
    print(f"  export        {views['export_discipline']['median_ms']:9.1f} ms")
    client.force_login(admin)
    views["agency_90"] = time_get(client, "/team/?team=all&period=90", reps, budget)
    print(f"  agency, 90 days {views['agency_90']['median_ms']:7.1f} ms", flush=True)
    return {"views": views, "counts": counts(), "team_size": team.members.count()}


# Orchestrating


def admin_sql(server: str, sql: str) -> None:
    subprocess.run(
        ["psql", f"{server}/postgres", "-v", "ON_ERROR_STOP=1", "-qc", sql],
        check=True,
    )


def database_exists(server: str, name: str) -> bool:
    found = subprocess.run(
        [
            "psql",
            f"{server}/postgres",
            "-Atc",
            f"SELECT 1 FROM pg_database WHERE datname = '{name}'",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return found.stdout.strip() == "1"


def run_scale(scale: int, args) -> dict:
    name = f"crm_bench_dash_s{scale}"
    url = f"{args.server}/{name}"
    entry: dict = {"scale": scale, "database": name}
    with tempfile.TemporaryDirectory() as tmp:
        if args.reuse and database_exists(args.server, name):
            print(f"Scale {scale}: reusing {name}", flush=True)
        else:
            admin_sql(args.server, f"DROP DATABASE IF EXISTS {name}")
            admin_sql(args.server, f"CREATE DATABASE {name}")
            summary = Path(tmp, "generate.json")
            subprocess.run(
                [
                    PYTHON,
                    str(BENCH / "generate.py"),
                    f"--scale={scale}",
                    f"--database-url={url}",
                    f"--json={summary}",
                ],
                check=True,
            )
            entry["generate_seconds"] = json.loads(summary.read_text())["seconds"]
        print(f"Scale {scale}: measuring", flush=True)
        measured = Path(tmp, "measure.json")
        subprocess.run(
            [
                PYTHON,
                str(Path(__file__).resolve()),
                f"--measure={url}",
                f"--reps={args.reps}",
                f"--budget={args.budget}",
                f"--json={measured}",
            ],
            check=True,
        )
        entry.update(json.loads(measured.read_text()))
    if not args.keep:
        admin_sql(args.server, f"DROP DATABASE IF EXISTS {name}")
    return entry


def markdown(runs: list[dict]) -> str:
    first, last = runs[0], runs[-1]
    label = f"ratio {last['scale']}x/{first['scale']}x" if len(runs) > 1 else ""
    header = ["measure", *[f"scale {run['scale']}" for run in runs]]
    if label:
        header.append(label)
    lines = ["| " + " | ".join(header) + " |", "| --- " * len(header) + "|"]
    rows = [
        ("Team dashboard, 30 days, median ms", "team_30", "median_ms"),
        ("Team dashboard, 90 days, median ms", "team_90", "median_ms"),
        ("Team dashboard, 365 days, median ms", "team_365", "median_ms"),
        ("Team dashboard, SQL queries", "team_90", "queries"),
        ("Team dashboard (90 days), SQL ms", "team_90", "sql_ms"),
        ("Team CSV export (discipline), median ms", "export_discipline", "median_ms"),
        ("Whole agency (admin), 90 days, median ms", "agency_90", "median_ms"),
        ("Whole agency, SQL queries", "agency_90", "queries"),
    ]
    for title, view, key in rows:
        values = [run["views"][view][key] for run in runs]
        cells = [f"{v:,}" for v in values]
        if label:
            cells.append(f"{values[-1] / values[0]:.2f}" if values[0] else "n/a")
        lines.append(f"| {title} | " + " | ".join(cells) + " |")
    for title, key in (("Placements", "placements"), ("Follow-ups", "followups")):
        values = [run["counts"][key] for run in runs]
        cells = [f"{v:,}" for v in values]
        if label:
            cells.append(f"{values[-1] / values[0]:.2f}")
        lines.append(f"| {title} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, action="append", help="repeatable")
    parser.add_argument("--reps", type=int, default=20, help="requests per view")
    parser.add_argument(
        "--budget", type=float, default=60, help="seconds at most per view (5 reps min)"
    )
    parser.add_argument("--server", default=DEFAULT_SERVER, help="PostgreSQL server")
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument(
        "--reuse", action="store_true", help="measure existing databases as they are"
    )
    parser.add_argument("--measure", metavar="DATABASE_URL", help="time this one only")
    parser.add_argument("--json", type=Path, help="where --measure writes its numbers")
    args = parser.parse_args(argv)

    if args.measure:
        numbers = measure(args.measure, reps=args.reps, budget=args.budget)
        text = json.dumps(numbers, indent=2) + "\n"
        if args.json:
            args.json.write_text(text)
        else:
            print(text)
        return 0

    started = time.perf_counter()
    runs = [run_scale(scale, args) for scale in sorted(set(args.scale or [1, 10]))]
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip(),
        "runs": runs,
        "seconds": round(time.perf_counter() - started, 1),
    }
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"dashboard-{datetime.now(UTC):%Y-%m-%d}.json"
    path.write_text(json.dumps(report, indent=2) + "\n")
    print()
    print(markdown(runs))
    print()
    print(f"Written to {path.relative_to(ROOT)} ({report['seconds']:.0f} s in all)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
