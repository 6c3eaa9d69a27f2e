"""For bench/ab.py: the indexes of the ways to a case (episodes migration
0013, consent migration 0006) dropped (`off`) and built again (`on`), on the
benchmark's council. `on()` is what the migrations leave."""

from django.db import connection

INDEXES = {
    "case_led_by": (
        'ON "episodes_episode" ("lead_professional_id", "local_authority_id") INCLUDE ("id")'
    ),
    "case_asked_by": (
        'ON "episodes_episode" ("requested_by_id", "local_authority_id") INCLUDE ("id")'
    ),
    "case_asked_by_organisation": (
        'ON "episodes_episode" ("requesting_organisation_id", "local_authority_id") INCLUDE ("id")'
    ),
    "case_id_with_list_columns": (
        'ON "episodes_episode" ("id") INCLUDE '
        '("local_authority_id", "status", "requested_at", "lead_professional_id")'
    ),
    "team_cases_by_organisation": (
        'ON "episodes_episode_organisations" ("organisation_id", "local_authority_id") '
        'INCLUDE ("episode_id")'
    ),
    "sharing_consents_in_force": (
        'ON "consent_consent" ("organisation_id", "local_authority_id", "episode_id") '
        'WHERE ("given" AND "purpose" = \'sharing\' AND "withdrawn_at" IS NULL)'
    ),
}


def _built():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE indexname = ANY(%s)", [list(INDEXES)]
        )
        return {name for (name,) in cursor.fetchall()}


def on():
    missing = set(INDEXES) - _built()
    with connection.cursor() as cursor:
        for name in missing:
            cursor.execute(f'CREATE INDEX "{name}" {INDEXES[name]}')


def off():
    built = _built()
    with connection.cursor() as cursor:
        for name in built:
            cursor.execute(f'DROP INDEX "{name}"')
