import datetime

from django.core.management.base import CommandError
from django.utils import timezone

from accounts.models import LocalAuthority
from core.councils import CouncilCommand
from privacy import due_counts, retention
from privacy.models import RetentionAction

VERBS = {RetentionAction.ANONYMISE: "anonymise", RetentionAction.DELETE: "delete"}
DONE = {RetentionAction.ANONYMISE: "Anonymised", RetentionAction.DELETE: "Deleted"}


def families(count):
    return f"{count} {'family' if count == 1 else 'families'}"


def people(count):
    return f"{count} {'person' if count == 1 else 'people'}"


class Command(CouncilCommand):
    help = (
        "List the families whose records are due under their council's retention rule "
        "(a dry run, by default); with --apply, anonymise or delete them, recording an "
        "audit event for each."
    )

    def add_arguments(self, parser):
        parser.add_argument("--la", metavar="SLUG", help="Only this council (default: all)")
        parser.add_argument(
            "--apply", action="store_true", help="Act on the families due (default: list only)"
        )
        parser.add_argument(
            "--today", metavar="YYYY-MM-DD", help="Work out what is due on this day instead"
        )

    def handle(self, la=None, apply=False, today=None, **options):
        day = self._today(today, apply)
        councils = self._councils(la)
        due_lists = [retention.due_families(council, day) for council in councils]
        for due_list in due_lists:
            self._list(due_list)
        due = [item for due_list in due_lists for item in due_list.due]
        if not due:
            self.stdout.write("No families due; nothing changed.")
            return
        if not apply:
            verbs = sorted({VERBS[item.rule.action] for item in due})
            self.stdout.write(
                f"{families(len(due))} due; dry run: nothing changed. Run with --apply to "
                f"{' or '.join(verbs)} them."
            )
            return
        self._apply(due, day)
        # The settings pages' kept counts no longer hold: counted again now.
        for due_list in due_lists:
            if due_list.due:
                due_counts.count_soon(due_list.local_authority)

    def _today(self, text, apply):
        if text is None:
            return timezone.localdate()
        try:
            day = datetime.date.fromisoformat(text)
        except ValueError:
            raise CommandError(
                f"--today must be a date written as YYYY-MM-DD, like 2026-01-31 (not '{text}')."
            ) from None
        if apply and day > timezone.localdate():
            raise CommandError(
                f"--today {text} is in the future: with --apply, records would be erased "
                "before they are due. Leave out --apply to see what will be due then."
            )
        return day

    def _councils(self, slug):
        if slug is None:
            return list(LocalAuthority.objects.order_by("slug"))
        council = LocalAuthority.objects.filter(slug=slug).first()
        if council is None:
            known = ", ".join(
                LocalAuthority.objects.order_by("slug").values_list("slug", flat=True)
            )
            raise CommandError(
                f"No local authority with the slug '{slug}'. Known slugs: {known or 'none'}."
            )
        return [council]

    def _list(self, due_list):
        council, rule = due_list.local_authority, due_list.rule
        self.stdout.write(f"{council.slug}: {rule.get_action_display().lower()} {rule.describe()}")
        for item in due_list.due:
            kept = (
                f"; {people(len(item.keep))} kept (also in a family still within retention)"
                if item.keep
                else ""
            )
            self.stdout.write(f"  {item.reference}  due {item.due_on:%Y-%m-%d}{kept}")
        if due_list.undetermined:
            self.stdout.write(
                f"  {families(len(due_list.undetermined))} kept because a date the rule needs "
                f"is not recorded (a child's date of birth, or a closure date): "
                f"{', '.join(due_list.undetermined)}. Record the dates to let the rule apply."
            )

    def _apply(self, due, day):
        done = {action: 0 for action in RetentionAction.values}
        skipped = kept = 0
        for item in due:
            outcome = retention.apply(item, day)
            if outcome is None:
                skipped += 1
                self.stdout.write(f"  {item.reference}  no longer due: left as it is")
                continue
            done[outcome.action] += 1
            kept += outcome.people_kept
            self.stdout.write(f"  {item.reference}  {DONE[outcome.action].lower()}")
        parts = [f"{DONE[action]} {families(count)}" for action, count in done.items() if count]
        summary = "; ".join(parts) or "Nothing changed"
        if kept:
            summary += (
                f"; {people(kept)} kept because they are also in a family still within retention"
            )
        if skipped:
            summary += f"; {families(skipped)} no longer due"
        self.stdout.write(summary + ".")
