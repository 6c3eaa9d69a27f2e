"""Queue the scheduled jobs that are due (core/scheduled.py). Safe to run as
often as the scheduler likes: each job runs at most once in its period."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django_tasks import TaskResultStatus

from core import scheduled


class Command(BaseCommand):
    help = "Run the scheduled jobs that are due (each at most once a day, or its own period)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--wait",
            action="store_true",
            help="Return only when the jobs, and the emails they send, are finished.",
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=600,
            help="With --wait: give up after this many seconds (exit status 1).",
        )

    def handle(self, *args, **options):
        started = timezone.now()
        queued = scheduled.run_due(started)
        if options["wait"] and not scheduled.wait(
            queued, started=started, timeout=options["timeout"]
        ):
            raise CommandError("scheduled jobs still running after the timeout", returncode=1)
        failed = []
        for item in queued:
            status = item.result.status
            self.stdout.write(f"{item.job.name}: {status.lower()} (task {item.result.id})")
            if status == TaskResultStatus.FAILED:
                failed.append(item.job.name)
        if not queued:
            self.stdout.write("nothing due")
        if failed:
            raise CommandError(f"failed: {', '.join(failed)}", returncode=1)
