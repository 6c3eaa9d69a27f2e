"""The judgement on refused consent: made once, kept with who and when, shown
where the case is read, and asked for again only when consent is refused again."""

from django.utils import timezone

from consent.models import RefusalJudgement
from consent.services import record_consent, record_refusal_judgement, refusals_awaiting_judgement
from episodes.chronology import chronology
from episodes.models import Status
from referrals.services import record_decision, step_up
from tests.consent.pages import page_text
from tests.journey import add_parent

REASONING = "Attendance is falling each week and there is no food at home."


def refuse(actor, episode, parent):
    return record_consent(
        actor,
        episode,
        person=parent,
        purpose="assessment",
        given=False,
        method="phone",
        given_on=timezone.localdate(),
    )


def judge_and_step_up(client, episode, involved, eho):
    """Refused, judged to escalate, stepped up, and not accepted by social care."""
    parent = add_parent(episode)
    refuse(involved, episode, parent)
    response = client.post(
        f"/cases/{episode.pk}/consent/judgement/", {"escalates": "yes", "reasoning": REASONING}
    )
    assert response["Location"] == f"/cases/{episode.pk}/referrals/step-up/"
    referral = step_up(involved, episode, concern="Hungry at school again")
    record_decision(eho, referral, accepted=False, advice="Below threshold: carry on")
    episode.refresh_from_db()
    assert episode.status == Status.REQUESTED
    return parent


def test_a_judgement_is_not_asked_again_when_social_care_does_not_accept(
    client_for, involved, eho, episode
):
    client = client_for(involved)
    judge_and_step_up(client, episode, involved, eho)

    assert not refusals_awaiting_judgement(episode).exists()
    case_page = page_text(client.get(f"/cases/{episode.pk}/"))
    assert "Record your judgement" not in case_page
    consent_page = page_text(client.get(f"/cases/{episode.pk}/consent/"))
    assert "Record your judgement" not in consent_page
    judgement_page = client.get(f"/cases/{episode.pk}/consent/judgement/")
    assert "Save judgement" not in page_text(judgement_page)
    assert REASONING in page_text(judgement_page)


def test_consent_refused_again_after_the_judgement_asks_for_a_new_one(
    client_for, involved, eho, episode
):
    client = client_for(involved)
    parent = judge_and_step_up(client, episode, involved, eho)

    refuse(involved, episode, parent)

    assert refusals_awaiting_judgement(episode).count() == 1
    assert "Record your judgement" in page_text(client.get(f"/cases/{episode.pk}/"))
    judgement_page = page_text(client.get(f"/cases/{episode.pk}/consent/judgement/"))
    assert "Consent was refused again after the last judgement" in judgement_page
    assert "Save judgement" in judgement_page
    client.post(
        f"/cases/{episode.pk}/consent/judgement/",
        {"escalates": "no", "reasoning": "Things have settled", "advice": "Family centre"},
    )
    episode.refresh_from_db()
    assert episode.status == Status.CLOSED
    assert list(RefusalJudgement.objects.values_list("escalates", "recorded_by")) == [
        (True, involved.pk),
        (False, involved.pk),
    ]


def test_the_judgement_is_shown_on_the_case_page_the_consent_page_and_the_chronology(
    client_for, involved, eho, episode
):
    client = client_for(involved)
    judge_and_step_up(client, episode, involved, eho)
    judgement = RefusalJudgement.objects.get()
    recorded = f"By {involved} on {timezone.localtime(judgement.recorded_at):%-d %B %Y, %H:%M}"

    for url in (f"/cases/{episode.pk}/", f"/cases/{episode.pk}/consent/"):
        text = page_text(client.get(url))
        assert "Judgement after consent was refused" in text
        assert (
            "Will the needs escalate without help? "
            "Yes: a referral to children's social care is needed"
        ) in text
        assert f"Reasoning {REASONING}" in text
        assert recorded in text

    [entry] = [e for e in chronology(episode) if e.title.startswith("Judgement")]
    assert (entry.title, entry.detail, entry.by) == (
        "Judgement after consent was refused: the needs will escalate without help",
        REASONING,
        str(involved),
    )


def test_a_judgement_is_asked_for_only_at_the_request_stage(involved, episode):
    parent = add_parent(episode)
    refuse(involved, episode, parent)
    assert refusals_awaiting_judgement(episode).count() == 1
    record_consent(
        involved,
        episode,
        person=add_parent(episode, first_name="Other"),
        purpose="assessment",
        given=True,
        method="phone",
        given_on=timezone.localdate(),
    )
    episode.refresh_from_db()
    assert (episode.status, refusals_awaiting_judgement(episode).exists()) == (
        Status.ASSESSMENT,
        False,
    )


def test_anonymising_the_family_erases_the_judgements_reasoning(involved, episode):
    from privacy.retention import ERASED, _anonymise_family

    parent = add_parent(episode)
    refuse(involved, episode, parent)
    record_refusal_judgement(
        involved, episode, escalates=False, reasoning=REASONING, advice="Family centre"
    )
    _anonymise_family(episode.family, erase=[])
    assert list(RefusalJudgement.objects.values_list("reasoning", "advice")) == [(ERASED, "")]
