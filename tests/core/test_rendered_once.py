"""{% rendered_once %} renders its part once per language and reuses it;
the layout's parts that read the request stay per request."""

from django.template import engines
from django.test import override_settings
from django.utils import translation

TEMPLATE = "{% load rendered_once %}{% rendered_once %}{{ word }}{% endrendered_once %}|{{ word }}"


def test_the_part_is_rendered_once_and_reused():
    template = engines["django"].from_string(TEMPLATE)
    assert template.render({"word": "first"}) == "first|first"
    # The part is the first reader's; the rest of the page is each reader's.
    assert template.render({"word": "second"}) == "first|second"


@override_settings(LANGUAGES=[("en-gb", "English"), ("cy", "Welsh")])
def test_each_language_has_its_own():
    template = engines["django"].from_string(TEMPLATE)
    with translation.override("en-gb"):
        assert template.render({"word": "English"}) == "English|English"
    with translation.override("cy"):
        assert template.render({"word": "Cymraeg"}) == "Cymraeg|Cymraeg"
    with translation.override("en-gb"):
        assert template.render({"word": "again"}) == "English|again"


def test_the_layout_still_names_each_user_and_their_own_session(
    client_for, involved, eho, school, la
):
    involved_page = client_for(involved).get("/accessibility/").content.decode()
    eho_page = client_for(eho).get("/accessibility/").content.decode()
    assert f"Signed in as {involved.full_name}, {school.name} ({la.name})" in involved_page
    assert f"Signed in as {eho.full_name}" in eho_page
    assert involved.full_name not in eho_page
    for page in (involved_page, eho_page):
        assert "Accessibility statement" in page  # the footer, rendered once
        assert page.count('name="csrfmiddlewaretoken"') == 3  # per request
