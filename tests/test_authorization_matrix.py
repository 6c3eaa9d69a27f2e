"""Need-to-know, URL by URL: every pattern of the URL configuration (walked
from the resolver, so a new URL is covered at once) against every persona,
checked against the one table in tests/authorization_table.py.

- A URL with no row fails (test_every_url_pattern_has_a_row), and so does a
  row whose URL has gone (test_every_row_names_a_url_that_exists).
- A URL naming a record of a case is tried with the case in every stage where
  it has that record (requested, assessment, meeting, plan, stepped up,
  closed): the personas are the case's team, its district's and another
  district's Early Help Officers, the council's managers and panel coordinator,
  a member of the open panel with the case on its agenda, an organisation the
  family withdrew its consent from, other organisations and councils, the
  council's administrator and nobody signed in.
- Allowed: 200, or a redirect that is not to the sign-in page; a POST-only URL
  answers GET with 405. Allowed personas also post, in every stage, an empty
  form or a plausible one (in turn, so each stage gets both and each persona
  posts both): the answer is a page, a redirect or a refusal of the form (400,
  409, 422), never a server error, a 403 or 404, or the sign-in page.
  Denied: 404 or 403 when signed in, a redirect to the sign-in page when not
  (Django admin: to its own index or sign-in page); nothing but the refusal is
  written to the audit trail and nothing of the family is on the page. Denied
  personas POST too wherever the URL takes one.
- Guessed or altered ids: for every URL naming a record, each persona allowed
  there replaces each id in turn with another family's (the same council's
  where the persona cannot see it, else another council's): always 404,
  never that family's data.
- The case list and the search before a request show a family only to those
  who may see it.
- Every query of every request in `test_access` must name its council on
  every case table it touches (tests/council_queries.py), so case data can be
  distributed by council.

The scenario is built once for the module (tests/authorization_scenario.py)
and each test runs in its own savepoint, so no test sees another's changes
and the order does not matter.
"""

