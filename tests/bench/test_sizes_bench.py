"""bench/sizes.py says what every table grows with, so docs/SCALE.md's
split of the database into register, cases, audit and fixed stays whole when
an app adds a table. Sizes themselves are measured by the script, not here."""

from django.apps import apps

from bench import sizes


def all_tables():
    tables = set()
    for model in apps.get_models(include_auto_created=True):
        tables.add(model._meta.db_table)
    return tables


def test_every_table_has_a_known_kind():
    unknown = sorted(t for t in all_tables() if sizes.grows_with(t) == "unknown")
    assert unknown == [], f"say what these grow with in bench/sizes.py: {unknown}"


def test_the_tables_scale_rests_on_are_where_the_document_says():
    assert sizes.grows_with("audit_auditevent") == "audit"
    assert sizes.grows_with("people_person") == "register"
    assert sizes.grows_with("matching_matchkey") == "register"
    assert sizes.grows_with("episodes_episode") == "cases"
    assert sizes.grows_with("notes_casenote") == "cases"
    assert sizes.grows_with("notes_attachment") == "cases"
    assert sizes.grows_with("accounts_user") == "fixed"
    assert sizes.grows_with("someapp_newtable") == "unknown"
