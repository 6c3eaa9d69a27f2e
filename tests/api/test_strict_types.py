"""Every value of a request body must have the JSON type the API's document
gives it (api/strict.py): a number where text is expected, text where a
number or true-or-false is, is refused field by field, never quietly
converted."""

import importlib
import re
from pathlib import Path

import pytest
from rest_framework import serializers

from api.strict import InputSerializer, type_problems

API = Path(__file__).resolve().parents[2] / "api"
# One value of each JSON type.
VALUES = {
    "text": "5",
    "number": 5,
    "fraction": 5.5,
    "true or false": True,
    "list": ["5"],
    "object": {"five": 5},
}
# The JSON types each kind of field takes.
TAKES = {
    serializers.BooleanField: {"true or false"},
    serializers.IntegerField: {"number"},
    serializers.ListField: {"list"},
    serializers.CharField: {"text"},
    serializers.DateField: {"text"},
    serializers.DateTimeField: {"text"},
    serializers.ChoiceField: {"text"},
}


def _input_serializers():
    """Every serializer a view fills from a request body, found in the source."""
    found = {}
    for path in sorted(API.glob("*.py")):
        module = importlib.import_module(f"api.{path.stem}")
        for name in re.findall(r"(\w+)\(data=request\.data", path.read_text()):
            found[name] = getattr(module, name)
    return found


def _fields(serializer_class):
    """(serializer, field name, field) of the class and of the objects it holds."""
    for name, field in serializer_class().fields.items():
        yield serializer_class.__name__, name, field
        inner = field.child if isinstance(field, serializers.ListField) else field
        if isinstance(inner, serializers.Serializer):
            yield from _fields(type(inner))


def test_every_request_body_is_read_by_an_input_serializer():
    found = _input_serializers()
    assert {"MatchRequestSerializer", "RequestInSerializer", "ProgressSerializer"} <= set(found)
    assert [name for name, cls in found.items() if not issubclass(cls, InputSerializer)] == []


@pytest.mark.parametrize(
    ("owner", "name", "field"),
    [field for cls in _input_serializers().values() for field in _fields(cls)],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_each_field_takes_its_own_json_type_and_refuses_the_others(owner, name, field):
    kind = next(kind for kind in TAKES if isinstance(field, kind))
    for sent, value in VALUES.items():
        problems = type_problems(field, value)
        if sent in TAKES[kind]:
            assert not any(isinstance(p, str) and p.startswith("Send ") for p in problems), (
                f"{owner}.{name} refused {sent}"
            )
        else:
            assert problems and problems[0].startswith("Send "), f"{owner}.{name} took {sent}"


def test_a_list_names_the_item_of_the_wrong_type():
    field = serializers.ListField(child=serializers.CharField())
    assert type_problems(field, ["a", 2, "c"]) == {
        1: ["Send text (a JSON string, in quotes), not a number"]
    }


def test_a_number_for_the_sex_of_someone_to_match_is_refused(la, make_client, call):
    _, token = make_client(["matching:read"])
    response = call(
        "post",
        "/api/v1/matches/",
        token,
        {"people": [{"query_id": "q1", "last_name": "Lovegood", "sex": 228696}]},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "people[0].sex", "detail": "Send text (a JSON string, in quotes), not a number"}
    ]


def test_text_for_a_district_id_and_yes_for_true_are_refused_together(la, make_client, call):
    _, token = make_client()
    response = call(
        "post",
        "/api/v1/requests/",
        token,
        {
            "district_id": "1",
            "source": "professional",
            "family_name": "Lovegood",
            "worries": "Attendance",
            "needs": ["attendance"],
            "people": [
                {"relationship": "child", "first_name": "A", "last_name": "B", "has_send": "yes"}
            ],
        },
    )
    assert response.status_code == 422
    fields = {error["field"]: error["detail"] for error in response.json()["errors"]}
    # Every mistake at once, the nested ones too.
    assert fields == {
        "district_id": "Send a whole number (not in quotes), not text",
        "people[0].has_send": "Send true or false (not in quotes), not text",
    }


@pytest.mark.parametrize(
    ("owner", "name", "field"),
    [
        field
        for cls in _input_serializers().values()
        for field in _fields(cls)
        if isinstance(field[2], serializers.CharField) and field[2].max_length is not None
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_text_longer_than_the_document_allows_is_refused_before_trimming(owner, name, field):
    """The document's maxLength counts every character sent; the field trims
    white space (U+0085 too) first. One character over, with white space to
    trim, is still one over."""
    at_most = field.max_length
    assert type_problems(field, "x" * at_most) == [], f"{owner}.{name}"
    for over in ("\x85" + "x" * at_most, " " + "x" * at_most, "x" * (at_most + 1)):
        assert type_problems(field, over) == [
            f"Ensure this field has no more than {at_most} characters."
        ], f"{owner}.{name}"


def test_a_date_of_birth_over_its_length_with_white_space_is_refused(la, make_client, call):
    _, token = make_client(["matching:read"])
    sent = "\x85Ò" + "*" * 99
    response = call(
        "post",
        "/api/v1/matches/",
        token,
        {"people": [{"query_id": "q1", "last_name": "Lovegood", "date_of_birth": sent}]},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "people[0].date_of_birth",
            "detail": "Ensure this field has no more than 100 characters.",
        }
    ]
