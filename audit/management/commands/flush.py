"""Django's flush, able to empty the append-only audit table.

Flush empties every table, the audit trail included: the test runner relies on
it between transactional tests. The audit table's triggers refuse DELETE (and
TRUNCATE on PostgreSQL), so they are lifted for the flush's own transaction
(audit.append_only). Being in this app, the command replaces Django's.
"""

from django.core.management.commands import flush
from django.db import connections

from audit.append_only import triggers_lifted


class Command(flush.Command):
    def handle(self, **options):
        with triggers_lifted(connections[options["database"]]):
            return super().handle(**options)
