"""Every query on case data names its council, so case data can be
distributed by council (Citus with `local_authority_id` as the distribution
column, or one database per group of councils): a query that does not name
it would have to ask every shard.

`QueryLog` is a database execute wrapper that records any query touching a
case table without `local_authority_id = ...` (or `IN (...)`) for that
table, in its WHERE or a JOIN's ON. The authorisation matrix
(tests/test_authorization_matrix.py::test_access) wraps every request of
every persona, in every stage of the case, with it. The matrix runs in the
SQLite suite: the ORM writes the same WHERE clauses for both databases, so
one run is enough although distribution by council is a PostgreSQL matter.

The case tables are derived from the models: every model with a
`local_authority` foreign key, except the council registry (users,
districts, organisations: small, read by every council's requests, so under
Citus reference tables copied to every node), the council's retention
settings (one row a council) and the audit trail (its own chain per council,
and events of no council). Reads declared as across councils
(`councils.across_councils()`: auditing an attempt on another council's
record, an invitation link) are deliberate and allowed.
"""

import functools
import re

from django.db import connection

from core import councils

NOT_CASE_DATA = {
    "accounts.User",
    "accounts.District",
    "accounts.Organisation",
    "privacy.RetentionRule",
    "audit.AuditEvent",
    # The outbox: a queue of staff emails (case references, never family
    # details; the text dropped once sent, the row after 90 days), delivered
    # and retried across councils by one worker, some of no council at all.
    "notifications.OutgoingEmail",
}


@functools.cache
def case_tables():
    return frozenset(
        model._meta.db_table
        for model in councils.council_owned_models()
        if model._meta.label not in NOT_CASE_DATA
    )


# A table read or written, and the alias Django gave it (T3, U0...) if any.
REFERENCE = re.compile(r'(FROM|JOIN|UPDATE|INTO)\s+"(\w+)"(?:\s+(?:AS\s+)?"?([A-Z]\d+)"?)?')


def unscoped(sql):
    """Each case table the query touches without naming its council."""
    return list(_unscoped(sql))


# The matrix's requests send the same few thousand SQL texts (the values are
# parameters) tens of thousands of times: each text is read once.
@functools.lru_cache(maxsize=16384)
def _unscoped(sql):
    missing = []
    for verb, table, alias in REFERENCE.findall(sql):
        if table not in case_tables():
            continue
        if verb == "INTO":
            named = re.search(rf'INTO\s+"{table}"\s*\([^)]*"local_authority_id"', sql)
        else:
            column = rf'(?<![\w"])"?{alias or table}"?\."local_authority_id"'
            # Compared with a value, a list, or the joined table's council.
            named = re.search(rf"{column}\s*(=|IN\s*\()|=\s*\(?{column}", sql)
        if not named:
            missing.append(table)
    return tuple(sorted(set(missing)))


class QueryLog:
    def __init__(self):
        self.problems = []
        self.where = ""

    def __call__(self, execute, sql, params, many, context):
        deliberate = councils.current() is not None and councils.filtering_council() is None
        if not deliberate and (missing := unscoped(sql)):
            tables = ", ".join(missing)
            self.problems.append(f"{self.where}: {tables} not limited by council:\n    {sql}")
        return execute(sql, params, many, context)

    def watching(self, where):
        """Log the queries of one request, labelled `where`."""
        self.where = where
        return connection.execute_wrapper(self)
