"""Council separation by construction (core/councils.py): while a council's
user is served, a record of another council cannot be loaded, whoever forgot
to filter."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from accounts.models import District, Organisation, User
from core import councils
from episodes.models import Episode
from people.models import Family, Person


def test_every_model_with_a_council_is_guarded_without_being_listed():
    owned = set(councils.council_owned_models())
    assert {Episode, Person, Family, Organisation, District, User} <= owned
    assert all(model._meta.get_field("local_authority") for model in owned)


def test_a_query_that_forgets_the_council_finds_only_the_councils_records(
    episode, other_la_manager
):
    """Case tables are scoped: their default and base managers filter by the
    council served, so the forgotten filter is added, not just caught."""
    with councils.scope(other_la_manager.local_authority_id):
        with pytest.raises(Episode.DoesNotExist):
            Episode.objects.get(pk=episode.pk)
        assert list(Episode.objects.all()) == []
        assert list(Person.objects.filter(pk__in=episode.children.all())) == []
    # Outside a council's scope (a command across councils) it loads.
    assert Episode.objects.get(pk=episode.pk) == episode


def test_a_record_the_scope_cannot_filter_still_fails_while_a_council_is_served(
    episode, other_la_manager
):
    """Raw SQL on a case table, and the council registry tables (users,
    districts, organisations, which are not scoped), are still guarded."""
    with councils.scope(other_la_manager.local_authority_id):
        with pytest.raises(councils.CrossCouncilRecord, match="forgot to limit"):
            list(Episode.objects.raw("SELECT * FROM episodes_episode"))
        with pytest.raises(councils.CrossCouncilRecord):
            District.objects.get(pk=episode.district_id)


def test_every_council_owned_model_but_the_registry_is_scoped():
    # The outward codes each council serves: read by the public ask-for-help
    # page to find the council, before any council is served.
    registry = {
        "accounts.User",
        "accounts.District",
        "accounts.Organisation",
        "families.PostcodeDistrict",
    }
    unscoped = {m._meta.label for m in councils.council_owned_models()} - {
        m._meta.label for m in councils.scoped_models()
    }
    # Its retention rule, its own audit chain, and the outbox the email sweep
    # reads across councils.
    assert unscoped == registry | {
        "privacy.RetentionRule",
        "audit.AuditEvent",
        "notifications.OutgoingEmail",
    }
    for model in councils.scoped_models():
        assert model._base_manager is model._default_manager, model


def test_a_deliberate_read_across_councils_says_so(episode, other_la_manager):
    with councils.scope(other_la_manager.local_authority_id), councils.across_councils():
        assert Episode.objects.get(pk=episode.pk) == episode


def test_in_production_the_request_is_refused_and_logged(
    episode, other_la_manager, settings, caplog
):
    settings.COUNCIL_GUARD = "deny"
    with councils.scope(other_la_manager.local_authority_id), pytest.raises(PermissionDenied):
        District.objects.get(pk=episode.district_id)
    assert "forgot to limit itself to the council" in caplog.text


def test_each_signed_in_request_is_served_in_its_councils_scope(episode, other_la_manager):
    seen = {}

    def careless_view(request):
        seen["council"] = councils.current()
        District.objects.get(pk=episode.district_id)  # forgot the council
        return HttpResponse()

    request = RequestFactory().get("/")
    request.user = other_la_manager
    middleware = councils.CouncilScopeMiddleware(careless_view)
    with pytest.raises(councils.CrossCouncilRecord):
        middleware(request)
    assert seen["council"] == other_la_manager.local_authority_id
    assert councils.current() is None  # the scope ends with the request


def test_a_case_of_another_council_is_a_404_not_a_leak(client_for, episode, other_la_manager):
    """The policy's own lookup is limited to the council: the guard never fires
    on the ordinary way of opening a case."""
    response = client_for(other_la_manager).get(f"/cases/{episode.pk}/")
    assert response.status_code == 404


def test_an_invitation_link_opens_whoever_is_signed_in(client_for, other_la_manager, la):
    """The token in the link, not the session, says whose invitation it is."""
    from accounts.services import invitation_link
    from tests.factories import UserFactory

    invited = UserFactory(local_authority=la, email="invited@test.example")
    invited.set_unusable_password()
    invited.save()
    response = client_for(other_la_manager).get(invitation_link(invited))
    assert response.status_code == 200
    assert response.context["invited"] == invited


def test_a_command_for_one_council_runs_in_its_scope(other_la, monkeypatch):
    """`--la` commands (import_people, match_people, find_duplicates,
    rebuild_match_index, apply_retention) are served like a request: a query
    in them that forgets the council fails."""
    from django.core.management import call_command

    from matching.management.commands import find_duplicates

    seen = {}

    def handle(self, **options):
        seen["council"] = councils.current()

    monkeypatch.setattr(find_duplicates.Command, "handle", handle)
    call_command("find_duplicates", la=other_la.slug)
    assert seen["council"] == other_la.pk
    assert councils.current() is None
