from django.test import override_settings

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


@override_settings(LANGUAGES=[("en-gb", "English"), ("ar", "Arabic")])
def test_html_lang_and_dir_follow_the_active_language(client, db):
    html = client.get("/privacy/", headers={"accept-language": "ar"}).content.decode()
    assert '<html lang="ar" dir="rtl"' in html


def test_home_shows_the_signed_in_user_and_organisation(client_for, involved):
    html = client_for(involved).get("/").content.decode()
    assert f"Signed in as {involved.full_name}" in html
    assert "Testshire Primary" in html
    assert "open cases you can see" in html
