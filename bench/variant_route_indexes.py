"""For bench/ab.py: the indexes of the ways to a case (episodes migration
0013, consent migration 0006) dropped (`off`) and built again (`on`), on the
benchmark's council, each from its model's own definition. `on()` is what
the migrations leave."""

from django.db import connection

NAMES = {
    "case_led_by",
    "case_asked_by",
    "case_asked_by_organisation",
    "case_id_with_list_columns",
    "team_cases_by_organisation",
    "sharing_consents_in_force",
}


def _indexes():
    """(model, index) for each route index, as the models declare them."""
    from consent.models import Consent
    from episodes.models import Episode, TeamOrganisation

    return [
        (model, index)
        for model in (Episode, TeamOrganisation, Consent)
        for index in model._meta.indexes
        if index.name in NAMES
    ]


def _built():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE indexname = ANY(%s)",
            [list(NAMES)],
        )
        return {name for (name,) in cursor.fetchall()}


def on():
    built = _built()
    with connection.schema_editor() as editor:
        for model, index in _indexes():
            if index.name not in built:
                editor.add_index(model, index)


def off():
    built = _built()
    with connection.schema_editor() as editor:
        for model, index in _indexes():
            if index.name in built:
                editor.remove_index(model, index)
