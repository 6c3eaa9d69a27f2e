"""bench/variant_route_indexes.py drops and builds the indexes of the ways to
a case for bench/ab.py, from the models' definitions: what it builds must be
what the migrations made (a model and its migrations can differ), or the
comparison measures another index."""

import pytest
from django.db import connection

from bench import variant_route_indexes


def definitions():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname = ANY(%s)",
            [list(variant_route_indexes.NAMES)],
        )
        return dict(cursor.fetchall())


@pytest.mark.postgresql
def test_the_variant_builds_again_the_indexes_the_migrations_made(db):
    migrated = definitions()
    assert set(migrated) == variant_route_indexes.NAMES
    variant_route_indexes.off()
    assert definitions() == {}
    variant_route_indexes.on()
    assert definitions() == migrated
