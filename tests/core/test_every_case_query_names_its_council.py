"""The council query logger (tests/council_queries.py) that the
authorisation matrix runs on PostgreSQL finds what it must find."""

from tests.council_queries import case_tables, unscoped


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
