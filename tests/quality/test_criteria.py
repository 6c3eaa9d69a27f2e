"""The council's criteria: the defaults on first use, and the administrator's
and managers' list to add, rename and retire, for their own council only."""

from quality import services
from quality.models import DEFAULT_CRITERIA, Criterion
from tests.factories import LocalAuthorityFactory


def test_a_council_starts_with_the_default_criteria_once(la):
    services.ensure_default_criteria(la)
    services.ensure_default_criteria(la)
    assert list(Criterion.objects.filter(local_authority=la).values_list("text", flat=True)) == [
        str(text) for text in DEFAULT_CRITERIA
    ]


def test_the_administrator_adds_renames_and_retires(client_for, la_admin, la):
    client = client_for(la_admin)
    assert client.get("/quality/criteria/").status_code == 200
    client.post("/quality/criteria/", {"text": "  The family's  feedback is asked for "})
    added = Criterion.objects.get(text="The family's feedback is asked for")
    client.post(f"/quality/criteria/{added.pk}/", {"text": "Feedback is asked for"})
    client.post(f"/quality/criteria/{added.pk}/retire/")

    added.refresh_from_db()
    assert (added.text, added.is_retired, added.position) == ("Feedback is asked for", True, 7)
    assert "Feedback is asked for" not in [c.text for c in services.active_criteria(la)]


def test_practitioners_and_officers_do_not_change_criteria(client_for, involved, eho):
    assert client_for(involved).get("/quality/criteria/").status_code == 403
    assert client_for(eho).post("/quality/criteria/", {"text": "Mine"}).status_code == 403
    assert not Criterion.objects.filter(text="Mine").exists()


def test_another_councils_criterion_is_not_found(client_for, manager):
    elsewhere = LocalAuthorityFactory(slug="yonder", name="Yonder Council")
    services.ensure_default_criteria(elsewhere)
    theirs = Criterion.objects.filter(local_authority=elsewhere).first()
    client = client_for(manager)
    assert client.get(f"/quality/criteria/{theirs.pk}/").status_code == 404
    assert client.post(f"/quality/criteria/{theirs.pk}/retire/").status_code == 404
