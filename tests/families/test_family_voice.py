"""The family's voice and their plan online: one-time links (expiry, single
use, revocation, one page for every link that does not work), the answers
seen only by those the policy names, the plan page showing nothing
restricted, each visit audited. Synthetic people throughout."""

import datetime

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from accounts.models import Role
from assessments.models import ScalingScore, Scorer
from audit.models import AuditEvent
from core import policy
from episodes.models import Status
from families import links, services
from families.models import FamilyLink, Feedback, FeedbackVersion, LinkPurpose, Moment
from notifications.models import OutgoingEmail
from people.models import FamilyMember, Relationship, RestrictableField, Restriction
from plans.models import Action, Goal, Plan
from reviews.models import Review
from tests.factories import (
    DistrictFactory,
    EpisodeFactory,
    LocalAuthorityFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)
from tests.journey_factories import years_ago
from tests.two_factor import sign_in_verified


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


class Case:
    def __init__(self):
        self.la = LocalAuthorityFactory()
        la = self.la
        self.eho = UserFactory(local_authority=la, roles=[Role.EARLY_HELP_OFFICER])
        self.other_eho = UserFactory(local_authority=la, roles=[Role.EARLY_HELP_OFFICER])
        self.manager = UserFactory(local_authority=la, roles=[Role.EARLY_HELP_MANAGER])
        self.school = OrganisationFactory(local_authority=la)
        self.lead = UserFactory(
            local_authority=la, full_name="Lead Worker", organisation=self.school
        )
        self.requester = UserFactory(local_authority=la, organisation=self.school)
        self.outsider = UserFactory(local_authority=la)
        district = DistrictFactory(local_authority=la, early_help_officer=self.eho)
        # Ten, whatever the year: under the age a child gets the plan online.
        self.child = PersonFactory(
            local_authority=la, first_name="Kit", last_name="Sample", date_of_birth=years_ago(10)
        )
        self.episode = EpisodeFactory(
            local_authority=la,
            district=district,
            requesting_organisation=self.school,
            requested_by=self.requester,
            lead_professional=self.lead,
            status=Status.PLAN,
            plan_agreed_at=timezone.now() - datetime.timedelta(days=20),
            child=self.child,
        )
        self.parent = PersonFactory(
            local_authority=la,
            first_name="Ana",
            last_name="Sample",
            date_of_birth=datetime.date(1988, 3, 2),
            preferred_language="pl",
            address_line_1="1 Synthetic Row",
            postcode="ZX1 1AA",
        )
        FamilyMember.objects.create(
            family=self.episode.family, person=self.parent, relationship=Relationship.PARENT
        )
        self.plan = Plan.objects.create(episode=self.episode, number=1, agreed_by=self.lead)
        goal = Goal.objects.create(
            plan=self.plan, text="Calm mornings at 1 Synthetic Row", lead_organisation=self.school
        )
        Action.objects.create(
            goal=goal,
            what="Breakfast club three days a week",
            organisation=self.school,
            worker=self.lead,
            due_by=datetime.date(2026, 12, 1),
            success_measure="On time",
        )
        self.review = Review.objects.create(
            episode=self.episode,
            plan=self.plan,
            held_on=timezone.localdate() - datetime.timedelta(days=3),
            family_views="Synthetic.",
            engagement="fully",
            decision="continue",
            recorded_by=self.lead,
        )
        ScalingScore.objects.create(review=self.review, scorer=Scorer.PRACTITIONER, score=6)
        ScalingScore.objects.create(
            review=self.review, scorer=Scorer.PARENT, person=self.parent, score=8
        )


@pytest.fixture
def case(db):
    return Case()


ANSWERS = {"listened": "5", "better": "2", "ask_again": "4", "comments": "Synthetic: kind"}


def _close(episode):
    episode.status = Status.CLOSED
    episode.closure_reason = "needs_met"
    episode.closed_at = timezone.now()
    episode.save()


