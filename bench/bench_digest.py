"""Benchmark the daily digest run (and the managers' weekly summaries) for every
user of an agency, delivered through SMTP to a local sink.

    .venv/bin/python bench/bench_digest.py --scale 1 --scale 10

Scale 1 is 50 recruiters (and 5 managers) with the ~200,000 follow-ups of
bench/generate.py; scale 10 is 500 recruiters. For each scale: a fresh PostgreSQL
database crm_bench_digest_s<N>, copied from crm_bench_s<N> when that exists and is
idle (bench/run.py --keep leaves it), else filled by bench/generate.py. Then, in a
process of its own, every user's digest is made due at once and the run is timed the
way `manage.py send_digests` does it: the beat's scheduling, then each delivery
claimed, built and sent through Django's SMTP backend to an SMTP sink (aiosmtpd, in a
process of its own, counting what it receives). Emails per second, the median time
per email and the sink's count go to stdout (Markdown) and to
bench/results/digest-<date>.json. Databases are dropped at the end unless --keep.

    .venv/bin/python bench/bench_digest.py --measure postgres://.../crm_bench_s1

times an existing database (it changes the users' digest settings and deletes its
email deliveries: use a copy).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchenv import DEFAULT_SERVER, ROOT

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results"
PYTHON = sys.executable


# The SMTP sink (a process of its own, so it does not share the GIL being measured)


def run_sink(port: int, count_file: Path) -> None:
    from aiosmtpd.controller import Controller

    class Counting:
        received = 0
        size = 0

        async def handle_DATA(self, server, session, envelope):
            Counting.received += 1
            Counting.size += len(envelope.content)
            return "250 OK"

    def stop(*_):
        controller.stop()
        count_file.write_text(
            json.dumps({"received": Counting.received, "bytes": Counting.size})
        )
        raise SystemExit(0)

    controller = Controller(Counting(), hostname="127.0.0.1", port=port)
    controller.start()
    signal.signal(signal.SIGTERM, stop)
    print("sink ready", flush=True)
    while True:
        time.sleep(3600)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Measuring (inside a process configured for one bench database)


def send_all(kind: str, now: datetime) -> dict:
    from followups.delivery import deliveries_schedule, delivery_send
    from followups.models import EmailDelivery

    started = time.perf_counter()
    ids = deliveries_schedule(kind=kind, now=now)
    scheduled = time.perf_counter()
    per_email: list[float] = []
    statuses: dict[str, int] = {}
    for pk in ids:
        t0 = time.perf_counter()
        status = delivery_send(delivery_id=pk, now=now)
        if status == EmailDelivery.Status.SENT:
            per_email.append(time.perf_counter() - t0)
        statuses[status] = statuses.get(status, 0) + 1
    finished = time.perf_counter()
    sent = statuses.get(EmailDelivery.Status.SENT, 0)
    seconds = finished - started
    return {
        "deliveries": len(ids),
        "statuses": statuses,
        "emails": sent,
        "schedule_seconds": round(scheduled - started, 3),
        "seconds": round(seconds, 2),
        "emails_per_second": round(sent / seconds, 2) if seconds else None,
        "median_ms_per_email": round(statistics.median(per_email) * 1000, 1)
        if per_email
        else None,
        "p90_ms_per_email": round(statistics.quantiles(per_email, n=10)[-1] * 1000, 1)
        if len(per_email) > 1
        else None,
    }


def measure(database_url: str, port: int, summaries: bool) -> dict:
    # Django reads the mail server from the environment, as in production.
    os.environ["EMAIL_URL"] = f"smtp://127.0.0.1:{port}"
    os.environ["SITE_URL"] = "https://crm.bench.example"
    from benchenv import setup_django

    setup_django(database_url)
    from django.core.management import call_command
    from django.db.models import Count, Q

    from accounts.models import User
    from followups.models import EmailDelivery

    call_command("migrate", verbosity=0, interactive=False)
    EmailDelivery.objects.all().delete()
    # Everyone's digest due now, with what they really have to read.
    User.objects.update(
        is_active=True,
        time_zone="UTC",
        digest_enabled=True,
        digest_hour=0,
        digest_days="1234567",
        digest_when_empty=False,
        team_summary_enabled=True,
    )
    users = User.objects.count()
    recruiters = User.objects.filter(role=User.Role.RECRUITER).count()
    open_followups = (
        User.objects.filter(role=User.Role.RECRUITER)
        .annotate(n=Count("followups", filter=Q(followups__status="open")))
        .values_list("n", flat=True)
    )
    print(f"  {users} users, {recruiters} recruiters", flush=True)
    now = datetime.now(UTC)
    result = {
        "users": users,
        "recruiters": recruiters,
        "median_open_followups_per_recruiter": statistics.median(open_followups)
        if open_followups
        else 0,
        "daily": send_all(EmailDelivery.Kind.DAILY_DIGEST, now),
    }
    daily = result["daily"]
    print(
        f"  daily digests: {daily['emails']} emails in {daily['seconds']} s = "
        f"{daily['emails_per_second']} emails/s",
        flush=True,
    )
    if summaries:
        # Summaries go out on Mondays: this week's, at noon UTC.
        monday = (now - timedelta(days=now.weekday())).replace(hour=12, minute=0)
        result["team_summary"] = send_all(EmailDelivery.Kind.TEAM_SUMMARY, monday)
        summary = result["team_summary"]
        print(
            f"  team summaries: {summary['emails']} emails in {summary['seconds']} s "
            f"= {summary['emails_per_second']} emails/s",
            flush=True,
        )
    return result


# Orchestrating


def admin_sql(server: str, sql: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["psql", f"{server}/postgres", "-v", "ON_ERROR_STOP=1", "-qc", sql],
        capture_output=True,
        text=True,
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


def prepare_database(scale: int, args) -> tuple[str, str]:
    """A database of this scale to spend: a copy of bench/run.py's, else fresh."""
    name = f"crm_bench_digest_s{scale}"
    admin_sql(args.server, f"DROP DATABASE IF EXISTS {name}")
    source = f"crm_bench_s{scale}"
    if database_exists(args.server, source):
        copied = admin_sql(args.server, f"CREATE DATABASE {name} TEMPLATE {source}")
        if copied.returncode == 0:
            return name, f"copied from {source}"
        print(f"  cannot copy {source} (in use?); generating", flush=True)
    created = admin_sql(args.server, f"CREATE DATABASE {name}")
    if created.returncode:
        raise SystemExit(created.stderr)
    t0 = time.perf_counter()
    subprocess.run(
        [
            PYTHON,
            str(BENCH / "generate.py"),
            "--scale",
            str(scale),
            "--database-url",
            f"{args.server}/{name}",
        ],
        check=True,
    )
    return name, f"generated in {time.perf_counter() - t0:.0f} s"