from contextlib import nullcontext
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.formats import date_format
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from audit.models import Action, AuditEvent
from consent.models import Consent
from episodes.models import Episode
from panels import services as panel_services
from panels.models import Panel
from people.models import Person
from tests import authorization_scenario
from tests.authorization_scenario import PERSONAS, STAGES
from tests.authorization_table import (
    ADMIN_PUBLIC,
    CASE_LISTS,
    CASE_READERS,
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
from tests.built_once import built_once
from tests.council_queries import QueryLog

# Run once, in the SQLite suite (tests/conftest.py says why).
pytestmark = pytest.mark.sqlite

PATTERNS = sorted(set(url_patterns()), key=lambda p: (p.route, p.key))
# Who may see the same council's other family (another district and organisation).
SEES_SAME_LA_HIDDEN = {"manager", "panel_coordinator", "other_eho", "other_org"}
# Django admin asks only is_staff, which no persona has, so its ~60 patterns are
# tried by the least and the most privileged personas and the accounts
# administrator (the one most likely to be mistaken for staff), not all twelve.
ADMIN_PERSONAS = ("anonymous", "other_org", "manager", "la_admin")


# The world and the personas ---------------------------------------------------


@pytest.fixture(scope="module")
def scenario(django_db_setup, django_db_blocker, tmp_path_factory):
    yield from built_once(
        authorization_scenario.build, django_db_blocker, tmp_path_factory, "matrix-media"
    )


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


# test_access's council query log (tests/council_queries.py):
# the requests' own queries are logged, not the test's checks around them.
_council_log: QueryLog | None = None


def _logging(what):
    return _council_log.watching(what) if _council_log is not None else nullcontext()


def _try(client, method, path, data, problems):
    """The response, or None with the problem noted if the view raised (the
    test client re-raises a server error): every stage is still tried."""
    try:
        with _logging(f"{method} {path}"):
            return _send(client, method, path, data)
    except Exception as error:  # noqa: BLE001 - reported with the URL, persona and stage
        problems.append(f"{method} {path}: server error {type(error).__name__}: {error}")
        return None


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


# A form refused for what it says, not for who sent it.
FORM_REFUSALS = (400, 409, 422)


def _accepted_post(row, response, persona):
    """An allowed persona's POST, empty or plausible: the form again with its
    errors, a redirect, or a refusal of the form; never a 403, 404 or 500."""
    return _allowed(row, response, persona) or response.status_code in FORM_REFUSALS


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
        with _logging("reading the download"):
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


def _is_case_url(row):
    """A URL naming a record of a case: tried with the case in every stage."""
    return isinstance(row.kwargs, dict) and any(isinstance(v, str) for v in row.kwargs.values())


def _named(row):
    refs = {**row.data, **(row.kwargs if isinstance(row.kwargs, dict) else {})}
    return [value for value in refs.values() if isinstance(value, str)]


def stages_for(row, scenario):
    """(stage, case) for each stage whose case has every record the URL names;
    (None, the planned case) for a URL of no case."""
    if not _is_case_url(row):
        return [(None, scenario.planned)]
    return [
        (stage, case)
        for stage in STAGES
        if all((case := scenario.stages[stage])[name] is not None for name in _named(row))
    ]


# The scenario is what the personas say ------------------------------------------


def test_each_stage_has_its_case_and_the_withdrawn_organisation_is_in_its_team(scenario, db):
    """withdrawn_org is refused because the consent was withdrawn, not because
    its organisation was never in the team; every case is on the open panel."""
    withdrawn = User.objects.get(pk=scenario.users["withdrawn_org"])
    organisation = withdrawn.memberships.get().organisation
    panel = Panel.objects.get(pk=scenario.panel)
    found = {}
    for stage, case in scenario.stages.items():
        episode = Episode.objects.get(pk=case.episode)
        consent = Consent.objects.get(episode=episode, organisation=organisation)
        found[stage] = (
            episode.status,
            episode.organisations.filter(pk=organisation.pk).exists(),
            consent.given and consent.withdrawn_at is not None,
            panel.is_open and panel.agenda_items.filter(episode=episode).exists(),
        )
    assert found == {stage: (stage, True, True, True) for stage in STAGES}


def test_a_closed_panel_shows_its_members_nothing(scenario, as_persona):
    """Panel members read the agenda's cases only while the panel is open."""
    coordinator = User.objects.get(pk=scenario.users["panel_coordinator"])
    panel = Panel.objects.get(pk=scenario.panel)
    for item in panel.agenda_items.all():
        panel_services.record_outcome(coordinator, item, outcome="Synthetic: carry on")
    panel_services.close_panel(coordinator, panel)
    client = as_persona("panel_member")
    answers = {
        stage: client.get(reverse("episodes:detail", kwargs={"pk": case.episode})).status_code
        for stage, case in scenario.stages.items()
    }
    assert answers == dict.fromkeys(STAGES, 404)


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
        named = set(row.allowed).union(*row.when.values(), row.posts or ())
        if unknown := named - set(PERSONAS):
            problems.append(f"{key}: unknown personas {sorted(unknown)}")
        if unknown := set(row.when) - set(STAGES):
            problems.append(f"{key}: unknown stages {sorted(unknown)}")
        for value in _named(row):
            if value not in fields:
                problems.append(f"{key}: the case has no {value!r}")
    assert problems == []


def test_every_case_url_is_tried_in_a_stage(scenario):
    untried = [key for key, row in TABLE.items() if not stages_for(row, scenario)]
    assert untried == []


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
    client = as_persona(persona)
    problems = []
    global _council_log
    # Django admin is for system administrators across councils.
    _council_log = QueryLog() if prefix_rule(pattern.route) != "admin" else None
    try:
        for turn, (stage, case) in enumerate(stages_for(row, scenario)):
            path = _path(pattern, _kwargs(row, scenario, case))
            for method in row.methods:
                if persona in row.allowed_in(stage, method):
                    body = _bodies(row, scenario, case, turn + PERSONAS.index(persona))
                    found = _try_allowed(row, client, method, path, persona, body)
                else:
                    found = _try_denied(pattern, row, client, method, path, persona, scenario, case)
                problems += [f"{problem} [{stage}]" if stage else problem for problem in found]
                if _council_log is not None:
                    problems += [f"{p} as {persona} [{stage}]" for p in _council_log.problems]
                    _council_log.problems.clear()
    finally:
        _council_log = None
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def _bodies(row, scenario, case, turn):
    """What an allowed persona posts: an empty form and a plausible one, in
    turn by stage and persona (so each stage has both posted, by one persona or
    another, and each persona posts both), or the only one the row has."""
    bodies = ([{}] if row.post_empty else []) + ([_data(row, scenario, case)] if row.data else [])
    return bodies[turn % len(bodies)] if bodies else {}


def _try_allowed(row, client, method, path, persona, body):
    """The page, or a POST-only URL's refusal of GET; or a POST of an empty or
    a plausible form (a form's own tests post the real answers)."""
    problems = []
    if method == "GET":
        response = _try(client, "GET", path, {}, problems)
        if response is not None and not _allowed(row, response, persona):
            problems.append(f"GET {path}: should be allowed, got {_describe(response)}")
        if response is not None:
            _finish(response)
        return problems
    if row.methods == POST and persona != "anonymous":
        response = _try(client, "GET", path, {}, problems)
        if response is not None and response.status_code != 405:
            problems.append(f"GET {path}: POST-only, expected 405, got {_describe(response)}")
    response = _try(client, "POST", path, body, problems)
    if response is not None:
        if not _accepted_post(row, response, persona):
            what = "a plausible" if body else "an empty"
            problems.append(f"POST {path} ({what} form): allowed, got {_describe(response)}")
        _finish(response)
    return problems


def _try_denied(pattern, row, client, method, path, persona, scenario, case):
    problems = []
    writes = _writes()
    response = _try(client, method, path, _data(row, scenario, case), problems)
    if response is None:
        return problems
    if not _denied(pattern, response, persona):
        problems.append(f"{method} {path}: should be denied, got {_describe(response)}")
    if _writes() != writes:
        problems.append(f"{method} {path}: denied, yet wrote to the audit trail")
    if leaked := _leaks(response, case):
        problems.append(f"{method} {path}: denied, yet shows {leaked}")
    _finish(response)
    return problems


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
    for persona in sorted(row.allowed_in("plan") - {"anonymous"})
]


