from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from imports import services
from imports.models import DateFormat, ImportJob, Kind, SavedMapping

SHOWN_ERRORS = 20


class Command(BaseCommand):
    help = (
        "Import clients, contacts, candidates or placements from a CSV or XLSX file, "
        "all or nothing. Recorded like an import from the web pages."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", help=f"one of: {', '.join(Kind.values)}")
        parser.add_argument("file", help="a .csv, .tsv, .txt or .xlsx file")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and count what would change; write nothing",
        )
        parser.add_argument(
            "--date-format",
            help="how the file writes dates: dmy, mdy or iso (default: guessed)",
        )
        parser.add_argument(
            "--mapping", help="the name of a saved column mapping (default: guessed)"
        )
        parser.add_argument(
            "--by",
            metavar="EMAIL",
            help="the user the import is recorded as (default: the first admin)",
        )

    def handle(self, *args, **options):
        kind = options["kind"].lower()
        if kind not in Kind.values:
            raise CommandError(
                f"Cannot import '{options['kind']}': choose one of {', '.join(Kind.values)}."
            )
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        date_format = options["date_format"]
        if date_format and date_format not in DateFormat.values:
            raise CommandError(
                f"--date-format {date_format} is not one of {', '.join(DateFormat.values)}."
            )
        mapping = None
        if options["mapping"]:
            saved = SavedMapping.objects.filter(
                kind=kind, name__iexact=options["mapping"]
            ).first()
            if saved is None:
                raise CommandError(
                    f"No saved mapping '{options['mapping']}' for {kind}."
                )
            mapping = saved.mapping
        by = self.user(options["by"])
        try:
            job = services.import_file(
                by=by,
                kind=kind,
                path=path,
                date_format=date_format,
                mapping=mapping,
                dry_run=options["dry_run"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        for error in job.errors[:SHOWN_ERRORS]:
            self.stderr.write(f"row {error['row']}: {error['message']}")
        if job.error_count > SHOWN_ERRORS:
            self.stderr.write(
                f"... and {job.error_count - SHOWN_ERRORS:,} more (import #{job.pk})."
            )
        if job.status == ImportJob.Status.FAILED:
            raise CommandError(job.failure)
        counts = (
            f"{job.created_count:,} created, {job.updated_count:,} updated, "
            f"{job.skipped_count:,} unchanged"
        )
        if options["dry_run"]:
            if job.error_count:
                raise CommandError(
                    f"Dry run of {path.name}: {job.error_count:,} rows have errors; "
                    "fix them before importing."
                )
            self.stdout.write(
                f"Dry run of {path.name} ({kind}): would be {counts}; "
                f"nothing was written (import #{job.pk})."
            )
        else:
            self.stdout.write(
                f"Imported {kind} from {path.name}: {counts} (import #{job.pk})."
            )

    def user(self, email: str | None) -> User:
        if email:
            user = User.objects.filter(email__iexact=email, is_active=True).first()
            if user is None:
                raise CommandError(f"No active user with the email {email}.")
            return user
        user = (
            User.objects.filter(is_active=True)
            .filter(role=User.Role.ADMIN)
            .order_by("pk")
            .first()
            or User.objects.filter(is_active=True, is_superuser=True)
            .order_by("pk")
            .first()
        )
        if user is None:
            raise CommandError("No admin to record the import as: pass --by EMAIL.")
        return user
