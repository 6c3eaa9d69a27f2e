"""Queue a checkpoint of the audit chain. A scheduler (cron or a systemd timer,
docs/PRODUCTION.md) runs this hourly; the checkpoint itself is written by the
task, in this process or a worker, never in a web request."""

from django.core.management.base import BaseCommand, CommandError
from django_tasks import TaskResultStatus

from audit.tasks import write_audit_checkpoint


class Command(BaseCommand):
    help = "Queue a signed checkpoint of every audit chain's end (run hourly by a scheduler)."

    def handle(self, *args, **options):
        result = write_audit_checkpoint.enqueue()
        if result.status == TaskResultStatus.FAILED:
            # The task's own exception, e.g. a missing key or an unwritable file.
            reason = result.errors[-1].traceback.strip().splitlines()[-1]
            raise CommandError(f"audit checkpoint not written: {reason}", returncode=1)
        if result.status == TaskResultStatus.SUCCESSFUL:
            ends = ", ".join(
                f"{chain} at event {number}" for chain, number in result.return_value.items()
            )
            self.stdout.write(f"audit checkpoint written: {ends or 'no events yet'}")
        else:
            self.stdout.write(f"audit checkpoint queued as task {result.id}")