@pytest.mark.parametrize(("pattern", "persona"), GUESSABLE)
def test_guessed_ids_are_404_and_show_nothing(pattern, persona, scenario, as_persona):
    """Each id in the URL in turn is another family's (the others stay this
    persona's own): the answer is 404 and nothing of that family."""
    row = row_for(pattern)
    case = scenario.planned
    client = as_persona(persona)
    tried, problems = 0, []
    for name in _refs(row):
        foreign_name = _foreign(persona)
        if not _guessable(row.kwargs[name], foreign_name):
            foreign_name = "other_la"
        foreign = getattr(scenario, foreign_name)
        path = _path(pattern, _kwargs(row, scenario, case, (name,), foreign))
        for method in row.methods:
            if persona not in row.allowed_in("plan", method):
                continue
            tried += 1
            response = _send(client, method, path, _data(row, scenario, case))
            if response.status_code != 404:
                problems.append(f"{method} {path} ({foreign_name}): {_describe(response)}")
            if leaked := _leaks(response, foreign):
                problems.append(f"{method} {path} ({foreign_name}): shows {leaked}")
    assert (tried > 0, problems) == (True, [])


# Lists and search ----------------------------------------------------------------

# Which personas may see each family's case (see tests/authorization_scenario.py).
OPEN_STAGES = ("requested", "assessment", "meeting", "plan")
FAMILIES_SEEN_BY = {
    **dict.fromkeys(OPEN_STAGES, CASE_READERS),
    "same_la_hidden": frozenset(SEES_SAME_LA_HIDDEN),
    "other_la": frozenset({"other_la_manager"}),  # its own council's manager
}


@pytest.mark.parametrize("persona", sorted(CASE_LISTS))
def test_the_case_list_shows_only_the_families_the_persona_may_see(persona, scenario, as_persona):
    page = _body(as_persona(persona).get(reverse("episodes:list") + "?status=open"))
    cases = {**scenario.stages, "same_la_hidden": scenario.same_la_hidden}
    cases["other_la"] = scenario.other_la
    shown = {name for name in FAMILIES_SEEN_BY if cases[name].family_name in page}
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
    sees = persona in CASE_READERS
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
