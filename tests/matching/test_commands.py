"""earlyhelp import_people and match_people."""

import csv

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from people.models import Person
from tests.factories import PersonFactory

HEADER = "external_id,first_name,last_name,date_of_birth,sex,postcode,nhs_number,upn,parent_name"
GOOD = [
    "L-1,Ada,Lovegood,2015-03-04,F,NM1 2AB,9990001111,,Marta Lovegood",
    "L-2,Ben,Lovegood,04/03/2013,M,nm12ab,,,Marta Lovegood",
    "L-3,Cal,Nobirth,,,,,,",
]
BAD = [
    "L-4,Dee,Baddate,2015-13-01,F,,,,",
    "L-5,,Noname,2015-01-01,F,,,,",
    "L-6,Eve,Badnhs,2015-01-01,F,,9990001113,,",
    "L-1,Ada,Again,2015-03-04,F,,,,",
    "L-7,Fay,Future,2999-01-01,F,,,,",
    "L-8,Gus,Badsex,2015-01-01,Q,,,,",
    "L-9,Hal,Badpostcode,2015-01-01,M,NOT A POSTCODE,,,",
]


def write(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def read(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def run_import(path, la, capsys):
    call_command("import_people", str(path), "--la", la.slug)
    return capsys.readouterr().out


def test_good_rows_go_in_and_bad_rows_are_listed_with_line_and_reason(tmp_path, la, capsys):
    source = write(tmp_path / "people.csv", [HEADER, *GOOD, *BAD])
    out = run_import(source, la, capsys)
    assert "3 imported, 0 already held (unchanged), 7 refused" in out
    imported = Person.objects.filter(local_authority=la).order_by("external_id")
    assert [(p.external_id, p.postcode, p.sex) for p in imported] == [
        ("L-1", "NM1 2AB", "2"),
        ("L-2", "NM1 2AB", "1"),
        ("L-3", "", "0"),
    ]
    assert imported[1].date_of_birth.isoformat() == "2013-03-04"
    errors = read(tmp_path / "people.errors.csv")
    assert errors[0][:2] == ["line", "reason"]
    assert [(row[0], row[1]) for row in errors[1:]] == [
        ("5", "date of birth '2015-13-01' is not a date: write it as YYYY-MM-DD or DD/MM/YYYY"),
        ("6", "first name is missing"),
        (
            "7",
            "NHS number '9990001113': NHS number is not valid: check each digit again, "
            "it may have been mistyped",
        ),
        ("8", "external_id L-1 is also on line 2"),
        ("9", "date of birth 2999-01-01 is in the future"),
        ("10", "sex 'Q' is not M or F (leave it blank if not known)"),
        ("11", "postcode 'NOT A POSTCODE': Enter a full UK postcode, like AA1 1AA"),
    ]


def test_running_the_same_file_again_changes_nothing(tmp_path, la, capsys):
    source = write(tmp_path / "people.csv", [HEADER, *GOOD])
    run_import(source, la, capsys)
    before = list(Person.objects.order_by("pk").values())
    events = AuditEvent.objects.count()
    out = run_import(source, la, capsys)
    assert "0 imported, 3 already held (unchanged), 0 refused" in out
    assert list(Person.objects.order_by("pk").values()) == before
    assert AuditEvent.objects.count() == events


def test_the_import_is_audited_with_the_people_it_created(tmp_path, la, capsys):
    run_import(write(tmp_path / "people.csv", [HEADER, *GOOD]), la, capsys)
    event = AuditEvent.objects.get(reason="import_people")
    assert sorted(event.changes["person_ids"]) == sorted(
        Person.objects.filter(local_authority=la).values_list("pk", flat=True)
    )


def test_columns_may_come_in_any_order_and_extra_ones_are_ignored(tmp_path, la, capsys):
    source = write(
        tmp_path / "people.csv",
        ["last_name,notes,first_name,external_id", "Lovegood,ignored,Ada,X-1"],
    )
    assert "1 imported" in run_import(source, la, capsys)


def test_a_missing_column_is_named_with_an_example_header(tmp_path, la):
    source = write(tmp_path / "people.csv", ["first_name,last_name", "Ada,Lovegood"])
    with pytest.raises(CommandError, match="has no column external_id"):
        call_command("import_people", str(source), "--la", la.slug)


def test_an_unknown_council_lists_the_known_ones(tmp_path, la):
    source = write(tmp_path / "people.csv", [HEADER, *GOOD])
    with pytest.raises(
        CommandError, match="No council with the short name 'nowhere'. Known: testshire"
    ):
        call_command("import_people", str(source), "--la", "nowhere")


def test_a_missing_file_is_explained(tmp_path, la):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_people", str(tmp_path / "absent.csv"), "--la", la.slug)


def test_imported_people_are_matched_by_the_request_check(tmp_path, la, capsys):
    from matching.details import Details
    from matching.engine import find_matches

    run_import(write(tmp_path / "people.csv", [HEADER, *GOOD]), la, capsys)
    found = find_matches(la.pk, Details("Ada", "Lovegood", postcode="NM1 2AB", parent_name="Marta"))
    assert found and Person.objects.get(pk=found[0].person_id).external_id == "L-1"


def test_match_people_writes_the_best_matches_above_the_threshold(tmp_path, la, capsys):
    run_import(write(tmp_path / "people.csv", [HEADER, *GOOD]), la, capsys)
    recorded_here = PersonFactory(local_authority=la, first_name="Zed", last_name="Inapp")
    queries = write(
        tmp_path / "queries.csv",
        [
            "query_id,first_name,last_name,date_of_birth,postcode",
            "q1,Adah,Lovegood,2015-03-04,NM1 2AB",
            "q2,Nobody,Atall,2001-01-01,",
            f"q3,Zed,Inapp,{recorded_here.date_of_birth.isoformat()},",
            "q4,Ben,Lovegood,04/03/2013,",
            "q5,Bad,Date,31/02/2015,",
        ],
    )
    out_path = tmp_path / "out.csv"
    call_command("match_people", str(queries), "--la", la.slug, "--out", str(out_path))
    out = capsys.readouterr().out
    assert "4 queries, 3 with a match" in out and "1 refused" in out
    rows = read(out_path)
    assert rows[0] == ["query_id", "external_id", "score"]
    assert [(r[0], r[1]) for r in rows[1:]] == [
        ("q1", "L-1"),
        ("q3", f"EH-{recorded_here.pk}"),
        ("q4", "L-2"),
    ]
    assert all(0.9 <= float(r[2]) <= 1 for r in rows[1:])
    assert read(tmp_path / "queries.errors.csv")[1][:2] == [
        "6",
        "date of birth '31/02/2015' is not a date: write it as YYYY-MM-DD or DD/MM/YYYY",
    ]


def test_match_people_needs_a_query_id_column(tmp_path, la):
    queries = write(tmp_path / "queries.csv", ["first_name,last_name", "Ada,Lovegood"])
    with pytest.raises(CommandError, match="has no column query_id"):
        call_command(
            "match_people", str(queries), "--la", la.slug, "--out", str(tmp_path / "o.csv")
        )