def test_a_feedback_link_is_in_the_person_language_and_works_once(client, case):
    issued = services.issue_feedback_link(case.lead, case.episode, case.parent, review=case.review)
    assert issued.url.startswith("/pl/feedback/")
    page = client.get(issued.url)
    assert page.status_code == 200
    assert 'lang="pl"' in page.content.decode()
    assert page.headers["Referrer-Policy"] == "same-origin"
    # Nothing but the questions: no name, no reference, no language links.
    for private in ("Sample", case.episode.reference, "ask-for-help"):
        assert private not in page.content.decode()
    sent = client.post(issued.url, ANSWERS)
    assert sent.status_code == 302 and sent.url == "/pl/feedback/thank-you/"
    feedback = Feedback.objects.get()
    assert (feedback.listened, feedback.better, feedback.ask_again) == (5, 2, 4)
    assert (feedback.person, feedback.review, feedback.moment) == (
        case.parent,
        case.review,
        Moment.REVIEW,
    )
    assert feedback.version == FeedbackVersion.ADULT and not feedback.on_paper
    assert client.get(sent.url).status_code == 200
    again = client.post(issued.url, ANSWERS)
    assert again.status_code == 404
    assert Feedback.objects.count() == 1


def test_the_token_is_kept_only_as_its_hash(case):
    issued = services.issue_feedback_link(case.lead, case.episode, case.parent, review=case.review)
    token = issued.url.rstrip("/").rsplit("/", 1)[1]
    link = FamilyLink.objects.get()
    assert link.token_hash == links.hash_token(token) and token not in link.token_hash
    assert links.usable(token, LinkPurpose.FEEDBACK) == link
    assert links.usable(token, LinkPurpose.PLAN) is None  # a feedback link opens no plan


