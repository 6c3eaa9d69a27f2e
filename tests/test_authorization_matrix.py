"""Need-to-know, URL by URL: every pattern of the URL configuration (walked
from the resolver, so a new URL is covered at once) against every persona,
checked against the one table in tests/authorization_table.py.

- A URL with no row fails (test_every_url_pattern_has_a_row), and so does a
  row whose URL has gone (test_every_row_names_a_url_that_exists).
- Allowed: 200, or a redirect that is not to the sign-in page; a POST-only URL
  answers GET with 405. Denied: 404 or 403 when signed in, a redirect to the
  sign-in page when not (Django admin: to its own index or sign-in page);
  nothing but the refusal is written to the audit trail and nothing of the
  family is on the page. Denied personas POST too wherever the URL takes one.
- Guessed or altered ids: for every URL naming a record, each persona allowed
  there replaces each id in turn with another family's (the same council's
  where the persona cannot see it, else another council's): always 404,
  never that family's data.
- The case list and the search before a request show a family only to those
  who may see it.

The scenario is built once for the module (tests/authorization_scenario.py)
and each test runs in its own savepoint, so no test sees another's changes
and the order does not matter.
"""

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import override_settings
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.formats import date_format
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from audit.models import Action, AuditEvent
from people.models import Person
from tests import authorization_scenario
from tests.authorization_scenario import PERSONAS
from tests.authorization_table import (
    ADMIN_PUBLIC,
    CASE_LISTS,
    CASE_TEAM,
    GET,
    POST,
    REQUESTERS,
    TABLE,
    Text,
    invitation_kwargs,
    prefix_rule,
    row_for,
    url_patterns,
)
from tests.authorization_table import example_path as _example_path

PATTERNS = sorted(set(url_patterns()), key=lambda p: (p.route, p.key))
# Who may see the same council's other family (another district and organisation).
SEES_SAME_LA_HIDDEN = {"manager", "other_eho", "other_org"}
# Django admin asks only is_staff, which no persona has, so its ~60 patterns are
# tried by the least and the most privileged personas and the accounts
# administrator (the one most likely to be mistaken for staff), not all nine.
ADMIN_PERSONAS = ("anonymous", "other_org", "manager", "la_admin")


# The world and the personas ---------------------------------------------------


