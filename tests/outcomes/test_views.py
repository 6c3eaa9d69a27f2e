"""The claim page and its download (managers only, audited), the check pages,
and the command line's claim."""

import csv
import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from audit.models import Action, AuditEvent
from outcomes.models import SustainmentCheck
from tests.outcomes.families import family

PERIOD = {
    "start-day": "1",
    "start-month": "9",
    "start-year": "2026",
    "end-day": "30",
    "end-month": "9",
    "end-year": "2026",
}


@pytest.fixture
def claimable(la, district, school, involved):
    return family(la, district, school, involved)


def test_a_manager_sees_the_claimable_family_and_the_count(client_for, manager, claimable):
    response = client_for(manager).get("/outcomes/claim/", PERIOD)
    assert response.status_code == 200
    report = response.context["report"]
    assert [claim.reference for claim in report.families] == [claimable.reference]
    assert report.families_worked_with == 0  # closed before September
    assert claimable.reference.encode() in response.content


def test_the_period_form_explains_bad_dates(client_for, manager):
    response = client_for(manager).get(
        "/outcomes/claim/",
        # An end year in range (only the start is wrong), whatever the year now.
        {**PERIOD, "start-day": "٣", "end-year": str(timezone.localdate().year - 1)},
    )
    assert response.context["report"] is None
    assert response.context["form"].errors == {
        "start": ["From must be a real date, written in numbers"],
    }
    response = client_for(manager).get("/outcomes/claim/", {**PERIOD, "end-month": "8"})
    assert response.context["form"].errors == {
        "end": ["The last day must be the same as or after the first day"]
    }
    assert b"govuk-error-summary" in response.content


@pytest.mark.parametrize("persona", ["involved", "eho", "la_admin"])
def test_only_managers_see_the_claim(client_for, persona, request):
    user = request.getfixturevalue(persona)
    assert client_for(user).get("/outcomes/claim/", PERIOD).status_code == 403
    assert client_for(user).get("/outcomes/claim/download/", PERIOD).status_code == 403


def test_another_councils_manager_sees_none_of_this_councils_families(
    client_for, other_la_manager, claimable
):
    response = client_for(other_la_manager).get("/outcomes/claim/", PERIOD)
    assert response.context["report"].families == []


def test_the_download_is_audited_as_an_export(client_for, manager, claimable):
    response = client_for(manager).get("/outcomes/claim/download/", PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:2] == ["Case reference", "Family"]
    assert [(row[0], row[9]) for row in rows[1:]] == [
        (claimable.reference, "Education and school attendance"),
        (claimable.reference, "Adult mental health"),
        (claimable.reference, "Housing"),
    ]
    exports = AuditEvent.objects.filter(action=Action.EXPORT)
    assert [(e.actor_id, e.changes["report"], e.changes["families"]) for e in exports] == [
        (manager.pk, "supporting_families_claim", 1)
    ]


def test_the_command_writes_the_same_rows_and_is_audited(
    client_for, manager, claimable, tmp_path, la
):
    out = tmp_path / "claim.csv"
    call_command(
        "supporting_families_claim",
        "--la",
        la.slug,
        "--from",
        "2026-09-01",
        "--to",
        "2026-09-30",
        "--out",
        str(out),
    )
    web = client_for(manager).get("/outcomes/claim/download/", PERIOD)
    assert out.read_bytes() == web.content
    labels = list(
        AuditEvent.objects.filter(action=Action.EXPORT)
        .order_by("pk")
        .values_list("actor_label", flat=True)
    )
    assert labels[0] == "command line: supporting_families_claim"


def test_the_command_explains_a_bad_date(la, tmp_path):
    with pytest.raises(CommandError, match="is not a date"):
        call_command(
            "supporting_families_claim",
            "--la",
            la.slug,
            "--from",
            "2026-02-30",
            "--to",
            "2026-09-30",
            "--out",
            str(tmp_path / "x.csv"),
        )


def test_the_check_pages_list_and_record(client_for, la, involved, claimable):
    SustainmentCheck.objects.filter(episode=claimable).update(
        sustained=None, evidence="", evidence_type="", checked_on=None
    )
    client = client_for(involved)
    listing = client.get("/outcomes/checks/")
    assert [episode.pk for episode, _items, _due in listing.context["cases"]] == [claimable.pk]
    checks = list(SustainmentCheck.objects.filter(episode=claimable).order_by("pk"))
    refused = client.post(f"/outcomes/checks/{claimable.pk}/", {})
    assert refused.context["form"].errors[f"check_{checks[0].pk}"] == [
        "Say whether 'Education and school attendance' was sustained"
    ]
    data = {}
    for check in checks:
        data.update(
            {
                f"check_{check.pk}": "yes",
                f"check_{check.pk}_evidence_type": "tenancy",
                f"check_{check.pk}_evidence": "Still housed.",
                f"check_{check.pk}_date-day": "10",
                f"check_{check.pk}_date-month": "9",
                f"check_{check.pk}_date-year": "2026",
            }
        )
    assert client.post(f"/outcomes/checks/{claimable.pk}/", data).status_code == 302
    assert set(SustainmentCheck.objects.values_list("sustained", "checked_on")) == {
        (True, datetime.date(2026, 9, 10))
    }
    assert client.get("/outcomes/checks/").context["cases"] == []


def test_someone_else_cannot_open_the_check(client_for, other_org, claimable):
    assert client_for(other_org).get(f"/outcomes/checks/{claimable.pk}/").status_code == 404


def _checks_page_queries(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/outcomes/checks/")
    return len(response.context["cases"]), len(queries)


def test_the_checks_page_takes_as_many_queries_for_three_cases_as_for_one(
    client_for, la, district, school, involved
):
    def owed(name):
        episode = family(la, district, school, involved, name=name)
        SustainmentCheck.objects.filter(episode=episode).update(sustained=None)

    client = client_for(involved)
    owed("Onefamily")
    client.get("/outcomes/checks/")
    one = _checks_page_queries(client)
    owed("Twofamily")
    owed("Threefamily")
    three = _checks_page_queries(client)
    assert (one[0], three[0]) == (1, 3)
    assert one[1] == three[1]


def test_the_checks_owed_and_the_claim_are_shown_a_page_at_a_time(
    client_for, monkeypatch, la, district, school, involved, manager
):
    """Checks nobody answers stay owed and a claim's period may be years:
    both lists have pages, and moving through the claim keeps its period."""
    from outcomes import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    episodes = [family(la, district, school, involved, name=f"Family{n}") for n in range(3)]
    SustainmentCheck.objects.update(sustained=None)
    client = client_for(involved)

    first = client.get("/outcomes/checks/")
    second = client.get("/outcomes/checks/", {"page": "2"})
    shown = [episode.pk for page in (first, second) for episode, _i, _d in page.context["cases"]]
    assert sorted(shown) == sorted(episode.pk for episode in episodes)
    assert len(first.context["cases"]) == 2 and 'href="?page=2"' in first.content.decode()

    SustainmentCheck.objects.update(sustained=True, checked_on=datetime.date(2026, 9, 10))
    claim = client_for(manager).get("/outcomes/claim/", PERIOD)
    assert len(claim.context["report"].families) == 3  # every family counted
    assert len(claim.context["families"].object_list) == 2
    html = claim.content.decode()
    assert "start-day=1&amp;start-month=9" in html and "page=2" in html
    rest = client_for(manager).get("/outcomes/claim/", {**PERIOD, "page": "2"})
    assert len(rest.context["families"].object_list) == 1
