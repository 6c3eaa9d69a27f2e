import datetime

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from audit.models import Action as AuditAction
from audit.models import AuditEvent
from core.forms import error_list
from plans.services import current_plan
from reviews import services
from reviews.models import Review
from tests.journey import render_case_section as case_section
from tests.journey_factories import plan_actions

TODAY = timezone.localdate()


def review_post(plan, child, decision="continue", **overrides):
    data = {
        "held_on-day": str(TODAY.day),
        "held_on-month": str(TODAY.month),
        "held_on-year": str(TODAY.year),
        "score_practitioner": "6",
        f"score_{child.pk}": "8",
        "family_views": "Mornings are calmer.",
        f"views_{child.pk}": "",
        "engagement": "partly",
        "decision": decision,
        "panel_concern": "",
        "notes": "",
    }
    for action in plan_actions(plan):
        data[f"progress-{action.pk}-status"] = "in_progress"
        data[f"progress-{action.pk}-note"] = ""
    data.update(overrides)
    return data


def record(actor, plan, child, decision="continue"):
    return services.record_review(
        actor,
        plan.episode,
        held_on=TODAY,
        # Each review makes a new version: progress is on the current one's actions.
        progress={a: {"status": "in_progress"} for a in plan_actions(current_plan(plan.episode))},
        scores={"score_practitioner": 5},
        family_views="Synthetic views",
        engagement="fully",
        decision=decision,
    )


@pytest.mark.parametrize("persona", ["other_org", "other_la_manager"])
def test_every_review_page_is_404_to_those_not_involved(
    request, client_for, planned, involved, child, persona
):
    saved = record(involved, planned, child)
    client = client_for(request.getfixturevalue(persona))
    base = f"/cases/{planned.episode_id}/reviews/"

    statuses = [client.get(url).status_code for url in (base, f"{base}new/", f"{base}{saved.pk}/")]
    post = client.post(f"{base}new/", review_post(planned, child)).status_code

    assert (statuses, post, Review.objects.count()) == ([404, 404, 404], 404, 1)


@pytest.mark.parametrize("count", [1, 3])
def test_review_list_queries_do_not_grow_with_the_reviews(
    client_for, involved, planned, child, count, django_assert_num_queries
):
    for _n in range(count):
        record(involved, planned, child)
    client = client_for(involved)
    url = f"/cases/{planned.episode_id}/reviews/"
    client.get(url)
    # session, user with its LA, OTP device, roles, organisations, the case, the
    # reviews with their plans and recorders, each child's views and the scores, may work on
    # it, the LA's interval
    # (the case's council is read with the case: one query fewer)
    with django_assert_num_queries(10):
        response = client.get(url)
    assert len(response.context["reviews"]) == count


def test_the_review_form_asks_about_every_action(client_for, involved, planned, child):
    form = client_for(involved).get(f"/cases/{planned.episode_id}/reviews/new/").context["form"]
    actions = plan_actions(planned)
    assert [row["action"] for row in form.progress_rows()] == actions
    assert [f.name for f in form.score_fields()] == ["score_practitioner"]
    assert [(row["views"].name, row["score"].name) for row in form.child_rows()] == [
        (f"views_{child.pk}", f"score_{child.pk}")
    ]


@pytest.mark.parametrize(
    ("held_on", "message"),
    [
        ({"held_on-month": "9" * 30}, "Date of the review must be a real date"),
        ({"held_on-day": "²"}, "Date of the review must be a real date, written in numbers"),
        (
            # On the 1st: today's day may not be in that year (29 February).
            {"held_on-year": str(TODAY.year - 6), "held_on-day": "1"},
            f"Date of the review must be between 1 January {TODAY.year - 5} and "
            f"31 December {TODAY.year + 5}",
        ),
    ],
)
def test_an_impossible_review_date_is_explained(
    client_for, involved, planned, child, held_on, message
):
    data = review_post(planned, child, **held_on)

    response = client_for(involved).post(f"/cases/{planned.episode_id}/reviews/new/", data)

    assert error_list(response.context["form"]) == [{"text": message, "href": "#id_held_on-day"}]
    assert Review.objects.count() == 0


def test_a_missing_progress_names_the_action(client_for, involved, planned, child):
    second = plan_actions(planned)[1]
    data = review_post(planned, child)
    del data[f"progress-{second.pk}-status"]

    response = client_for(involved).post(f"/cases/{planned.episode_id}/reviews/new/", data)

    assert error_list(response.context["form"]) == [
        {
            "text": f"Record progress on the action “{second.what}”",
            "href": f"#id_progress-{second.pk}-status",
        }
    ]
    assert Review.objects.count() == 0


def test_a_review_that_continues_the_plan(client_for, involved, planned, child):
    response = client_for(involved).post(
        f"/cases/{planned.episode_id}/reviews/new/", review_post(planned, child)
    )

    saved = Review.objects.get()
    assert response["Location"] == f"/cases/{planned.episode_id}/reviews/{saved.pk}/"
    assert (saved.engagement, [p.status for p in saved.progress.all()]) == (
        "partly",
        ["in_progress", "in_progress"],
    )


def test_amend_goes_on_to_change_the_plan(client_for, involved, planned, child):
    response = client_for(involved).post(
        f"/cases/{planned.episode_id}/reviews/new/", review_post(planned, child, "amend")
    )
    saved = Review.objects.get()
    assert response["Location"] == f"/cases/{planned.episode_id}/plan/change/?review={saved.pk}"


