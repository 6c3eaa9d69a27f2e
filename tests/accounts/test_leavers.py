"""A leaver's open cases: the administrator who deactivates the account sees
how many, never which; the district's Early Help Officer and the council's
managers are sent the list to reallocate."""

from django.core import mail

from accounts.models import Role
from episodes.models import ClosureReason, Episode
from notifications.models import Notification
from tests.factories import DistrictFactory, EpisodeFactory, UserFactory


def test_deactivating_a_leaver_sends_their_open_cases_to_those_who_reallocate(
    client_for,
    la,
    la_admin,
    involved,
    episode,
    eho,
    other_eho,
    manager,
    school,
    django_capture_on_commit_callbacks,
):
    far = DistrictFactory(local_authority=la, name="Far Away", early_help_officer=other_eho)
    elsewhere = EpisodeFactory(
        local_authority=la, district=far, requesting_organisation=school, requested_by=involved
    )
    closed = EpisodeFactory(
        local_authority=la, district=far, requesting_organisation=school, requested_by=involved
    )
    Episode.objects.filter(pk__in=[episode.pk, elsewhere.pk, closed.pk]).update(
        lead_professional=involved
    )
    Episode.objects.filter(pk=closed.pk).update(
        status="closed", closure_reason=ClosureReason.NEEDS_MET
    )
    UserFactory(local_authority=la, roles=[Role.EARLY_HELP_MANAGER], is_active=False)
    client = client_for(la_admin)
    page = client.get(f"/accounts/users/{involved.pk}/deactivate/").content.decode()
    assert "They lead 2 open cases, which need a new lead professional." in page
    for case in (episode, elsewhere):
        assert case.reference not in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/accounts/users/{involved.pk}/deactivate/", {"reason": "Left"})

    message = f"{involved.full_name} has left: choose a new lead professional"
    updates = sorted(Notification.objects.values_list("user__email", "episode_id", "message"))
    assert updates == sorted(
        [
            ("eho@test.example", episode.pk, message),
            ("manager@test.example", episode.pk, message),
            ("other-eho@test.example", elsewhere.pk, message),
            ("manager@test.example", elsewhere.pk, message),
        ]
    )
    emails = {email.to[0]: email for email in mail.outbox}
    assert sorted(emails) == ["eho@test.example", "manager@test.example", "other-eho@test.example"]
    assert emails["manager@test.example"].subject == f"Early Help: {message}"
    assert emails["manager@test.example"].body == (
        f"{message}\n\n{episode.reference}\n{elsewhere.reference}\n\n"
        "Sign in to Early Help to see the cases.\n"
    )
    assert emails["eho@test.example"].body == (
        f"{message}\n\n{episode.reference}\n\nSign in to Early Help to see the cases.\n"
    )
    assert [email.to for email in mail.outbox if la_admin.email in email.to] == []


def test_a_leaver_with_no_open_cases_sends_nothing(
    client_for, la_admin, involved, manager, django_capture_on_commit_callbacks
):
    client = client_for(la_admin)
    assert "They lead no open cases." in (
        client.get(f"/accounts/users/{involved.pk}/deactivate/").content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/accounts/users/{involved.pk}/deactivate/", {"reason": "Left"})

    assert (Notification.objects.count(), mail.outbox) == (0, [])
