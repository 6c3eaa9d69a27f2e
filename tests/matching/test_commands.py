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
        (
            "5",
            "column date_of_birth, date of birth '2015-13-01': it is not a date. To fix it: "
            "write it as YYYY-MM-DD or DD/MM/YYYY, like 2015-03-04",
        ),
        ("6", "column first_name: first name is missing. To fix it: give the person's first name"),
        (
            "7",
            "column nhs_number, NHS number '9990001113': its check digit is wrong. To fix it: "
            "check each digit against the source: an NHS number is 10 digits, the last worked "
            "out from the others, like 999 111 1115. Or leave it blank",
        ),
        (
            "8",
            "external_id: L-1 is also on line 2. To fix it: give each person their own "
            "reference, or remove the repeated row",
        ),
        (
            "9",
            "column date_of_birth, date of birth '2999-01-01': it is in the future. To fix it: "
            "give the date the person was born, or leave it blank",
        ),
        (
            "10",
            "column sex, sex 'Q': it is not M or F. To fix it: write M or F, or leave it blank "
            "if not known",
        ),
        (
            "11",
            "column postcode, postcode 'NOT A POSTCODE': it is not a UK postcode. To fix it: "
            "write a full UK postcode, like NM1 2AB, or leave it blank",
        ),
    ]


def test_a_refused_row_says_which_column_to_fix_and_what_a_valid_value_looks_like(
    tmp_path, la, capsys
):
    source = write(
        tmp_path / "people.csv",
        [
            HEADER,
            "L-1,Ivy,Typed,2015-01-01,F,B2I 9SW,,,",
            "L-2,Jo,Pupil,2015-01-01,F,,,A12345678901X,",
            "L-3,Kay,Short,2015-01-01,F,,12345,,",
        ],
    )
    out = run_import(source, la, capsys)
    assert "0 imported, 0 already held (unchanged), 3 refused" in out
    # Shown on screen too, with the line, the column and the way to fix it.
    assert (
        "line 2: column postcode, postcode 'B2I 9SW': it is not a UK postcode. To fix it: if "
        "it is B21 9SW, write that; write a full UK postcode, like NM1 2AB, or leave it blank"
    ) in out
    assert "line 3: column upn, UPN 'A12345678901X': its check letter is wrong." in out
    assert "like A123456789012" in out
    assert "line 4: column nhs_number, NHS number '12345': it has 5 digits, not 10." in out


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


def match(tmp_path, la, lines):
    queries = write(tmp_path / "queries.csv", lines)
    out_path = tmp_path / "out.csv"
    call_command("match_people", str(queries), "--la", la.slug, "--out", str(out_path))
    return read(out_path)


def test_match_people_writes_the_best_matches_above_the_threshold(tmp_path, la, capsys):
    run_import(write(tmp_path / "people.csv", [HEADER, *GOOD]), la, capsys)
    recorded_here = PersonFactory(local_authority=la, first_name="Zed", last_name="Inapp")
    rows = match(
        tmp_path,
        la,
        [
            "query_id,first_name,last_name,date_of_birth,postcode",
            "q1,Adah,Lovegood,2015-03-04,NM1 2AB",
            "q2,Nobody,Atall,2001-01-01,",
            f"q3,Zed,Inapp,{recorded_here.date_of_birth.isoformat()},",
            "q4,Ben,Lovegood,04/03/2013,",
            "q5,,,2015-01-01,NM1 2AB",
        ],
    )
    out = capsys.readouterr().out
    assert "4 queries, 3 with a match" in out and "1 refused" in out
    assert rows[0] == ["query_id", "external_id", "score", "warnings"]
    assert [(r[0], r[1], r[3]) for r in rows[1:]] == [
        ("q1", "L-1", ""),
        ("q3", f"EH-{recorded_here.pk}", ""),
        ("q4", "L-2", ""),
    ]
    assert all(0.9 <= float(r[2]) <= 1 for r in rows[1:])