def test_expired_used_revoked_and_unknown_links_show_one_and_the_same_page(client, case):
    def issue():
        return services.issue_feedback_link(
            case.lead, case.episode, case.parent, review=case.review
        )

    expired, used, revoked = issue(), issue(), issue()
    FamilyLink.objects.filter(pk=expired.link.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert client.post(used.url, ANSWERS).status_code == 302
    services.revoke_link(case.lead, revoked.link)
    pages = [
        client.get(url)
        for url in (expired.url, used.url, revoked.url, "/pl/feedback/not-a-real-token/")
    ]
    assert [page.status_code for page in pages] == [404] * 4
    bodies = {page.content.decode().replace(page.wsgi_request.path, "") for page in pages}
    assert len(bodies) == 1
    assert "Ten link nie działa" in bodies.pop()  # "This link does not work", in Polish


def test_a_link_expires_after_14_days(case):
    issued = services.issue_feedback_link(case.lead, case.episode, case.parent, review=case.review)
    lifetime = issued.link.expires_at - issued.link.created_at
    assert round(lifetime.total_seconds() / 86400) == 14


def test_a_child_gets_the_simpler_questions_with_words_beside_faces(client, case):
    issued = services.issue_feedback_link(case.lead, case.episode, case.child, review=case.review)
    page = client.get(issued.url.replace("/en/", "/en/")).content.decode()
    assert "Did the people helping you listen to you?" in page
    assert 'stroke-linecap="round"/></svg>Yes</label>' in page
    client.post(issued.url, {"listened": "yes", "better": "a_bit", "ask_again": "no"})
    feedback = Feedback.objects.get()
    assert feedback.version == FeedbackVersion.CHILD
    assert (feedback.listened, feedback.better, feedback.ask_again) == (5, 3, 1)


@pytest.mark.parametrize(
    "posted",
    [
        {},
        {"listened": "6"},
        {"listened": "٥"},
        {"listened": "yes"},
        {"comments": "x" * 5001},
        {"listened": ["5", "1"], "comments": "\x00"},
    ],
)
def test_hostile_or_empty_answers_keep_nothing_and_leave_the_link_usable(client, case, posted):
    issued = services.issue_feedback_link(case.lead, case.episode, case.parent, review=case.review)
    response = client.post(issued.url, posted)
    assert response.status_code == 200
    assert Feedback.objects.count() == 0
    assert FamilyLink.objects.get().used_at is None


def test_link_pages_are_rate_limited_per_client(client, case):
    with override_settings(FAMILY_LINK_VISITS_PER_HOUR=2):
        assert client.get("/en/feedback/guess-1/").status_code == 404
        assert client.get("/en/your-plan/guess-2/").status_code == 404
        limited = client.get("/en/feedback/guess-3/")
    assert limited.status_code == 429
    assert "Please try again later" in limited.content.decode()


def test_feedback_at_closure_waits_for_the_closure(case):
    with pytest.raises(services.ValidationError):
        services.issue_feedback_link(case.lead, case.episode, case.parent)
    _close(case.episode)
    issued = services.issue_feedback_link(case.lead, case.episode, case.parent)
    assert (issued.link.moment, issued.link.review) == (Moment.CLOSURE, None)


def test_only_those_who_work_on_the_case_give_links(case):
    with pytest.raises(services.PermissionDenied):
        services.issue_feedback_link(case.outsider, case.episode, case.parent, review=case.review)
    stranger = PersonFactory(local_authority=case.la)
    with pytest.raises(services.ValidationError):
        services.issue_feedback_link(case.lead, case.episode, stranger, review=case.review)


def test_feedback_is_read_by_the_lead_the_district_eho_and_managers_only(case):
    feedback = services.record_paper_feedback(
        case.lead, case.episode, case.parent, ANSWERS, review=case.review
    )
    readers = {
        name
        for name in ("lead", "eho", "manager", "other_eho", "requester", "outsider")
        if policy.feedback_visible_to(getattr(case, name)).filter(pk=feedback.pk).exists()
    }
    assert readers == {"lead", "eho", "manager"}
    assert {
        name
        for name in ("lead", "eho", "manager", "other_eho", "requester", "outsider")
        if policy.can_see_feedback(getattr(case, name), case.episode)
    } == {"lead", "eho", "manager"}
    assert feedback.on_paper and feedback.recorded_by == case.lead


def test_the_case_page_shows_the_words_to_the_lead_and_not_to_the_rest_of_the_team(client, case):
    services.record_paper_feedback(
        case.lead, case.episode, case.parent, ANSWERS, review=case.review
    )
    url = f"/cases/{case.episode.pk}/family/"
    sign_in_verified(client, case.requester)
    team = client.get(url)
    assert team.status_code == 200 and "Synthetic: kind" not in team.content.decode()
    sign_in_verified(client, case.lead)
    assert "Synthetic: kind" in client.get(url).content.decode()


def test_the_worker_sees_the_link_once_and_it_is_emailed_in_the_person_language(client, case):
    sign_in_verified(client, case.lead)
    base = f"/cases/{case.episode.pk}/family/"
    response = client.post(
        base + "feedback-link/",
        {"when": str(case.review.pk), "person": str(case.parent.pk), "email": "ana@example.com"},
    )
    assert response.status_code == 302 and response.url == base + "link/"
    shown = client.get(base + "link/").content.decode()
    assert "http://testserver/pl/feedback/" in shown
    assert client.get(base + "link/").status_code == 302  # shown once
    email = OutgoingEmail.objects.get(recipients=["ana@example.com"])
    assert "http://testserver/pl/feedback/" in email.body
    assert "Sample" not in email.body and "Sample" not in email.subject
    assert email.subject != "Tell us what you think of early help"  # Polish


def test_no_email_to_a_person_whose_address_is_restricted(case):
    Restriction.objects.create(
        person=case.parent, field=RestrictableField.ADDRESS, reason="Synthetic", created_by=case.eho
    )
    with pytest.raises(services.ValidationError) as refused:
        services.issue_plan_link(case.lead, case.episode, case.parent, email="ana@example.com")
    assert "email" in refused.value.message_dict
    assert not OutgoingEmail.objects.exists()


def test_the_plan_page_shows_the_plan_and_scores_and_nothing_restricted(client, case):
    Restriction.objects.create(
        person=case.parent, field=RestrictableField.ADDRESS, reason="Synthetic", created_by=case.eho
    )
    issued = services.issue_plan_link(case.lead, case.episode, case.parent)
    assert issued.url.startswith("/pl/your-plan/")
    page = client.get(issued.url.replace("/pl/", "/en/"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Calm mornings at [restricted]" in text
    assert "Synthetic Row" not in text and "ZX1" not in text
    assert "Breakfast club three days a week" in text and "Lead Worker" in text
    assert "Ana Sample (Parent)" in text and "Kit Sample (Child)" in text
    assert "Your early help worker" in text and "8 / 10" in text and "6 / 10" in text
    assert "1 December 2026" in text
    assert text.index("Your early help worker</th>") < text.index("Ana Sample</th>")


def test_each_plan_visit_is_audited_and_a_revoked_link_stops(client, case):
    issued = services.issue_plan_link(case.lead, case.episode, case.parent)
    client.get(issued.url)
    client.get(issued.url)
    visits = AuditEvent.objects.filter(
        actor_label="a family member, through their plan link", object_id=str(issued.link.pk)
    )
    assert visits.count() == 2
    assert FamilyLink.objects.get().visits == 2
    services.revoke_link(case.lead, issued.link)
    assert client.get(issued.url).status_code == 404
    assert visits.count() == 2


def test_the_plan_page_stops_when_the_case_closes(client, case):
    issued = services.issue_plan_link(case.lead, case.episode, case.parent)
    _close(case.episode)
    assert client.get(issued.url).status_code == 404


def test_a_young_child_gets_no_plan_link(case):
    with pytest.raises(services.ValidationError):
        services.issue_plan_link(case.lead, case.episode, case.child)


def test_no_token_is_written_to_the_logs(client, case, caplog):
    issued = services.issue_feedback_link(case.lead, case.episode, case.parent, review=case.review)
    token = issued.url.rstrip("/").rsplit("/", 1)[1]
    with caplog.at_level("DEBUG"):
        client.get(issued.url)
        client.post(issued.url, ANSWERS)
        client.get(issued.url)
        client.get("/en/your-plan/" + token + "/")
    assert token not in caplog.text


@pytest.mark.parametrize("language", ["ar", "ps"])
def test_the_link_pages_read_right_to_left_in_arabic_and_pashto(client, case, language):
    case.parent.preferred_language = language
    case.parent.save()
    issued = services.issue_plan_link(case.lead, case.episode, case.parent)
    assert issued.url.startswith(f"/{language}/your-plan/")
    page = client.get(issued.url).content.decode()
    assert f'<html lang="{language}" dir="rtl"' in page
    assert '<span class="app-ltr">8 / 10</span>' in page


def test_a_child_s_paper_form_is_typed_in_on_the_five_point_scale(client, case):
    sign_in_verified(client, case.lead)
    url = f"/cases/{case.episode.pk}/family/feedback-on-paper/"
    assert (
        f'value="{case.review.pk}" checked'
        in client.get(f"{url}?review={case.review.pk}").content.decode()
    )
    response = client.post(
        url,
        {"when": str(case.review.pk), "person": str(case.child.pk), "listened": "5"},
    )
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert (feedback.version, feedback.listened, feedback.better) == (
        FeedbackVersion.CHILD,
        5,
        None,
    )
    audited = AuditEvent.objects.filter(object_id=str(feedback.pk), action="create")
    assert audited.count() == 1


def test_the_review_page_offers_to_ask_the_family(client, case):
    sign_in_verified(client, case.lead)
    page = client.get(f"/cases/{case.episode.pk}/reviews/{case.review.pk}/").content.decode()
    assert f"/cases/{case.episode.pk}/family/feedback-link/?review={case.review.pk}" in page


def test_the_plan_online_is_for_parents_carers_and_young_people(case):
    lodger = PersonFactory(local_authority=case.la, date_of_birth=datetime.date(1970, 1, 1))
    FamilyMember.objects.create(
        family=case.episode.family, person=lodger, relationship=Relationship.OTHER_ADULT
    )
    with pytest.raises(services.ValidationError):
        services.issue_plan_link(case.lead, case.episode, lodger)
    teenager = PersonFactory(local_authority=case.la, date_of_birth=datetime.date(2010, 1, 1))
    FamilyMember.objects.create(
        family=case.episode.family, person=teenager, relationship=Relationship.CHILD
    )
    assert services.issue_plan_link(case.lead, case.episode, teenager).link.person == teenager


def test_the_family_s_voice_page_s_queries_do_not_grow_with_its_lists(client, case):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sign_in_verified(client, case.lead)
    url = f"/cases/{case.episode.pk}/family/"
    client.get(url)  # the first page of a session reads more (the sign-in's checks)
    counts = []
    for _round in range(2):
        for _i in range(2):
            services.issue_plan_link(case.lead, case.episode, case.parent)
            services.record_paper_feedback(
                case.lead, case.episode, case.child, ANSWERS, review=case.review
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_family_s_voice_page_lists_links_and_feedback_a_page_at_a_time(
    client, case, monkeypatch
):
    """A link and an answer from each family member at each review of a
    case held for years: each list has its own pages, newest first."""
    from families import case_views

    monkeypatch.setattr(case_views, "PAGE_SIZE", 2)
    for _i in range(3):
        services.issue_plan_link(case.lead, case.episode, case.parent)
        services.record_paper_feedback(
            case.lead, case.episode, case.child, ANSWERS, review=case.review
        )
    sign_in_verified(client, case.lead)
    url = f"/cases/{case.episode.pk}/family/"

    first = client.get(url)
    assert (len(first.context["links"].object_list), first.context["links"].paginator.count) == (
        2,
        3,
    )
    assert len(first.context["feedback"].object_list) == 2
    html = first.content.decode()
    assert 'href="?links=2"' in html and 'href="?page=2"' in html
    both = client.get(url, {"links": "2", "page": "2"})
    assert len(both.context["links"].object_list) == 1
    assert len(both.context["feedback"].object_list) == 1