def test_step_up_goes_on_to_the_referral_page(client_for, involved, planned, child):
    response = client_for(involved).post(
        f"/cases/{planned.episode_id}/reviews/new/", review_post(planned, child, "step_up")
    )
    assert response["Location"] == f"/cases/{planned.episode_id}/referrals/step-up/"


def test_close_continues_on_the_closure_page(client_for, involved, planned, child):
    response = client_for(involved).post(
        f"/cases/{planned.episode_id}/reviews/new/", review_post(planned, child, "close")
    )
    # Closing continues on the closure page, which records each need's outcome.
    planned.episode.refresh_from_db()
    assert (response["Location"], planned.episode.status) == (
        f"/cases/{planned.episode_id}/close/",
        "plan",
    )


def test_panel_needs_the_concern(client_for, involved, planned, child):
    response = client_for(involved).post(
        f"/cases/{planned.episode_id}/reviews/new/", review_post(planned, child, "panel")
    )
    assert error_list(response.context["form"]) == [
        {
            "text": "Say why the case is being referred to the panel",
            "href": "#id_panel_concern",
        }
    ]


def test_no_review_without_a_plan_in_place(client_for, involved, at_meeting):
    response = client_for(involved).get(f"/cases/{at_meeting.pk}/reviews/new/")
    assert str(response.context["refusal"]) == (
        "A review needs a plan in place; the case is now 'Assessment complete: meeting to be held'"
    )


def test_the_review_page(client_for, involved, planned, child):
    saved = record(involved, planned, child)

    response = client_for(involved).get(f"/cases/{planned.episode_id}/reviews/{saved.pk}/")

    assert response.context["scores"] == [("Practitioner", 5)]
    assert [p.action for p in response.context["progress"]] == plan_actions(planned)
    view = AuditEvent.objects.get(action=AuditAction.VIEW, object_type="reviews.review")
    assert view.object_id == str(saved.pk)


def _section(episode):
    return case_section("reviews", episode)


def test_case_section_shows_an_overdue_review_in_red(planned):
    episode = planned.episode
    episode.plan_agreed_at = timezone.now() - datetime.timedelta(weeks=9)
    episode.save()
    due = timezone.localdate(episode.plan_agreed_at) + datetime.timedelta(weeks=8)

    html = _section(episode)

    assert f'{due:%-d %B %Y} <strong class="govuk-tag govuk-tag--red">Overdue</strong>' in html
    assert f'href="/cases/{episode.pk}/reviews/new/"' in html


def test_case_section_shows_the_last_decision(planned, involved, child):
    record(involved, planned, child, decision="continue")
    html = _section(planned.episode)
    due = TODAY + datetime.timedelta(weeks=8)
    assert (date_format(due, "j F Y") in html, "Continue the plan" in html, "Overdue" in html) == (
        True,
        True,
        False,
    )


@pytest.mark.parametrize("count", [1, 3])
def test_review_pages_queries_do_not_grow_with_the_actions(
    client_for, involved, at_meeting, school, child, count, django_assert_num_queries
):
    from tests.journey_factories import agree

    plan = agree(at_meeting, involved, involved, school, goals=1, actions=count)
    saved = record(involved, plan, child)
    client = client_for(involved)
    form_url = f"/cases/{at_meeting.pk}/reviews/new/"
    detail_url = f"/cases/{at_meeting.pk}/reviews/{saved.pk}/"
    client.get(form_url)
    client.get(detail_url)
    # session, user with its LA, OTP device, roles, organisations, the case, may work on
    # it, the plan, its actions, the case's children and their restrictions, the family's
    # scorers and their restrictions
    with django_assert_num_queries(13):
        form = client.get(form_url)
    # session, user with its LA, OTP device, roles, organisations, the case, the review,
    # its view event (6), each child's views, scores, progress with actions
    # (the case's council is read with the case: one query fewer), may work on
    # it, may ask the family for feedback, and the family members with their
    # restrictions for their copies of the outcome (3)
    with django_assert_num_queries(19):
        detail = client.get(detail_url)
    assert (len(form.context["form"].progress_rows()), len(detail.context["progress"])) == (
        count,
        count,
    )


def test_the_reviews_and_the_plan_s_versions_are_listed_a_page_at_a_time(
    client_for, monkeypatch, involved, planned, child
):
    """A case held for years is reviewed every few months, each review a
    new version of the plan: both lists have pages, the newest first."""
    from plans import views as plan_views
    from reviews import views as review_views

    monkeypatch.setattr(review_views, "PAGE_SIZE", 2)
    monkeypatch.setattr(plan_views, "VERSIONS_PAGE_SIZE", 2)
    made = [record(involved, planned, child) for _n in range(3)]
    client = client_for(involved)

    reviews = f"/cases/{planned.episode_id}/reviews/"
    first = [review for review, _children in client.get(reviews).context["reviews"]]
    rest = [review for review, _children in client.get(reviews, {"page": "2"}).context["reviews"]]
    assert first + rest == made[::-1]

    versions = f"/cases/{planned.episode_id}/plan/versions/"
    newest = client.get(versions).content.decode()
    oldest = client.get(versions, {"page": "2"}).content.decode()
    assert "Version 4" in newest and ">Current<" in newest and 'href="?page=2"' in newest
    assert "Version 1" in oldest and ">Current<" not in oldest