def test_a_row_with_a_mistyped_nhs_number_is_matched_on_the_rest_and_warned(tmp_path, la, capsys):
    run_import(write(tmp_path / "people.csv", [HEADER, *GOOD]), la, capsys)
    rows = match(
        tmp_path,
        la,
        [
            "query_id,first_name,last_name,date_of_birth,nhs_number",
            "q1,Ada,Lovegood,2015-03-04,999 000 1113",
        ],
    )
    assert [(r[0], r[1], r[3]) for r in rows[1:]] == [
        ("q1", "L-1", "NHS number 999 000 1113 ignored: its check digit is wrong"),
    ]
    assert "1 queries, 1 with a match" in capsys.readouterr().out


def test_a_postcode_with_a_letter_for_a_digit_is_read_and_matched(tmp_path, la, capsys):
    PersonFactory(
        local_authority=la, first_name="Ada", last_name="Quillfeather", postcode="B21 9SW"
    )
    rows = match(
        tmp_path,
        la,
        ["query_id,first_name,last_name,postcode", "q1,Ada,Quillfeather,B2I 9SW"],
    )
    # Names alone are not enough (0.5): the postcode, read as B21 9SW, is what matches.
    assert [(r[0], r[3]) for r in rows[1:]] == [("q1", "postcode B2I 9SW read as B21 9SW")]
    assert float(rows[1][2]) >= 0.9


def test_a_postcode_read_only_to_its_district_is_not_the_same_address(tmp_path, la, capsys):
    PersonFactory(
        local_authority=la, first_name="Ada", last_name="Quillfeather", postcode="B21 9SW"
    )
    rows = match(
        tmp_path, la, ["query_id,first_name,last_name,postcode", "q1,Ada,Quillfeather,B21 9S"]
    )
    # Checked, not matched: the warning still reaches the list's owner.
    assert rows[1:] == [
        ["q1", "", "", "postcode B21 9S is not a full postcode: only its district B21 used"]
    ]


def test_every_bad_value_is_left_out_and_named(tmp_path, la, capsys):
    run_import(write(tmp_path / "people.csv", [HEADER, *GOOD]), la, capsys)
    rows = match(
        tmp_path,
        la,
        [
            "query_id,first_name,last_name,date_of_birth,sex,postcode,nhs_number,upn",
            "q1,Ada,Lovegood,31/02/2015,Q,NOT A POSTCODE,12345,A12345678901X",
            "q2,Ben,Lovegood,4 Mar 2013,M,nm1 2ab,,",
        ],
    )
    assert rows[1][:2] == ["q1", ""]
    assert rows[1][3] == (
        "date of birth 31/02/2015 ignored: it is not a date; sex Q ignored: it is not M or F; "
        "NHS number 12345 ignored: it has 5 digits, not 10; UPN A12345678901X ignored: its "
        "check letter is wrong; postcode NOT A POSTCODE ignored: it is not a UK postcode"
    )
    # Another way of writing a date, lower case and no space are read without a warning.
    assert rows[2][:2] == ["q2", "L-2"] and rows[2][3] == ""


def test_only_a_row_with_nothing_to_match_on_is_refused_with_the_reason(tmp_path, la, capsys):
    rows = match(
        tmp_path,
        la,
        ["query_id,first_name,last_name,date_of_birth,nhs_number", "q1,,,2015-01-01,12345"],
    )
    assert rows == [["query_id", "external_id", "score", "warnings"]]
    out = capsys.readouterr().out
    assert "0 queries" in out and "1 refused" in out
    reason = (
        "nothing to match on: the row needs a name, an NHS number or a UPN (NHS number 12345 "
        "ignored: it has 5 digits, not 10)"
    )
    assert f"line 2: {reason}" in out
    assert read(tmp_path / "queries.errors.csv")[1][:2] == ["2", reason]


def test_match_people_needs_a_query_id_column(tmp_path, la):
    queries = write(tmp_path / "queries.csv", ["first_name,last_name", "Ada,Lovegood"])
    with pytest.raises(CommandError, match="has no column query_id"):
        call_command(
            "match_people", str(queries), "--la", la.slug, "--out", str(tmp_path / "o.csv")
        )
