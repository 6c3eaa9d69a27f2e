"""The whole ask-for-help journey (fill in the page, check the answers, send,
see the reference) in each family language, in the real browser: each page
says its language and direction, keeps no English service text (compared with
the English pages' own words), and axe finds nothing."""

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from playwright.sync_api import expect

from families.models import FamilyRequest
from tests.browser.conftest import assert_accessible, url

pytestmark = pytest.mark.browser

RIGHT_TO_LEFT = set(settings.LANGUAGES_BIDI)
REFERENCE = re.compile(r"FH\d{6}")

# What the family types: the same in every language, so never "English left".
ANSWERS = {
    "first_name": "Synthia",
    "last_name": "Langwell",
    "child_1_first_name": "Tobi",
    "child_1_last_name": "Langwell",
    "phone": "07700 900 982",
    "contact_safety": "Only in school hours",
    "postcode": "NM1 1AA",
    "worries": "Tobi will not go to school",
}
# Each language's link is named in its own language on every page.
LANGUAGE_NAMES = {name for _code, name in settings.LANGUAGES}

# Every piece of text a user reads or hears: text nodes (visually hidden ones
# too, which screen readers read), the title, and the attributes read out.
PAGE_TEXTS = """() => {
    const texts = [document.title];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const parent = walker.currentNode.parentElement;
        if (!parent || parent.closest('script, style, [hidden]')) continue;
        texts.push(walker.currentNode.textContent);
    }
    const named = ['aria-label', 'title', 'alt', 'placeholder'];
    for (const element of document.querySelectorAll(named.map((name) => `[${name}]`).join())) {
        for (const name of named) {
            if (element.hasAttribute(name)) texts.push(element.getAttribute(name));
        }
    }
    return texts.map((text) => text.replace(/\\s+/g, ' ').trim()).filter((text) => text);
}"""

# The English pages' texts, by step: read once (by the English journey) and
# compared with each language's.
_ENGLISH: dict[str, set[str]] = {}


@pytest.fixture(autouse=True)
def fresh_limits():
    # Every journey sends a request; the hourly limit a client is five.
    cache.clear()
    yield
    cache.clear()


def _service_text(texts):
    """The texts the service wrote: not what was typed, a reference, a
    language's own name, or something without a letter."""
    typed = set(ANSWERS.values()) | {f"{ANSWERS['first_name']} {ANSWERS['last_name']}"}
    return {
        text
        for text in texts
        if re.search(r"[^\W\d_]", text)
        and text not in LANGUAGE_NAMES
        and not REFERENCE.fullmatch(text)
        and not any(answer in text for answer in typed)
    }


def _read(page, language, step, read):
    """Check the page's language and direction, run axe, and keep its texts."""
    html = page.locator("html")
    expect(html).to_have_attribute("lang", language)
    expect(html).to_have_attribute("dir", "rtl" if language in RIGHT_TO_LEFT else "ltr")
    assert_accessible(page)
    read[step] = _service_text(page.evaluate(PAGE_TEXTS))


def _journey(page, live_server, language):
    """Ask for help in `language`, knowing no words of it: every answer is
    found by its name. The texts of each step, and the reference."""
    read: dict[str, set[str]] = {}
    page.goto(url(live_server, f"/{language}/ask-for-help/"))
    _read(page, language, "ask", read)

    page.locator('input[name="asker"][value="parent"]').check()
    for name in ("first_name", "last_name", "child_1_first_name", "child_1_last_name"):
        page.locator(f'input[name="{name}"]').fill(ANSWERS[name])
    for part, value in (("day", "5"), ("month", "6"), ("year", "2016")):
        page.locator(f'input[name="child_1_date_of_birth-{part}"]').fill(value)
    page.locator('input[name="phone"]').fill(ANSWERS["phone"])
    page.locator('input[name="may_leave_message"][value="no"]').check()
    page.locator('textarea[name="contact_safety"]').fill(ANSWERS["contact_safety"])
    page.locator('input[name="postcode"]').fill(ANSWERS["postcode"])
    page.locator('textarea[name="worries"]').fill(ANSWERS["worries"])
    page.locator('input[name="consent"]').check()
    page.locator("main form button").click()

    expect(page.locator('button[name="confirm"]')).to_be_visible()
    expect(page.locator(".govuk-summary-list")).to_contain_text("Tobi Langwell")
    _read(page, language, "check", read)
    page.locator('button[name="confirm"]').click()

    panel = page.locator(".govuk-panel--confirmation")
    expect(panel).to_contain_text(REFERENCE)
    expect(page.locator("main")).not_to_contain_text("Langwell")
    _read(page, language, "sent", read)
    return read, REFERENCE.search(panel.inner_text()).group(0)


def _english_left(english, translated):
    """The translated page's texts that are the English page's, or contain
    one of its texts of two words or more."""
    phrases = [text for text in english if len(text.split()) > 1]
    return sorted(
        text for text in translated if text in english or any(phrase in text for phrase in phrases)
    )


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_a_family_asks_for_help_in_their_language(page, live_server, language):
    if language != "en" and not _ENGLISH:
        english, _reference = _journey(page, live_server, "en")
        _ENGLISH.update(english)
        cache.clear()
    read, reference = _journey(page, live_server, language)
    if language == "en":
        _ENGLISH.update(read)
        # So an empty reading cannot pass the other languages.
        assert "Ask for early help for your family" in read["ask"]
        assert "Check your answers before sending your request" in read["check"]
        assert "We have your request" in read["sent"]
        return
    for step, texts in read.items():
        assert texts, f"{language} {step}: no text read"
        left = _english_left(_ENGLISH[step], texts)
        assert not left, f"{language} {step}: English left: {left}"
    # The request was kept, in the family's language.
    assert FamilyRequest.objects.get(pk=int(reference.removeprefix("FH"))).language == language
