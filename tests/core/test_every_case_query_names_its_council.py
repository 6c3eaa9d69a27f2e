"""Every query on case data names its council, so case data can be
distributed by council (Citus with `local_authority_id` as the distribution
column, or one database per group of councils): a query that does not name
it would have to ask every shard.

The authorisation matrix's URLs (tests/test_authorization_matrix.py, its
scenario and table) are requested, GET and POST as the matrix does, in every
stage of the case, with a query logger; any query that touches a case table
without `local_authority_id = ...` (or `IN (...)`) for that table, in its
WHERE or a JOIN's ON, fails the test with the URL, persona and SQL.

The case tables are derived from the models: every model with a
`local_authority` foreign key, except the council registry (users,
districts, organisations: small, read by every council's requests, so under
Citus reference tables copied to every node), the council's retention
settings (one row a council) and the audit trail (its own chain per council,
and events of no council). Reads declared as across councils
(`councils.across_councils()`: auditing an attempt on another council's
record, an invitation link) are deliberate and allowed.

Distribution by council is a PostgreSQL matter (Citus, or one PostgreSQL per
group of councils), so the test runs in the PostgreSQL suite only (marked
`postgresql`; tests/conftest.py leaves it out of the SQLite run): the same
code sends the same queries to both, and running it twice would double its
cost in `make test`.

To keep `make test` quick, each URL is requested by every persona allowed
there in some stage (each runs the page's own code, through a different
branch of the policy) and by two who are refused (a practitioner of the same
council and a manager of another), not by all twelve.
"""

import functools
import re

import pytest
from django.db import connection

from core import councils
from tests import test_authorization_matrix as matrix
from tests.authorization_scenario import PERSONAS
from tests.authorization_table import prefix_rule, row_for

pytestmark = pytest.mark.postgresql

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
REFUSED = ("other_org", "other_la_manager")


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
    return sorted(set(missing))


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


def test_the_logger_finds_a_query_that_forgets_the_council():
    assert unscoped('SELECT "plans_goal"."id" FROM "plans_goal" WHERE "plans_goal"."plan_id" = %s')
    assert not unscoped(
        'SELECT "plans_goal"."id" FROM "plans_goal" WHERE ("plans_goal"."plan_id" = %s'
        ' AND "plans_goal"."local_authority_id" = %s)'
    )
    # A join of a case table must carry the council for that table too.
    joined = (
        'SELECT "episodes_episode"."id" FROM "episodes_episode" INNER JOIN "consent_consent"'
        ' ON ("episodes_episode"."id" = "consent_consent"."episode_id")'
        ' WHERE "episodes_episode"."local_authority_id" = %s'
    )
    assert unscoped(joined) == ["consent_consent"]
    co_located = (
        'SELECT "episodes_episode"."id" FROM "episodes_episode" INNER JOIN "consent_consent"'
        ' ON ("episodes_episode"."id" = "consent_consent"."episode_id"'
        ' AND ("consent_consent"."local_authority_id" = ("episodes_episode"."local_authority_id")))'
        ' WHERE "episodes_episode"."local_authority_id" = %s'
    )
    assert not unscoped(co_located), co_located
    aliased = 'SELECT U0."episode_id" FROM "consent_consent" U0 WHERE U0."local_authority_id" = %s'
    assert not unscoped(aliased)
    assert "plans_goal" in case_tables() and "accounts_user" not in case_tables()


def _personas(row):
    allowed = set(row.allowed).union(*row.when.values(), row.posts or ())
    return tuple(p for p in PERSONAS if p in allowed or p in REFUSED)


# Django admin answers only is_staff, which no persona has: it reads no case data.
# A URL with no row is the matrix's failure to report.
PAGES = [p for p in matrix.PATTERNS if prefix_rule(p.route) != "admin" and row_for(p)]


@pytest.mark.parametrize("pattern", PAGES, ids=lambda p: p.key)
def test_every_query_of_a_page_names_its_council(pattern, scenario, as_persona):
    row = row_for(pattern)
    log = QueryLog()
    for persona in _personas(row):
        client = as_persona(persona)
        for turn, (stage, case) in enumerate(matrix.stages_for(row, scenario)):
            path = matrix._path(pattern, matrix._kwargs(row, scenario, case))
            for method in row.methods:
                if persona in row.allowed_in(stage, method):
                    body = matrix._bodies(row, scenario, case, turn + PERSONAS.index(persona))
                else:
                    body = matrix._data(row, scenario, case)
                log.where = f"{method} {path} as {persona} [{stage}]"
                with connection.execute_wrapper(log):
                    response = matrix._try(client, method, path, body, log.problems)
                    if response is not None:
                        matrix._finish(response)
    if log.problems:
        pytest.fail("\n".join(log.problems), pytrace=False)


# The matrix's scenario, built once for this module too, and its sign-in.
scenario = matrix.scenario
as_persona = matrix.as_persona
