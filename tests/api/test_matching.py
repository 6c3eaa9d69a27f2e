"""Matching a list by API: the match_people engine, with the command's very
output for the same list; a record's restricted parts never count as
evidence for a client; refused without the scope; audited."""

import csv

from django.core.management import call_command

from audit.models import Action, AuditEvent
from people.models import Person, RestrictableField, Restriction

MATCHES = "/api/v1/matches/"
REGISTER = [
    "external_id,first_name,last_name,date_of_birth,sex,postcode,nhs_number,upn,parent_name",
    "L-1,Ada,Lovegood,2015-03-04,F,NM1 2AB,9990001111,,Marta Lovegood",
    "L-2,Ben,Lovegood,04/03/2013,M,nm12ab,,,Marta Lovegood",
    "L-3,Cal,Nobirth,,,,,,",
    "L-4,Ada,Quillfeather,2014-05-06,F,B21 9SW,,,",
]
QUERIES = [
    {"query_id": "q1", "first_name": "Adah", "last_name": "Lovegood",
     "date_of_birth": "2015-03-04", "postcode": "NM1 2AB"},
    {"query_id": "q2", "first_name": "Nobody", "last_name": "Atall",
     "date_of_birth": "2001-01-01"},
    {"query_id": "q3", "first_name": "Ben", "last_name": "Lovegood",
     "date_of_birth": "04/03/2013"},
    {"query_id": "q4", "date_of_birth": "2015-01-01", "postcode": "NM1 2AB"},
    {"query_id": "q5", "first_name": "Ada", "last_name": "Lovegood",
     "date_of_birth": "2015-03-04", "nhs_number": "999 000 1113"},
    {"query_id": "q6", "first_name": "Ada", "last_name": "Quillfeather", "postcode": "B2I 9SW"},
    {"query_id": "q7", "first_name": "Zed", "last_name": "Nomatch", "nhs_number": "123"},
]  # fmt: skip
COLUMNS = [
    "query_id", "first_name", "last_name", "date_of_birth", "sex", "postcode",
    "nhs_number", "upn", "parent_name",
]  # fmt: skip


def register(tmp_path, la):
    people = tmp_path / "people.csv"
    people.write_text("\n".join(REGISTER) + "\n", encoding="utf-8")
    call_command("import_people", str(people), "--la", la.slug)


def command_output(tmp_path, la, queries):
    path = tmp_path / "queries.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, COLUMNS)
        writer.writeheader()
        writer.writerows(queries)
    out = tmp_path / "out.csv"
    call_command("match_people", str(path), "--la", la.slug, "--out", str(out))
    with open(out, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))[1:]


def api_output(call, token, queries):
    response = call("post", MATCHES, token, {"people": queries})
    assert response.status_code == 200, response.content
    answer = response.json()
    rows = [
        [row["query_id"], row["external_id"], row["score"] or "", row["warnings"]]
        for row in answer["results"]
    ]
    return rows, answer["refused"]


def test_the_answer_is_the_commands_output_for_the_same_list(tmp_path, la, make_client, call):
    register(tmp_path, la)
    _, token = make_client(["matching:read"], name="Council MIS")

    expected = command_output(tmp_path, la, QUERIES)
    rows, refused = api_output(call, token, QUERIES)

    assert rows == expected
    assert {row[0] for row in rows} >= {"q1", "q3", "q5", "q6"}  # the list did match
    assert [r["query_id"] for r in refused] == ["q4"]
    assert all(r["reason"] for r in refused)


def test_a_restricted_value_is_never_evidence_for_a_client(
    tmp_path, la, make_client, call, manager
):
    register(tmp_path, la)
    _, token = make_client(["matching:read"])
    query = [{"query_id": "q1", "first_name": "Ada", "last_name": "Quillfeather",
              "postcode": "B21 9SW"}]  # fmt: skip
    # Names alone are not enough: the postcode is what matches.
    assert [row[1] for row in api_output(call, token, query)[0]] == ["L-4"]

    Restriction.objects.create(
        person=Person.objects.get(external_id="L-4"),
        field=RestrictableField.ADDRESS,
        reason="Fleeing abuse",
        created_by=manager,
    )

    assert api_output(call, token, query)[0] == []
    # The command, for the council's own systems, still matches on everything.
    assert [row[1] for row in command_output(tmp_path, la, query)] == ["L-4"]


def test_without_the_scope_it_is_refused(la, make_client, call):
    _, token = make_client(["cases:read"])

    assert call("post", MATCHES, token, {"people": QUERIES[:1]}).status_code == 403


def test_a_list_is_audited_under_the_clients_name(tmp_path, la, make_client, call):
    register(tmp_path, la)
    _, token = make_client(["matching:read"], name="Council MIS")

    api_output(call, token, QUERIES[:2])

    event = AuditEvent.objects.get(actor_label="Council MIS", action=Action.EXPORT)
    assert (event.changes["queries"], event.reason) == (2, "match_people")


def test_an_empty_or_oversized_list_is_refused_with_the_field(la, make_client, call):
    _, token = make_client(["matching:read"])

    empty = call("post", MATCHES, token, {"people": []})
    huge = call("post", MATCHES, token, {"people": [{"query_id": str(n)} for n in range(501)]})

    assert empty.status_code == huge.status_code == 422
    assert empty.json()["errors"][0]["field"] == "people"
