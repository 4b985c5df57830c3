"""Benchmark the recruiter's dashboard, the follow-up list and the hourly
materialize_followups() at several agency sizes on PostgreSQL.

    .venv/bin/python bench/run.py --scale 1 --scale 10

For each scale: create a fresh database crm_bench_s<N> and fill it with
bench/generate.py. Then measure in rounds: each round times every scale once, in a
process of its own (Django is configured once per process, from DATABASE_URL), so
that a busy spell on the machine hits all scales alike rather than one. Medians of
all rounds go to bench/results/<date>.json and to a Markdown table on stdout. The
databases are dropped at the end unless --keep; --reuse measures existing ones.

    .venv/bin/python bench/run.py --measure postgres://.../crm_bench_s1

times an existing database only and prints its numbers.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
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
MIN_REPS = 3  # per round, even when a page is slower than the time budget


# Measuring (runs inside a process configured for one bench database)


def typical_recruiter(today):
    """The recruiter with the median number of open follow-ups due up to a week
    ahead: what a dashboard usually has to show."""
    from datetime import timedelta

    from django.db.models import Count, Q

    from accounts.models import User

    ranked = list(
        User.objects.filter(role=User.Role.RECRUITER, is_active=True)
        .annotate(
            n=Count(
                "followups",
                filter=Q(
                    followups__status="open",
                    followups__due_date__lte=today + timedelta(days=7),
                ),
            )
        )
        .order_by("n", "pk")
    )
    return ranked[len(ranked) // 2]


def query_profile(captured: list[dict]) -> dict:
    slowest = sorted(captured, key=lambda q: float(q["time"]), reverse=True)[:3]
    return {
        "queries": len(captured),
        "sql_ms": round(sum(float(q["time"]) for q in captured) * 1000, 2),
        "slowest": [
            {"ms": round(float(q["time"]) * 1000, 2), "sql": q["sql"][:400]}
            for q in slowest
        ],
    }


def time_view(client, url: str, reps: int, budget: float) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):  # warm: templates compiled, connection open, caches full
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"run.py: GET {url} gave {response.status_code}")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    # Read now: captured_queries is a slice of a log the next request clears.
    profile = query_profile(ctx.captured_queries)
    samples: list[float] = []
    cpu: list[float] = []
    while len(samples) < reps and (len(samples) < MIN_REPS or sum(samples) < budget):
        t0, c0 = time.perf_counter(), time.process_time()
        client.get(url)
        samples.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return {
        "url": url,
        "samples_ms": [round(s * 1000, 2) for s in samples],
        # This process's CPU time (Python: view and template, not the database
        # server's): unlike wall time, it hardly changes when the machine is busy.
        "cpu_samples_ms": [round(s * 1000, 2) for s in cpu],
        "html_bytes": len(response.content),
        **profile,
    }


def time_materialize(reps: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from followups.jobs import materialize_followups

    samples = []
    cpu = []
    queries: list[dict] = []
    result = None
    for i in range(reps):
        with CaptureQueriesContext(connection) as ctx:
            t0, c0 = time.perf_counter(), time.process_time()
            result = materialize_followups()
            samples.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        if i == 0:
            queries = ctx.captured_queries
        if result.created or result.moved or result.cancelled or result.skipped:
            raise SystemExit(f"run.py: materialize_followups was not a no-op: {result}")
    return {
        "samples_s": [round(s, 3) for s in samples],
        "cpu_samples_s": [round(s, 3) for s in cpu],
        "result": str(result),
        "queries": len(queries),
        "sql_s": round(sum(float(q["time"]) for q in queries), 2),
    }


def measure(
    database_url: str, *, reps: int, budget: float, materialize_reps: int
) -> dict:
    setup_django(database_url)

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from generate import counts

    from followups.selectors import dashboard_sections

    # A reused database may predate a migration of the code under test.
    call_command("migrate", verbosity=0, interactive=False)
    user = typical_recruiter(datetime.now(UTC).date())
    today = user.local_today()
    sections = {s.key: s.count for s in dashboard_sections(user=user, today=today)}
    client = Client()
    client.force_login(user)
    load_before = os.getloadavg()[0]
    numbers = {
        "recruiter": {"email": user.email, "time_zone": user.time_zone, **sections},
        "dashboard": time_view(client, "/", reps, budget),
        "followup_list": time_view(client, "/followups/", reps, budget),
    }
    if materialize_reps:
        # Materialize takes a core for seconds to minutes: the page timings above
        # are better measured without it running in between.
        numbers["materialize_noop"] = time_materialize(materialize_reps)
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        numbers["postgres"] = cursor.fetchone()[0]
    numbers["counts"] = counts()
    numbers["load_average"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    return numbers


# Summing up rounds


def stats(samples: list[float]) -> dict:
    ordered = sorted(samples)
    deciles = statistics.quantiles(ordered, n=10) if len(ordered) > 1 else ordered * 9
    return {
        "median": round(statistics.median(ordered), 2 if ordered[0] > 10 else 3),
        "p10": round(deciles[0], 3),
        "p90": round(deciles[-1], 3),
        "min": round(ordered[0], 3),
        "n": len(ordered),
    }


def merge(rounds: list[dict]) -> dict:
    """One scale's rounds as one set of numbers: samples pooled, the rest from the
    first round (query counts do not change between rounds)."""
    merged = dict(rounds[0])
    for view in ("dashboard", "followup_list"):
        merged[view] = dict(rounds[0][view])
        for key, name in (("samples_ms", "ms"), ("cpu_samples_ms", "cpu_ms")):
            merged[view][key] = [s for r in rounds for s in r[view][key]]
            merged[view][name] = stats(merged[view][key])
    done = [r["materialize_noop"] for r in rounds if "materialize_noop" in r]
    if done:
        merged["materialize_noop"] = dict(done[0])
        for key, name in (("samples_s", "seconds"), ("cpu_samples_s", "cpu_seconds")):
            merged["materialize_noop"][key] = [s for m in done for s in m[key]]
            merged["materialize_noop"][name] = stats(merged["materialize_noop"][key])
    merged["load_average"] = [r["load_average"] for r in rounds]
    return merged


# Orchestrating (no Django here: each database gets processes of its own)


def admin_sql(server: str, sql: str) -> None:
    subprocess.run(
        ["psql", f"{server}/postgres", "-v", "ON_ERROR_STOP=1", "-qc", sql],
        check=True,
    )


def generated(server: str, name: str) -> dict | None:
    """What generate.py left in the comment of database `name`, or None when there
    is no such database or it was not (completely) generated."""
    found = subprocess.run(
        [
            "psql",
            f"{server}/postgres",
            "-Atc",
            "SELECT coalesce(shobj_description(oid, 'pg_database'), '')"
            f" FROM pg_database WHERE datname = '{name}'",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    try:
        return json.loads(found.stdout)
    except ValueError:
        return None


def prepare(scale: int, args, tmp: Path) -> dict:
    name = f"crm_bench_s{scale}"
    entry: dict = {"scale": scale, "database": name, "url": f"{args.server}/{name}"}
    if args.reuse and (summary := generated(args.server, name)):
        print(f"Scale {scale}: reusing {name}", flush=True)
        return {**entry, "generate": summary}
    admin_sql(args.server, f"DROP DATABASE IF EXISTS {name}")
    admin_sql(args.server, f"CREATE DATABASE {name}")
    summary = tmp / f"generate-{scale}.json"
    subprocess.run(
        [
            PYTHON,
            str(BENCH / "generate.py"),
            f"--scale={scale}",
            f"--database-url={entry['url']}",
            f"--json={summary}",
        ],
        check=True,
    )
    entry["generate"] = json.loads(summary.read_text())
    return entry


def measure_round(entry: dict, args, tmp: Path, number: int) -> dict:
    out = tmp / f"measure-{entry['scale']}-{number}.json"
    subprocess.run(
        [
            PYTHON,
            str(BENCH / "run.py"),
            f"--measure={entry['url']}",
            f"--reps={math.ceil(args.reps / args.rounds)}",
            f"--budget={args.budget / args.rounds}",
            f"--materialize-reps={1 if number < args.materialize_reps else 0}",
            f"--json={out}",
        ],
        check=True,
    )
    numbers = json.loads(out.read_text())
    line = (
        f"  round {number + 1}, scale {entry['scale']}:"
        f" dashboard {statistics.median(numbers['dashboard']['samples_ms']):.0f} ms,"
        f" list {statistics.median(numbers['followup_list']['samples_ms']):.0f} ms"
    )
    if "materialize_noop" in numbers:
        line += f", materialize {numbers['materialize_noop']['samples_s'][0]:.1f} s"
    print(line + f", load {numbers['load_average']}", flush=True)
    return numbers


def machine() -> dict:
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(meminfo.read_text().split("\n")[0].split()[1])
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    # BENCH_COMMIT names the code when it runs from an exported tree (no .git).
    commit = (
        os.environ.get("BENCH_COMMIT")
        or subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    return {
        "cpus": os.cpu_count(),
        "memory": memory,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "commit": commit,
    }


def ratio(a: float | None, b: float | None) -> str:
    return f"{b / a:.2f}" if a and b else "n/a"


ROWS = (
    ("Dashboard `GET /`, median ms", ("dashboard", "ms", "median")),
    (
        "Dashboard, median CPU ms of the Django process",
        ("dashboard", "cpu_ms", "median"),
    ),
    ("Dashboard, SQL queries", ("dashboard", "queries")),
    ("Dashboard, SQL time of one request, ms", ("dashboard", "sql_ms")),
    ("Follow-up list `GET /followups/`, median ms", ("followup_list", "ms", "median")),
    (
        "Follow-up list, median CPU ms of the Django process",
        ("followup_list", "cpu_ms", "median"),
    ),
    ("Follow-up list, SQL queries", ("followup_list", "queries")),
    ("Follow-up list, SQL time of one request, ms", ("followup_list", "sql_ms")),
    ("Follow-up list, page size, bytes", ("followup_list", "html_bytes")),
    (
        "`materialize_followups()` no-op, median s",
        ("materialize_noop", "seconds", "median"),
    ),
    (
        "`materialize_followups()` no-op, median CPU s of the Django process",
        ("materialize_noop", "cpu_seconds", "median"),
    ),
    (
        "`materialize_followups()` no-op, SQL time of one run, s",
        ("materialize_noop", "sql_s"),
    ),
    ("`materialize_followups()` no-op, SQL queries", ("materialize_noop", "queries")),
    (
        "`materialize_followups()` from scratch, s (once, in generate)",
        ("generate", "timings", "materialize_followups"),
    ),
    ("Generation in total, s", ("generate", "seconds")),
    ("Placements", ("counts", "placements")),
    ("Follow-ups", ("counts", "followups")),
)


def markdown(report: dict) -> str:
    runs = report["runs"]
    first, last = runs[0], runs[-1]

    def cell(run, path):
        value = run
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        return value

    label = f"ratio {last['scale']}x/{first['scale']}x" if len(runs) > 1 else ""
    heads = ["measure", *(f"scale {run['scale']}" for run in runs)]
    heads += [label] if label else []
    lines = ["| " + " | ".join(heads) + " |", "|" + " --- |" * len(heads)]
    for title, path in ROWS:
        values = [cell(run, path) for run in runs]
        shown = [f"{v:,}" if isinstance(v, int | float) else "n/a" for v in values]
        shown += [ratio(values[0], values[-1])] if label else []
        lines.append(f"| {title} | " + " | ".join(shown) + " |")
    return "\n".join(lines)


def orchestrate(args) -> int:
    scales = sorted(set(args.scale or [1, 10]))
    args.materialize_reps = min(args.materialize_reps, args.rounds)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        entries = [prepare(scale, args, tmp) for scale in scales]
        rounds: dict[int, list[dict]] = {scale: [] for scale in scales}
        print(f"Measuring: {args.rounds} rounds over scales {scales}", flush=True)
        for number in range(args.rounds):
            for entry in entries:
                rounds[entry["scale"]].append(measure_round(entry, args, tmp, number))
    runs = []
    for entry in entries:
        url = entry.pop("url")
        runs.append({**entry, **merge(rounds[entry["scale"]])})
        if not args.keep:
            admin_sql(args.server, f"DROP DATABASE IF EXISTS {entry['database']}")
        else:
            print(f"Kept {url}")
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {**machine(), "postgres": runs[0].get("postgres")},
        "reps": args.reps,
        "rounds": args.rounds,
        "budget_seconds": args.budget,
        "materialize_reps": args.materialize_reps,
        "runs": runs,
        "seconds": round(time.perf_counter() - started, 1),
    }
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{datetime.now(UTC):%Y-%m-%d}.json"
    path.write_text(json.dumps(report, indent=2) + "\n")
    print()
    print(markdown(report))
    print()
    print(f"Written to {path} ({report['seconds']:.0f} s in all)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, action="append", help="repeatable")
    parser.add_argument("--reps", type=int, default=30, help="requests per view")
    parser.add_argument(
        "--budget", type=float, default=90, help="seconds at most per view and scale"
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--materialize-reps",
        type=int,
        default=3,
        help="no-op runs per scale (one per round)",
    )
    parser.add_argument(
        "--server", default=DEFAULT_SERVER, help="PostgreSQL server URL"
    )
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the bench databases a previous --keep left, as they are",
    )
    parser.add_argument(
        "--measure", metavar="DATABASE_URL", help="time this database only"
    )
    parser.add_argument("--json", type=Path, help="where --measure writes its numbers")
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.reps < 1:
        parser.error("--rounds and --reps must be 1 or more")

    if args.measure:
        numbers = measure(
            args.measure,
            reps=args.reps,
            budget=args.budget,
            materialize_reps=args.materialize_reps,
        )
        if args.json:
            args.json.write_text(json.dumps(numbers, indent=2) + "\n")
        else:
            print(json.dumps(merge([numbers]), indent=2))
        return 0
    return orchestrate(args)


if __name__ == "__main__":
    sys.exit(main())