@pytest.fixture(scope="module")
def scenario(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once in an outer transaction that is rolled back at the end; each
    test's own transaction is a savepoint inside it."""
    overrides = override_settings(
        MEDIA_ROOT=tmp_path_factory.mktemp("matrix-media"),
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    overrides.enable()
    outer = transaction.atomic()
    with django_db_blocker.unblock():
        outer.__enter__()
        try:
            built = authorization_scenario.build()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            overrides.disable()
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
    overrides.disable()


@pytest.fixture
def as_persona(scenario, db, client, client_for):
    def sign_in(persona):
        pk = scenario.users[persona]
        return client if pk is None else client_for(User.objects.get(pk=pk))

    return sign_in


# Building and judging requests ----------------------------------------------


def _resolve(value, scenario, case):
    if isinstance(value, Text):
        return value.value
    if isinstance(value, str):
        pk = case[value]
        assert pk is not None, f"the scenario's case has no {value!r}"
        return pk
    if callable(value):
        return value(scenario)
    return value


def _kwargs(row, scenario, case, swapped=(), foreign=None):
    if callable(row.kwargs):
        return row.kwargs(scenario)
    return {
        name: _resolve(value, scenario, foreign if name in swapped else case)
        for name, value in row.kwargs.items()
    }


def _path(pattern, kwargs):
    if pattern.name:
        return reverse(pattern.name, kwargs=kwargs)
    return _example_path(pattern.route, kwargs)


def _send(client, method, path, data):
    if method == "POST":
        return client.post(path, data)
    return client.get(path)


def _location_path(response):
    return urlsplit(response.get("Location", "")).path


def _to_sign_in(response):
    return response.status_code == 302 and _location_path(response) == resolve_url(
        settings.LOGIN_URL
    )


def _into_admin(response):
    """Django admin sends a non-staff user to its own index or sign-in page."""
    return response.status_code == 302 and _location_path(response) in (
        reverse("admin:index"),
        reverse("admin:login"),
    )


def _allowed(row, response, persona):
    if row.ok is not None:
        return row.ok(response, persona)
    if response.status_code == 200:
        return True
    return response.status_code in (301, 302, 303) and not _to_sign_in(response)


def _denied(pattern, response, persona):
    if prefix_rule(pattern.route) == "admin" and _into_admin(response):
        return True
    if persona == "anonymous":
        return _to_sign_in(response)
    return response.status_code in (403, 404)


def _body(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def _finish(response):
    """Read a file download to its end: the test client then closes the file
    the way a server would. (Calling response.close() here would fire
    request_finished, which closes the database connection mid-transaction.)"""
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)


def _leaks(response, case):
    body = _body(response)
    return [secret for secret in case.secrets if secret in body]


def _writes():
    """Audit events other than refusals: any change or view of a record."""
    return AuditEvent.objects.exclude(action=Action.PERMISSION_DENIED).count()


def _describe(response):
    where = f" -> {response['Location']}" if response.has_header("Location") else ""
    return f"{response.status_code}{where}"


def _data(row, scenario, case):
    return {name: _resolve(value, scenario, case) for name, value in row.data.items()}


# Completeness -----------------------------------------------------------------


def test_every_url_pattern_has_a_row():
    missing = [p for p in PATTERNS if row_for(p) is None]
    if missing:
        lines = "\n".join(f"  {p.route!r}  (name: {p.key!r})" for p in missing)
        pytest.fail(
            "These URL patterns have no row in tests/authorization_table.py TABLE:\n"
            f"{lines}\n"
            "Add one line per URL, e.g.\n"
            '    "app:name": Row({"episode_pk": "episode", "pk": "meeting"}, GET, CASE_TEAM),\n'
            "(the table's format is described at the top of that file).",
            pytrace=False,
        )


def test_every_row_names_a_url_that_exists():
    keys = {p.key for p in PATTERNS}
    stale = sorted((set(TABLE) | set(ADMIN_PUBLIC)) - keys)
    assert stale == [], f"rows for URLs that no longer exist; remove them: {stale}"


def test_rows_name_known_personas_and_records():
    fields = set(authorization_scenario.Case.__dataclass_fields__)
    problems = []
    for key, row in TABLE.items():
        if unknown := set(row.allowed) - set(PERSONAS):
            problems.append(f"{key}: unknown personas {sorted(unknown)}")
        refs = {**row.data, **(row.kwargs if isinstance(row.kwargs, dict) else {})}
        for value in refs.values():
            if isinstance(value, str) and value not in fields:
                problems.append(f"{key}: the case has no {value!r}")
        if row.case not in ("planned", "assessing"):
            problems.append(f"{key}: no case {row.case!r}")
    assert problems == []


# The matrix -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "persona"),
    [
        pytest.param(p, persona, id=f"{p.key}|{persona}")
        for p in PATTERNS
        for persona in (ADMIN_PERSONAS if prefix_rule(p.route) == "admin" else PERSONAS)
    ],
)
def test_access(pattern, persona, scenario, as_persona):
    row = row_for(pattern)
    if row is None:
        pytest.fail(f"{pattern.route!r} ({pattern.key}) has no row in the table", pytrace=False)
    case = getattr(scenario, row.case)
    client = as_persona(persona)
    path = _path(pattern, _kwargs(row, scenario, case))
    allowed = persona in row.allowed
    problems = []
    if allowed and row.methods == POST and persona != "anonymous":
        response = client.get(path)
        if response.status_code != 405:
            problems.append(f"GET {path}: POST-only, expected 405, got {_describe(response)}")
    # Denied personas try every method; allowed ones the page, or the POST of a
    # POST-only URL (a form's own tests post real answers).
    for method in row.methods if not allowed or row.methods == POST else GET:
        writes = _writes()
        response = _send(client, method, path, _data(row, scenario, case))
        if allowed and not _allowed(row, response, persona):
            problems.append(f"{method} {path}: should be allowed, got {_describe(response)}")
        if not allowed:
            if not _denied(pattern, response, persona):
                problems.append(f"{method} {path}: should be denied, got {_describe(response)}")
            if _writes() != writes:
                problems.append(f"{method} {path}: denied, yet wrote to the audit trail")
            if leaked := _leaks(response, case):
                problems.append(f"{method} {path}: denied, yet shows {leaked}")
        _finish(response)
    assert problems == []


# Guessed and altered ids --------------------------------------------------------


def _refs(row):
    if not isinstance(row.kwargs, dict):
        return []
    return [name for name, value in row.kwargs.items() if isinstance(value, str)]


def _foreign(persona):
    """Another family this persona may not see: the same council's where they
    cannot see it (the likelier guess), else another council's."""
    return "other_la" if persona in SEES_SAME_LA_HIDDEN else "same_la_hidden"


def _guessable(record, foreign):
    # A colleague's account in the same council is no other family's record.
    return not (record == "staff" and foreign == "same_la_hidden")


GUESSABLE = [
    pytest.param(p, persona, id=f"{p.key}|{persona}")
    for p in PATTERNS
    if (row := row_for(p)) is not None and _refs(row)
    for persona in sorted(row.allowed - {"anonymous"})
]


@pytest.mark.parametrize(("pattern", "persona"), GUESSABLE)
def test_guessed_ids_are_404_and_show_nothing(pattern, persona, scenario, as_persona):
    """Each id in the URL in turn is another family's (the others stay this
    persona's own): the answer is 404 and nothing of that family."""
    row = row_for(pattern)
    case = getattr(scenario, row.case)
    client = as_persona(persona)
    tried, problems = 0, []
    for name in _refs(row):
        foreign_name = _foreign(persona)
        if not _guessable(row.kwargs[name], foreign_name):
            foreign_name = "other_la"
        foreign = getattr(scenario, foreign_name)
        path = _path(pattern, _kwargs(row, scenario, case, (name,), foreign))
        for method in row.methods:
            tried += 1
            response = _send(client, method, path, _data(row, scenario, case))
            if response.status_code != 404:
                problems.append(f"{method} {path} ({foreign_name}): {_describe(response)}")
            if leaked := _leaks(response, foreign):
                problems.append(f"{method} {path} ({foreign_name}): shows {leaked}")
    assert (tried > 0, problems) == (True, [])


# Lists and search ----------------------------------------------------------------

# Which personas may see each family's case (see tests/authorization_scenario.py).
FAMILIES_SEEN_BY = {
    "planned": CASE_TEAM,
    "assessing": CASE_TEAM,
    "same_la_hidden": frozenset(SEES_SAME_LA_HIDDEN),
    "other_la": frozenset({"other_la_manager"}),  # its own council's manager
}


@pytest.mark.parametrize("persona", sorted(CASE_LISTS))
def test_the_case_list_shows_only_the_families_the_persona_may_see(persona, scenario, as_persona):
    page = _body(as_persona(persona).get(reverse("episodes:list") + "?status=open"))
    shown = {name for name in FAMILIES_SEEN_BY if getattr(scenario, name).family_name in page}
    assert shown == {name for name, seen_by in FAMILIES_SEEN_BY.items() if persona in seen_by}


@pytest.mark.parametrize("persona", sorted(REQUESTERS))
def test_searching_before_a_request_names_only_people_the_persona_may_see(
    persona, scenario, as_persona
):
    """A hidden likely match says only that a record exists, never who or whose."""
    child = Person.objects.get(pk=scenario.planned.child)
    client = as_persona(persona)
    born = child.date_of_birth
    page = _body(
        client.post(
            reverse("episodes:request_start"),
            {
                "first_name": child.first_name,
                "last_name": child.last_name,
                "date_of_birth-day": born.day,
                "date_of_birth-month": born.month,
                "date_of_birth-year": born.year,
            },
        )
    )
    sees = persona in CASE_TEAM
    details = [
        f'name="person_id" value="{child.pk}"',
        date_format(child.date_of_birth, "j F Y"),
        scenario.planned.family_name,
    ]
    assert (
        [detail in page for detail in details],
        "A record exists that you cannot see" in page,
    ) == ([sees, sees, False], not sees)


def test_an_altered_invitation_link_is_refused_and_names_nobody(scenario, db, client):
    good = invitation_kwargs(scenario)
    invited = User.objects.get(pk=scenario.invited)
    other = good | {"uidb64": urlsafe_base64_encode(force_bytes(scenario.users["involved"]))}
    forged = good | {"token": good["token"][:-3] + "zzz"}
    responses = [
        client.get(reverse("accounts:accept_invitation", kwargs=kwargs))
        for kwargs in (other, forged)
    ]
    assert [r.status_code for r in responses] == [400, 400]
    assert [invited.email in _body(r) or invited.full_name in _body(r) for r in responses] == [
        False,
        False,
    ]