def run_scale(scale: int, args) -> dict:
    print(f"scale {scale}", flush=True)
    name, origin = prepare_database(scale, args)
    print(f"  database {name}: {origin}", flush=True)
    port = free_port()
    entry: dict = {"scale": scale, "database": name, "origin": origin}
    with tempfile.TemporaryDirectory() as tmp:
        counts = Path(tmp) / "sink.json"
        sink = subprocess.Popen(
            [PYTHON, __file__, "--sink", str(port), "--json", str(counts)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert sink.stdout.readline().strip() == "sink ready"
            out = Path(tmp) / "measure.json"
            command = [
                PYTHON,
                __file__,
                "--measure",
                f"{args.server}/{name}",
                "--port",
                str(port),
                "--json",
                str(out),
            ]
            if not args.summaries:
                command.append("--no-summaries")
            subprocess.run(command, cwd=ROOT, check=True)
            entry.update(json.loads(out.read_text()))
        finally:
            sink.send_signal(signal.SIGTERM)
            sink.wait(timeout=30)
        entry["sink"] = json.loads(counts.read_text())
    expected = entry["daily"]["emails"] + entry.get("team_summary", {}).get("emails", 0)
    entry["sink_matches"] = entry["sink"]["received"] == expected
    if not args.keep:
        admin_sql(args.server, f"DROP DATABASE IF EXISTS {name}")
    return entry


def markdown(runs: list[dict]) -> str:
    lines = [
        "| scale | recruiters | run | emails | seconds | emails/s | ms/email (median, p90) |",
        "| ---: | ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    for run in runs:
        for key, label in (
            ("daily", "daily digests"),
            ("team_summary", "team summaries"),
        ):
            if key not in run:
                continue
            r = run[key]
            lines.append(
                f"| {run['scale']} | {run['recruiters']} | {label} | {r['emails']} | "
                f"{r['seconds']} | {r['emails_per_second']} | "
                f"{r['median_ms_per_email']}, {r['p90_ms_per_email']} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, action="append", help="repeatable")
    parser.add_argument("--server", default=DEFAULT_SERVER, help="PostgreSQL server")
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument(
        "--no-summaries",
        dest="summaries",
        action="store_false",
        help="daily digests only",
    )
    parser.add_argument("--measure", metavar="DATABASE_URL", help="time this one only")
    parser.add_argument("--port", type=int, help="the SMTP sink's port (--measure)")
    parser.add_argument("--sink", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help="where --measure writes its numbers")
    args = parser.parse_args(argv)

    if args.sink:
        run_sink(args.sink, args.json)
        return 0
    if args.measure:
        if not args.port:
            parser.error("--measure needs --port of a running SMTP sink")
        numbers = measure(args.measure, args.port, args.summaries)
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
    path = RESULTS / f"digest-{datetime.now(UTC):%Y-%m-%d}.json"
    if path.exists():  # the same day's other scales stay
        earlier = json.loads(path.read_text()).get("runs", [])
        scales = {run["scale"] for run in runs}
        report["runs"] = sorted(
            [run for run in earlier if run["scale"] not in scales] + runs,
            key=lambda run: run["scale"],
        )
    path.write_text(json.dumps(report, indent=2) + "\n")
    print()
    print(markdown(runs))
    print()
    print(f"Written to {path.relative_to(ROOT)} ({report['seconds']:.0f} s in all)")
    return 0 if all(run["sink_matches"] for run in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
