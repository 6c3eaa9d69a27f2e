from django.core.management.base import BaseCommand, CommandError

from audit.services import verify_chain


class Command(BaseCommand):
    help = "Walk the audit hash chain and report the first broken link."

    def handle(self, *args, **options):
        count, problem = verify_chain()
        if problem:
            raise CommandError(
                f"audit chain broken after {count} intact events: {problem}", returncode=1
            )
        self.stdout.write(f"audit chain intact: {count} events")
