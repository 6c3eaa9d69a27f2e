"""Create the audit table's monthly partitions ahead of time (PostgreSQL).

Run it monthly from the scheduler that runs `audit_checkpoint`
(docs/PRODUCTION.md): an event of a month with no partition still lands in the
DEFAULT partition, but then that month's partition has to move it when it is
created. Running it again creates nothing twice.
"""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from audit import partitions


class Command(BaseCommand):
    help = "Create the audit table's monthly partitions for this month and the next ones."

    def add_arguments(self, parser):
        parser.add_argument(
            "--ahead", type=int, default=3, help="how many months after this one (default 3)"
        )
        parser.add_argument(
            "--archive-before",
            metavar="YYYY-MM",
            help=(
                "instead, detach every month before this one, once every chain verifies, "
                "for pg_dump to the archive (docs/PRODUCTION.md)"
            ),
        )
        parser.add_argument(
            "--list", action="store_true", help="then list every partition with its bounds"
        )

    def handle(self, *args, **options):
        if not partitions.is_partitioned():
            self.stdout.write("the audit table is not partitioned on this database (SQLite)")
            return
        if options["archive_before"]:
            self._archive(options["archive_before"])
            return
        created = partitions.ensure_months_ahead(max(options["ahead"], 0))
        self.stdout.write(
            f"created {', '.join(created)}" if created else "every partition was already there"
        )
        if options["list"]:
            for partition in partitions.partitions():
                rows = "?" if partition.rows is None else f"about {partition.rows:,} rows"
                self.stdout.write(f"{partition.name}: {partition.bounds} ({rows})")

    def _archive(self, value: str) -> None:
        try:
            month = datetime.strptime(value, "%Y-%m").date()
        except ValueError as error:
            raise CommandError(
                f"--archive-before takes a month, like 2021-01: {value!r}"
            ) from error
        try:
            detached = partitions.archive_before(month)
        except partitions.ArchiveRefused as error:
            raise CommandError(f"nothing archived: {error}") from error
        if not detached:
            self.stdout.write(f"no partition before {value} to archive")
        for name in detached:
            self.stdout.write(
                f"detached {name}: pg_dump -t {name} to the archive, check it restores, "
                f"then DROP TABLE {name}"
            )
