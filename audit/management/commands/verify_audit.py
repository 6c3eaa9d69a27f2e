from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from audit.checkpoints import compare_with_checkpoints
from audit.services import verify_chain


class Command(BaseCommand):
    help = (
        "Walk the audit hash chain, report the first broken link, and check that the chain "
        "still reaches its latest signed checkpoint."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoints",
            type=Path,
            help=(
                "the checkpoint file to compare with: by default AUDIT_CHECKPOINT_FILE; with "
                "AUDIT_CHECKPOINT_DESTINATION=syslog, a copy of the log that received them"
            ),
        )

    def handle(self, *args, **options):
        count, problem = verify_chain()
        problems = [f"audit chain broken after {count} intact events: {problem}"] if problem else []
        if not problem:
            self.stdout.write(f"audit chain intact: {count} events")
        path = self._checkpoint_file(options["checkpoints"])
        if path is not None:
            try:
                checkpoint, checkpoint_problems = compare_with_checkpoints(path)
            except ImproperlyConfigured as error:
                raise CommandError(f"cannot check the audit checkpoints: {error}") from error
            problems += checkpoint_problems
            if checkpoint is not None and not checkpoint_problems:
                self.stdout.write(
                    f"latest checkpoint matches: event {checkpoint.sequence} ({checkpoint.when})"
                )
            elif checkpoint is None and not checkpoint_problems:
                self.stderr.write(f"no audit checkpoint in {path} yet")
        if problems:
            raise CommandError("\n".join(problems), returncode=1)

    def _checkpoint_file(self, given):
        """The file to read, or None (with a note) when there is none to read."""
        if given is None and settings.AUDIT_CHECKPOINT_DESTINATION == "syslog":
            self.stderr.write(
                "audit checkpoints go to syslog: pass --checkpoints with a copy of that log to "
                "compare the chain with them"
            )
            return None
        path = given or settings.AUDIT_CHECKPOINT_FILE
        if not path.exists():
            self.stderr.write(
                f"no audit checkpoint file at {path}: schedule `earlyhelp audit_checkpoint` hourly "
                "(docs/PRODUCTION.md)"
            )
            return None
        return path
