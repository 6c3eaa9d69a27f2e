from django.utils import timezone

from episodes.models import ClosureReason, EpisodeNeed, Status
from notifications.models import Notification
from tests.journey import move_to_plan


def test_closing_records_the_reason_and_each_needs_outcome(client_for, involved, episode):
    attendance = EpisodeNeed.objects.create(episode=episode, need="attendance")
    housing = EpisodeNeed.objects.create(episode=episode, need="housing")
    move_to_plan(involved, episode, involved)
    client = client_for(involved)

    missing = client.post(
        f"/cases/{episode.pk}/close/", {"reason": "needs_met", f"need_{attendance.pk}": "achieved"}
    )
    assert missing.context["form"].errors == {
        f"need_{housing.pk}": ["Say whether the need 'Housing' was met"]
    }
    client.post(
        f"/cases/{episode.pk}/close/",
        {
            "reason": "needs_met",
            f"need_{attendance.pk}": "achieved",
            f"need_{attendance.pk}_evidence_type": "attendance",
            f"need_{attendance.pk}_evidence": "Attendance back to 96%.",
            f"need_{attendance.pk}_date-day": str(timezone.localdate().day),
            f"need_{attendance.pk}_date-month": str(timezone.localdate().month),
            f"need_{attendance.pk}_date-year": str(timezone.localdate().year),
            f"need_{housing.pk}": "partly",
            "summary": "Attendance back to 96%.",
        },
    )
    episode.refresh_from_db()
    assert (episode.status, episode.closure_reason, episode.closure_advice) == (
        Status.CLOSED,
        ClosureReason.NEEDS_MET,
        "Attendance back to 96%.",
    )
    assert list(episode.needs.values_list("need", "outcome")) == [
        ("attendance", "achieved"),
        ("housing", "partly"),
    ]
    assert list(Notification.objects.values_list("message", flat=True)) == ["The case has closed"]


def test_closing_without_a_reason_is_explained(client_for, involved, episode):
    response = client_for(involved).post(f"/cases/{episode.pk}/close/", {})
    assert response.context["form"].errors == {"reason": ["Choose why early help is closing"]}


def test_a_closed_case_cannot_be_closed_again(client_for, involved, episode):
    episode.status = Status.CLOSED
    episode.closure_reason = ClosureReason.MOVED_AWAY
    episode.save()
    response = client_for(involved).post(f"/cases/{episode.pk}/close/", {"reason": "needs_met"})
    assert response.context["form"].non_field_errors() == [
        "You cannot close the case while the case is 'Closed'"
    ]
