"""Which language a page is in (families/languages.py), and Welsh ready to
add: one line in settings.LANGUAGES and a catalogue put the practitioner
pages in Welsh for a browser that asks, and nothing of the family pages
changes (docs/TRANSLATION.md)."""

import subprocess

import pytest
from django.conf import settings
from django.test import override_settings

from families.languages import family_language_codes, practitioner_language_codes

WITH_WELSH = [*settings.LANGUAGES, ("cy", "Cymraeg")]
SIGN_IN = "/accounts/sign-in/"


@pytest.fixture
def welsh_catalogue(tmp_path):
    """A Welsh catalogue of one message, compiled as `make assets` does."""
    folder = tmp_path / "cy" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "django.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Sign in to Early Help"\nmsgstr "Mewngofnodi i Early Help"\n',
        encoding="utf-8",
    )
    subprocess.run(  # noqa: S603 (a fixed program on our own file)
        ["/usr/bin/msgfmt", "--check", "-o", str(folder / "django.mo"), str(folder / "django.po")],
        check=True,
    )
    with override_settings(LANGUAGES=WITH_WELSH, LOCALE_PATHS=[tmp_path, *settings.LOCALE_PATHS]):
        yield


def test_today_the_practitioner_pages_are_in_english_only():
    assert practitioner_language_codes() == ["en-gb"]
    assert family_language_codes() == ["en", "pl", "ar", "ps", "ro", "uk"]


def test_a_practitioner_page_answers_no_differently_by_language(client, db):
    response = client.get(SIGN_IN, HTTP_ACCEPT_LANGUAGE="pl")
    assert response["Content-Language"] == "en-gb"
    assert "Accept-Language" not in response.get("Vary", "")


def test_with_welsh_added_a_practitioner_page_is_in_welsh_when_the_browser_asks(
    client, db, welsh_catalogue
):
    assert practitioner_language_codes() == ["en-gb", "cy"]
    response = client.get(SIGN_IN, HTTP_ACCEPT_LANGUAGE="cy-GB,cy;q=0.9,en;q=0.5")
    page = response.content.decode()
    assert 'lang="cy"' in page and 'dir="ltr"' in page
    assert "Mewngofnodi i Early Help" in page
    assert response["Content-Language"] == "cy"
    assert "Accept-Language" in response["Vary"]


def test_with_welsh_added_other_browsers_still_read_english(client, db, welsh_catalogue):
    for asked in ("", "en", "pl,cy;q=0.1", "fr"):
        page = client.get(SIGN_IN, HTTP_ACCEPT_LANGUAGE=asked).content.decode()
        expected = "cy" if "cy" in asked else "en-gb"
        assert f'lang="{expected}"' in page, asked
    # A family language's catalogue covers the family pages only.
    page = client.get(SIGN_IN, HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert "Sign in to Early Help" in page


def test_welsh_for_practitioners_is_not_a_family_language(client, db, welsh_catalogue):
    assert family_language_codes() == ["en", "pl", "ar", "ps", "ro", "uk"]
    assert client.get("/cy/ask-for-help/").status_code == 404
    answer = client.get("/ask-for-help/", HTTP_ACCEPT_LANGUAGE="cy")
    assert answer["Location"] == "/en/ask-for-help/"
    # The browser's next family language, not English, when it asks for Welsh first.
    for asked in ("cy, pl", "cy-GB,cy;q=0.9,pl-PL;q=0.8,en;q=0.5", "pl;q=0.4, cy;q=0.9, uk;q=0.5"):
        answer = client.get("/ask-for-help/", HTTP_ACCEPT_LANGUAGE=asked)
        expected = "/uk/ask-for-help/" if "uk" in asked else "/pl/ask-for-help/"
        assert answer["Location"] == expected, asked
    page = client.get("/en/ask-for-help/", HTTP_ACCEPT_LANGUAGE="cy").content.decode()
    assert 'lang="en"' in page
    assert "Cymraeg" not in page and "/cy/" not in page


def test_each_practitioner_language_is_complete(tmp_path):
    """Each practitioner language besides English (none yet: Welsh when
    added) is complete: its catalogue, made by makemessages from every marked
    string, has no untranslated or fuzzy entry. With none, that each language
    the settings offer practitioners has a catalogue is what is checked."""
    languages = practitioner_language_codes()
    assert languages[0] == settings.LANGUAGE_CODE  # British English, the pages as written
    for language in languages[1:]:
        po = settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po"
        assert po.exists(), f"{language} is offered but has no catalogue"
        result = subprocess.run(  # noqa: S603 (a fixed program on our own file)
            ["/usr/bin/msgfmt", "--check", "--statistics", "-o", str(tmp_path / "x.mo"), str(po)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert "fuzzy" not in result.stderr and "untranslated" not in result.stderr, (
            language,
            result.stderr,
        )
