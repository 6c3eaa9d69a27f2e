"""The family's language, from the first part of the path of the public
pages (/pl/ask-for-help/), and English (en-gb) everywhere else: the
practitioner pages stay in English whatever the browser asks for, until
their catalogues are written."""

from django.conf import settings
from django.urls import LocalePrefixPattern, URLResolver
from django.utils import translation
from django.utils.deprecation import MiddlewareMixin


def family_language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


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
    family pages, settings.LANGUAGE_CODE for every other page (never the
    browser's Accept-Language or a cookie)."""

    def process_request(self, request):
        language = translation.get_language_from_path(request.path_info)
        if language not in family_language_codes():
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language())
        # The language is the thread's: left in Arabic after a family's page,
        # whatever this thread does next outside a request (a task, a staff
        # email built by a service) would be in Arabic too.
        translation.activate(settings.LANGUAGE_CODE)
        return response
