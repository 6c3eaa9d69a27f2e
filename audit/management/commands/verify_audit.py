"""Verify the audit chains, from where the last run left off unless --full.

An incremental run checks, for each chain, that the event where the last
verification ended still has the hash recorded then (so a rewritten prefix,
which must change that hash, is caught), then hashes only the events after it.
How far each chain was verified is kept in the database, signed with the
checkpoint key the database does not hold; a row that does not carry a good
signature is reported and that chain verified from its start. A change to an
event inside the verified prefix that leaves the hashes inconsistent is only
seen by --full: run it regularly (weekly, say) as well.
"""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from audit import checkpoints
from audit.models import ArchivedStart, VerifiedPosition
from audit.services import ChainResult, chains, verify_one_chain


class Command(BaseCommand):
    help = (
        "Walk the audit hash chains (each from where the last run verified it, or all of it "
        "with --full), report the first broken link of each, and check that every chain still "
        "reaches its latest signed checkpoint."
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
        parser.add_argument(
            "--full",
            action="store_true",
            help="verify every event of every chain, not only those added since the last run",
        )

    def handle(self, *args, **options):
        incremental = not options["full"] and checkpoints.has_key()
        if not options["full"] and not incremental:
            self.stderr.write("no checkpoint key: verifying every chain from its start")
        problems = []
        results = []
        for chain in chains():
            result, problem = self._verify(chain, incremental)
            results.append(result)
            problems += [problem] if problem else []
            if result.problem:
                problems.append(result.report())
        if not problems:
            events = sum(result.last_number for result in results)
            checked = sum(result.checked for result in results)
            self.stdout.write(
                f"audit chains intact: {events} events in {len(results)} "
                f"{'chain' if len(results) == 1 else 'chains'} "
                f"({checked} checked {'since the last verification' if incremental else 'now'})\n"
            )
        path = self._checkpoint_file(options["checkpoints"])
        if path is not None:
            try:
                furthest, checkpoint_problems = checkpoints.compare_with_checkpoints(path)
            except ImproperlyConfigured as error:
                raise CommandError(f"cannot check the audit checkpoints: {error}") from error
            problems += checkpoint_problems
            if furthest and not checkpoint_problems:
                for chain, (number, checkpoint) in sorted(furthest.items()):
                    self.stdout.write(
                        f"latest checkpoint matches: {chain} at event {number} ({checkpoint.when})"
                    )
            elif not furthest and not checkpoint_problems:
                self.stderr.write(f"no audit checkpoint in {path} yet")
        if problems:
            raise CommandError("\n".join(problems), returncode=1)
        if checkpoints.has_key():
            for result in results:
                self._remember(result)

    def _verify(self, chain: str, incremental: bool) -> tuple[ChainResult, str | None]:
        """The chain's result, and a problem with the stored position if any."""
        position = VerifiedPosition.objects.filter(chain=chain).first() if incremental else None
        if position is None:
            return self._from_start(chain)
        signature = checkpoints.verified_position_signature(chain, position.sequence, position.hash)
        if signature != position.signature:
            return self._from_start(chain)[0], (
                f"the record of how far audit chain {chain} was verified has been changed in the "
                "database (its signature does not match): the chain was verified from its start"
            )
        start = checkpoints.archived_start(chain)
        if start is not None and position.sequence <= start.sequence:
            return self._from_start(chain)  # where the last run ended was archived since
        result = verify_one_chain(chain, after_number=position.sequence, after_hash=position.hash)
        return result, None

    def _from_start(self, chain: str) -> tuple[ChainResult, str | None]:
        """The whole chain still in the database: from its first event, or from
        the end of its archived months (audit_partitions --archive-before)."""
        if not ArchivedStart.objects.filter(chain=chain).exists():
            return verify_one_chain(chain), None
        start = checkpoints.archived_start(chain) if checkpoints.has_key() else None
        if start is None:
            return verify_one_chain(chain), (
                f"the record of where audit chain {chain} starts after its archived months "
                "cannot be checked (no checkpoint key) or has been changed in the database: "
                "the chain was verified from its first event"
            )
        result = verify_one_chain(
            chain, after_number=start.sequence, after_hash=start.hash, archived=True
        )
        return result, None

    def _remember(self, result: ChainResult) -> None:
        """Start the next run after the end this one reached."""
        VerifiedPosition.objects.update_or_create(
            chain=result.chain,
            defaults={
                "sequence": result.last_number,
                "hash": result.last_hash,
                "verified_at": timezone.now(),
                "signature": checkpoints.verified_position_signature(
                    result.chain, result.last_number, result.last_hash
                ),
            },
        )

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
