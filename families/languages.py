"""Which language a page is in. The family pages: the language from the first
part of their path (/pl/ask-for-help/), one of settings.FAMILY_LANGUAGES.
Every other page (the practitioner pages): settings.LANGUAGE_CODE (en-gb),
or another practitioner language the browser asks for. Today there is none:
the practitioner pages stay in English whatever the browser asks, until a
catalogue for them is written (Welsh: docs/TRANSLATION.md)."""

from django.conf import settings
from django.urls import LocalePrefixPattern, URLResolver
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation.trans_real import parse_accept_lang_header


def family_language_codes() -> list[str]:
    return list(settings.FAMILY_LANGUAGES)


def family_languages() -> list[tuple[str, str]]:
    """The family languages and their names, each in its own language."""
    return [(code, name) for code, name in settings.LANGUAGES if code in settings.FAMILY_LANGUAGES]


def practitioner_language_codes() -> list[str]:
    """English, and each language of settings.LANGUAGES that is not a family
    language: the family languages' catalogues cover the family pages only,
    so a practitioner page in one of them would be half in English."""
    others = [code for code, _name in settings.LANGUAGES if code not in settings.FAMILY_LANGUAGES]
    return [settings.LANGUAGE_CODE, *others]


def _first_asked(request, offered: list[str], default: str) -> str:
    """The first of `offered` in the browser's Accept-Language, by its
    preference order (a regional variant, pl-PL, asks for its language), else
    `default`."""
    for asked, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        for code in (asked, asked.split("-")[0]):
            if code in offered:
                return code
    return default


def practitioner_language(request) -> str:
    """The first practitioner language the browser asks for, else LANGUAGE_CODE
    (never a cookie: there is no language switcher on these pages)."""
    return _first_asked(request, practitioner_language_codes(), settings.LANGUAGE_CODE)


def family_language(request) -> str:
    """The first family language the browser asks for, else
    FAMILY_DEFAULT_LANGUAGE. Among the family languages only: a browser asking
    for Welsh then Polish gets Polish even when Welsh is a practitioner
    language (Django's own choice would be Welsh, then English)."""
    return _first_asked(request, family_language_codes(), settings.FAMILY_DEFAULT_LANGUAGE)


class FamilyLanguagePrefix(LocalePrefixPattern):
    """i18n_patterns' prefix, always present, and "en" while a practitioner
    page (en-gb) builds a link to a family page."""

    def __init__(self):
        super().__init__(prefix_default_language=True)

    @property
    def language_prefix(self) -> str:
        language = translation.get_language() or settings.LANGUAGE_CODE
        if language not in family_language_codes():
            language = settings.FAMILY_DEFAULT_LANGUAGE
        return f"{language}/"


def family_language_patterns(*urls):
    """Like django.conf.urls.i18n.i18n_patterns, with FamilyLanguagePrefix."""
    return [URLResolver(FamilyLanguagePrefix(), list(urls))]


class FamilyLanguageMiddleware(MiddlewareMixin):
    """In place of Django's LocaleMiddleware: the language in the path for the
    family pages, practitioner_language for every other page (only
    settings.LANGUAGE_CODE until another practitioner language is added)."""

    def process_request(self, request):
        language = translation.get_language_from_path(request.path_info)
        request.practitioner_page = language not in family_language_codes()
        if request.practitioner_page:
            language = practitioner_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language())
        if getattr(request, "practitioner_page", False) and len(practitioner_language_codes()) > 1:
            patch_vary_headers(response, ("Accept-Language",))
        # The language is the thread's: left in Arabic after a family's page,
        # whatever this thread does next outside a request (a task, a staff
        # email built by a service) would be in Arabic too.
        translation.activate(settings.LANGUAGE_CODE)
        return response
