"""Case lists filter by council and status and show the newest first; the
indexes that let a page stop early exist in the migrations (not only the model)."""

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader


def migrated_indexes(app, model):
    state = MigrationLoader(connection).project_state()
    return {tuple(index.fields) for index in state.models[app, model].options.get("indexes", [])}


@pytest.mark.django_db
def test_case_lists_have_indexes_in_their_order():
    # Ending with the id: a page and its total (core.paging) read the index alone.
    assert {
        ("local_authority", "status", "-requested_at", "id"),
        ("local_authority", "-requested_at", "id"),
        ("district", "status", "-requested_at", "id"),
        # An Early Help Officer's district in the visibility rule, from the index alone.
        ("local_authority", "district", "id"),
    } <= migrated_indexes("episodes", "episode")


@pytest.mark.django_db
def test_the_duplicates_list_has_an_index_in_its_order():
    assert ("local_authority", "status", "-score", "id") in migrated_indexes(
        "matching", "possibleduplicate"
    )


@pytest.mark.django_db
def test_the_indexes_are_in_the_database():
    with connection.cursor() as cursor:
        names = {
            name
            for table in ("episodes_episode", "matching_possibleduplicate")
            for name in connection.introspection.get_constraints(cursor, table)
        }
    assert {
        "episode_council_status_newest",
        "episode_council_district",
        "duplicate_council_status_score",
    } <= names
