import pytest

# session, user with its LA and the LA's timescales, OTP device, roles,
# organisations, open count, the council's districts with their officers
# (for the steps owed, "My cases" and the EHO's own), my cases (their ids,
# then their rows), notifications, panels sat on, navigation checks, work
# owed (steps, the cases shown, six-month checks owed, police notifications
# for a key adult), may-ask-for-help check
QUERIES_ON_HOME = 15

PUBLIC_PAGES = ["/accounts/sign-in/", "/accessibility/", "/privacy/"]


def test_public_pages_need_no_sign_in_and_everything_else_does(client, db):
    assert [client.get(url).status_code for url in PUBLIC_PAGES] == [200, 200, 200]
    response = client.get("/cases/")
    assert (response.status_code, response["Location"]) == (302, "/accounts/sign-in/?next=/cases/")


def test_page_template_has_the_service_parts(client, db):
    html = client.get("/accounts/sign-in/").content.decode()
    for part in [
        '<html lang="en-gb" dir="ltr"',
        '<a href="#main-content" class="govuk-skip-link"',
        'class="govuk-generic-header__homepage-link">Early Help</a>',
        'class="govuk-phase-banner"',
        'href="/accessibility/">Accessibility statement</a>',
        'href="/privacy/">Privacy notice</a>',
        "<title>Sign in – Early Help</title>",
    ]:
        assert part in html, part


def test_html_lang_and_dir_follow_the_active_language(client, db):
    # The family pages take theirs from the path; the practitioner pages stay
    # in British English whatever the browser asks for (families/languages.py).
    html = client.get("/ar/ask-for-help/").content.decode()
    assert '<html lang="ar" dir="rtl"' in html
    html = client.get("/privacy/", headers={"accept-language": "ar"}).content.decode()
    assert '<html lang="en-gb" dir="ltr"' in html


def test_home_shows_the_signed_in_user_and_organisation(client_for, involved):
    html = client_for(involved).get("/").content.decode()
    assert f"Signed in as {involved.full_name}" in html
    assert "Testshire Primary" in html
    assert "You can see 0 open cases." in html


def test_home_lists_my_cases_with_what_is_due_and_unread_updates(client_for, involved, episode):
    from notifications.services import notify

    notify([involved], episode, "Your request for early help has been taken up")
    client = client_for(involved)
    response = client.get("/")
    [row] = response.context["my_cases"]
    assert (row["episode"].pk, row["next"].what, row["episode"].owner_name(row["next"])) == (
        episode.pk,
        "Record consent",
        str(involved),
    )
    assert [n.message for n in response.context["notifications"]] == [
        "Your request for early help has been taken up"
    ]
    client.post("/notifications/read/")
    assert list(client.get("/").context["notifications"]) == []


@pytest.mark.parametrize("count", [1, 3])
def test_home_queries_do_not_grow_with_my_cases(
    client_for, involved, school, la, count, django_assert_num_queries
):
    from tests.factories import EpisodeFactory

    EpisodeFactory.create_batch(
        count, local_authority=la, requesting_organisation=school, requested_by=involved
    )
    client = client_for(involved)
    client.get("/")
    with django_assert_num_queries(QUERIES_ON_HOME):
        response = client.get("/")
    assert len(response.context["my_cases"]) == count
