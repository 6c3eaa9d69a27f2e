"""No input may crash a page: hostile values in every field of every form and
every query parameter of every page, as a persona allowed there (nobody signed
in, on a public page).

The pages are every row of tests/authorization_table.py (so a new URL is
covered at once), in the authorisation matrix's world
(tests/authorization_scenario.py). For each page the test GETs it and reads its
<form>s from the HTML (inputs, selects, textareas and named buttons; a form's
`data-*-url` is a second target its script sends the same fields to) and its
query parameters (links on the page, and every `request.GET` name in the
source). Hypothesis then sends a form as shown, or the page's query, with one
to three values replaced: huge numbers, Unicode digits ("²", "٣"), empty, very
long strings, null bytes, a file where text is expected, and the same key
repeated.

Every answer must be below 500 and send the database no NUL (SQLite stores it,
PostgreSQL refuses it). An answer that is an error (4xx, or a page with the
GOV.UK error summary) must have written nothing: every table but the audit
trail keeps its row count; any other answer leaves an audit chain that
verifies (each chain is verified in full once a page, then each answer's new
events from that verified end: the rows before it cannot change, see
_ChainEnds). Each example runs in a savepoint that is rolled back, so examples do
not change each other's world. Ids in URLs beyond what the database holds are
404.
"""

import functools
import re
import traceback
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import Resolver404, resolve
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from audit.models import GENESIS_HASH, Action, AuditEvent
from audit.services import chains, record, verify_one_chain
from tests import test_authorization_matrix as matrix
from tests.audit.tampering import tamper
from tests.authorization_table import GET, POST, TABLE, url_patterns
from tests.test_authorization_matrix import _finish, _kwargs, _path

# Run once, in the PostgreSQL suite (tests/conftest.py says why).
pytestmark = pytest.mark.postgresql

# The authorisation matrix's world and personas, built once for this module too.
scenario = matrix.scenario
as_persona = matrix.as_persona

# Who sends the hostile input: the first of these the row allows.
PERSONA_ORDER = (
    "anonymous",
    "involved",
    "manager",
    "la_admin",
    "eho",
    "lead",
    "other_la_manager",
    "other_org",
)
# Signing out would end the session the rest of the examples use.
NEVER_POSTED = {"accounts:sign_out"}
# Fields a page shows only in a state the world does not have (the request
# wizard's draft lives in the session): named here so they are fuzzed too.
STATEFUL_FIELDS = {
    "episodes:request_people": ["remove"],
    "episodes:request_add_existing": ["person_id"],
    # The world's meeting is held, so moving or cancelling it shows no form:
    # its fields (the row's data) are posted anyway.
    "meetings:reschedule": [],
    "meetings:cancel": [],
    # The scenario's colleague leads no case, so the reallocation form is not shown.
    "accounts:leaver_cases": ["cases", "new_lead", "reason", "family_view", "handover_note"],
}
HTML = "text/html"


# What the pages accept --------------------------------------------------------


def _source_query_names():
    """Every name the views read from request.GET, from the source itself."""
    pattern = re.compile(r"request\.GET(?:\.get|\.getlist)?[\(\[]\s*[\"'](\w+)[\"']")
    root = Path(settings.BASE_DIR)
    names = set()
    for config in apps.get_app_configs():
        path = Path(config.path)
        if root not in path.parents:
            continue
        for source in path.rglob("*.py"):
            names.update(pattern.findall(source.read_text(encoding="utf-8")))
    return sorted(names)


QUERY_NAMES = _source_query_names()


class PageForms(HTMLParser):
    """The forms of a page: targets (url, method), the values as shown (a dict
    of lists, as a browser sends them), every field name and the file fields;
    and the names of the query parameters its links use."""

    def __init__(self, html, url):
        super().__init__(convert_charrefs=True)
        self.url = url
        self.forms = []
        self.query_names = set()
        self._form = None
        self._select = None
        self._textarea = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "a" and "?" in attrs.get("href", ""):
            self.query_names.update(name for name, _ in parse_qsl(urlsplit(attrs["href"]).query))
        elif tag == "form":
            self._start_form(attrs)
        elif tag == "option" and self._select is not None:
            self._option(attrs)
        elif self._form is not None and attrs.get("name"):
            self._field(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def _start_form(self, attrs):
        method = (attrs.get("method") or "get").upper()
        self._form = {
            "targets": [(urljoin(self.url, attrs.get("action") or self.url), method)],
            "shown": {},
            "fields": [],
            "files": set(),
        }
        # A script sends the same fields to a form's data-*-url: a live check
        # reads (GET), an autosave writes like the form.
        for name, value in attrs.items():
            if name.startswith("data-") and name.endswith("-url") and value:
                live = name.startswith("data-live-")
                self._form["targets"].append((urljoin(self.url, value), "GET" if live else method))

    def _field(self, tag, attrs):
        form, name = self._form, attrs["name"]
        if name == "csrfmiddlewaretoken":
            return
        if name not in form["fields"]:
            form["fields"].append(name)
        kind = attrs.get("type", "text").lower()
        if tag == "input" and kind == "file":
            form["files"].add(name)
        elif tag == "input" and kind in ("checkbox", "radio"):
            if "checked" in attrs:
                form["shown"].setdefault(name, []).append(attrs.get("value", "on"))
        elif tag == "input" and kind not in ("submit", "button", "image", "reset"):
            form["shown"].setdefault(name, []).append(attrs.get("value", ""))
        elif tag == "select":
            self._select = {"name": name, "first": None, "chosen": None}
        elif tag == "textarea":
            self._textarea = name
            form["shown"][name] = [""]

    def _option(self, attrs):
        if self._select["first"] is None:
            self._select["first"] = attrs.get("value", "")
        if "selected" in attrs:
            self._select["chosen"] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select" and self._select is not None:
            chosen = self._select["chosen"] or self._select["first"]
            if chosen is not None and self._form is not None:
                self._form["shown"][self._select["name"]] = [chosen]
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None and self._form is not None:
            self._form["shown"][self._textarea][0] += data


# Hostile values -----------------------------------------------------------------


class File:
    """A file where the form may expect text (or a file it must check)."""

    def __init__(self, content):
        self.content = content

    def upload(self):
        return SimpleUploadedFile("hostile.pdf", self.content, content_type="application/pdf")

    def __repr__(self):
        return f"File({self.content[:20]!r}...)"


HOSTILE_TEXT = [
    "",
    " ",
    "0",
    "-1",
    "1.5",
    "1e308",
    "NaN",
    str(2**31),
    "99999999999",
    str(-(2**63) - 1),
    str(2**63 - 1),
    str(2**63),
    str(2**64),
    "9" * 30,
    "9" * 5000,
    "²",
    "٣",
    "٢٠٢٦",
    "３",
    "\x00",
    "1\x00",
    "a\x00b",
    "x" * 10_000,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%s %(x)s {0}",
    "null",
    "true",
    "[]",
    '{"a": 1}',
    "\u202etxt.exe",
    "𝟘𝟙",
    # Month names are accepted in date inputs: near misses and look-alikes are not.
    "Feb",
    "sept.",
    "Febuary",
    "ſept",
    "Ｆｅｂ",
    "feb" * 1000,
    "31",
    "12",
    "9999",
    "0000",
]
# The values behind most crashes: drawn far more often than the rest.
KILLERS = ["²", "٣", str(2**64), "9" * 30, "\x00", ""]
single = st.one_of(
    st.sampled_from(KILLERS),
    st.sampled_from(KILLERS),
    st.sampled_from(HOSTILE_TEXT),
    st.sampled_from(HOSTILE_TEXT),
    # Any text a browser can send (no lone surrogates). Named by category, not
    # by codec: Hypothesis works out a codec's characters afresh in every new
    # checkout, about four seconds a test process.
    st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
    st.integers().map(str),
    st.binary(max_size=40).map(File),
)
# A list: the same key sent several times.
hostile = st.one_of(single, st.lists(single, min_size=2, max_size=3))


def _plausible(shown):
    """The form as shown, with a blank date filled in with today's: one
    hostile part of a date then reaches the date itself, not "must include"."""
    today = timezone.localdate()
    parts = {"day": today.day, "month": today.month, "year": today.year}
    sent = {name: list(values) for name, values in shown.items()}
    for name, values in sent.items():
        part = name.rpartition("-")[2]
        if part in parts and values in ([], [""]):
            sent[name] = [str(parts[part])]
    return sent


def _encoded(value):
    """As the test client sends it: a list is the key repeated; a File is an upload."""
    values = value if isinstance(value, list) else [value]
    return [item.upload() if isinstance(item, File) else item for item in values]


# The world, and judging answers -------------------------------------------------


def _persona(row):
    """Nobody signed in on a public page (the most exposed), else the first
    persona allowed there."""
    return next((p for p in PERSONA_ORDER if p in row.allowed), min(row.allowed))


def _cases(row, scenario):
    """The cases whose records the URL names: the row's own where the table
    says (`case`), else every stage's case that has each record named, the
    plan's first (the world has one case per stage of the journey, and a page
    shows other forms at each stage)."""
    if hasattr(row, "case"):
        return [getattr(scenario, row.case)]
    kwargs = row.kwargs if isinstance(row.kwargs, dict) else {}
    named = [v for v in [*kwargs.values(), *row.data.values()] if isinstance(v, str)]
    stages = getattr(scenario, "stages", {})
    ordered = sorted(stages.items(), key=lambda item: item[0] != "plan")
    cases = [
        case
        for _stage, case in ordered
        if named and all(getattr(case, name, None) is not None for name in named)
    ]
    return cases or [scenario.planned]


# Records of the attempt itself, written on purpose when it is refused: the
# audit trail (views and refusals), sessions, and the failed sign-ins counted
# against a client or typed address.
ATTEMPT_RECORDS = {"audit", "sessions", "admin", "contenttypes", "accounts.SignInThrottle"}


@functools.cache
def _tables():
    """Every table but those recording the attempt."""
    return sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if not {model._meta.app_label, model._meta.label} & ATTEMPT_RECORDS
            and not model._meta.proxy
            and model._meta.managed
        }
    )


def _counts():
    """Rows per table, in one query."""
    tables = _tables()
    quote = connection.ops.quote_name
    # The models' own table names, quoted: nothing here comes from a request.
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + counts)
        return dict(zip(tables, cursor.fetchone(), strict=True))


def _is_error(response):
    if response.status_code >= 400:
        return True
    content_type = response.get("Content-Type", "")
    return HTML in content_type and b"govuk-error-summary" in response.content


class _NulWatch:
    """Notes each query value PostgreSQL would refuse (SQLite takes it): a NUL
    in text, or an escaped one in JSON (jsonb has no NUL)."""

    def __init__(self, found):
        self.found = found

    def __call__(self, execute, sql, params, many, context):
        self.found.extend(_nuls(params))
        return execute(sql, params, many, context)


def _nuls(params):
    for value in params.values() if isinstance(params, dict) else params or ():
        if isinstance(value, list | tuple):
            yield from _nuls(value)
        elif isinstance(value, str) and ("\x00" in value or "\\u0000" in value):
            yield value[:60]


class _ChainEnds:
    """Every audit chain verified in full once, and where each ends; then an
    answer's new events are verified from those ends on (with the chains'
    heads). That is the whole chain verified again: the rows before the ends
    cannot change (audit events are append-only in both databases: triggers
    refuse UPDATE and DELETE, tests/audit/test_append_only.py, and a chain
    position is unique), and every example starts from the same rows. Walking
    the world's whole trail after every example was a sixth of the fuzz."""

    def __init__(self):
        self.ends = {}
        for chain in chains():
            result = verify_one_chain(chain)
            assert result.problem is None, f"chain {chain}: {result.problem}"
            self.ends[chain] = (result.last_number, result.last_hash)

    def broken(self):
        for chain in chains():
            number, last_hash = self.ends.get(chain, (0, GENESIS_HASH))
            result = verify_one_chain(chain, after_number=number, after_hash=last_hash)
            if result.problem:
                return f"chain {chain}: {result.problem}"
        return None


class Sender:
    """Sends one request inside a savepoint that is rolled back afterwards (and
    with the session cookie as it was), and judges the answer. Every example
    starts from the same rows, so they are counted (and the audit chains
    verified) once."""

    def __init__(self, client):
        self.client = client
        self.cookies = {key: morsel.value for key, morsel in client.cookies.items()}
        self.before = _counts()
        self.chains = _ChainEnds()

    def send(self, method, url, data, what):
        self.client.cookies = SimpleCookie(self.cookies)
        refused_by_postgresql = []
        with transaction.atomic():
            try:
                with connection.execute_wrapper(_NulWatch(refused_by_postgresql)):
                    if method == "POST":
                        response = self.client.post(url, data)
                    else:
                        response = self.client.get(url, data)
                    _finish(response)
            except Exception as error:  # any crash is the finding
                where = traceback.format_exception(error)[-3:]
                pytest.fail(f"{method} {url} {what}: raised\n{''.join(where)}", pytrace=False)
            problems = self._problems(response)
            transaction.set_rollback(True)
        if refused_by_postgresql:
            problems.append(f"sent PostgreSQL a NUL it refuses: {refused_by_postgresql[:3]!r}")
        assert problems == [], f"{method} {url} {what}: {problems}"

    def _problems(self, response):
        if response.status_code >= 500:
            return [f"answered {response.status_code}"]
        if _is_error(response):
            after = _counts()
            changed = sorted(table for table in after if after[table] != self.before[table])
            if changed:
                return [f"answered {response.status_code} with an error yet changed {changed}"]
            return []
        # Something was done: its audit events must extend the chain soundly.
        broken = self.chains.broken()
        return [f"the audit chain no longer verifies: {broken}"] if broken else []


# The tests ------------------------------------------------------------------------

PATTERNS = {pattern.key: pattern for pattern in url_patterns()}
PAGES = sorted(key for key in TABLE if key not in NEVER_POSTED)
WITH_IDS = sorted(key for key in TABLE if "<int:" in PATTERNS[key].route)


def _fuzzed_elsewhere(url, form):
    """Signing out is never sent; a form of buttons alone for a POST-only URL
    (keeping the session alive, on every page) is fuzzed by that URL's own test."""
    try:
        key = resolve(urlsplit(url).path).view_name
    except Resolver404:
        return False
    if key in NEVER_POSTED:
        return True
    row = TABLE.get(key)
    return row is not None and row.methods == POST and not form["fields"]


def _targets(key, row, path, page):
    """Every (url, method, shown values, field names, file fields) to fuzz."""
    targets = []
    query = set(QUERY_NAMES)
    if page is not None:
        query |= page.query_names
        for form in page.forms:
            for url, method in form["targets"]:
                if not _fuzzed_elsewhere(url, form):
                    # A form of buttons alone is sent with a field it does not expect.
                    names = form["fields"] or ["unexpected"]
                    targets.append((url, method, form["shown"], names, form["files"]))
    if row.methods == POST or key in STATEFUL_FIELDS:
        names = [*row.data, *STATEFUL_FIELDS.get(key, [])]
        targets.append((path, "POST", {}, names or ["unexpected"], set()))
    if row.methods != POST:
        targets.append((path, "GET", {}, sorted(query), set()))
    return targets


def _open(client, row, path):
    """The page as the persona sees it (after any redirect), or None when there
    is no page: a POST-only URL, or a download."""
    if row.methods == POST:
        return None, True
    response = client.get(path, follow=True)
    _finish(response)
    if HTML not in response.get("Content-Type", ""):
        return None, False
    return PageForms(response.content.decode(errors="replace"), response.request["PATH_INFO"]), True


@pytest.mark.parametrize("key", PAGES)
def test_hostile_input_never_crashes_a_page(key, scenario, as_persona):
    row = TABLE[key]
    persona = _persona(row)
    client = as_persona(persona)
    targets, downloads = {}, []
    for case in _cases(row, scenario):
        path = _path(PATTERNS[key], _kwargs(row, scenario, case))
        page, is_html = _open(client, row, path)
        if not is_html:
            downloads.append(path)
            continue
        for target in _targets(key, row, path, page):
            targets.setdefault((target[0], target[1], tuple(target[3])), target)
    sender = Sender(client)  # after the pages: opening one may make a default row
    for path in downloads[:1]:
        # A download (a PDF, a file) is slow to make: one hostile query, not a fuzz.
        query = dict.fromkeys(QUERY_NAMES, ["²", str(2**64), "\x00"])
        sender.send("GET", path, query, f"as {persona}, query {query!r}")
    if not targets:
        return
    targets = list(targets.values())

    @given(data=st.data())
    def fuzz(data):
        url, method, shown, names, files = data.draw(st.sampled_from(targets), label="target")
        # Any number of fields; each form checks every field, so many at once
        # is many checks for one request. Sometimes one value goes in them all.
        fields = st.lists(st.sampled_from(names), min_size=1, unique=True)
        chosen = data.draw(fields, label="fields")
        same = data.draw(st.none() | hostile, label="one value for all")
        sent = _plausible(shown)
        for name in chosen:
            sent[name] = _encoded(same if same is not None else data.draw(hostile, label=name))
        changed = {name: sent[name] for name in chosen}
        sender.send(method, url, sent, f"as {persona}, fields {changed!r}")

    fuzz()


@pytest.mark.parametrize("key", WITH_IDS)
def test_an_id_beyond_the_database_is_not_found(key, scenario, as_persona):
    row = TABLE[key]
    client = as_persona(_persona(row))
    kwargs = _kwargs(row, scenario, _cases(row, scenario)[0])
    problems = []
    for name in re.findall(r"<int:(\w+)>", PATTERNS[key].route):
        for huge in (2**63, 10**30):
            path = _path(PATTERNS[key], {**kwargs, name: huge})
            for method in ("GET",) if row.methods == GET else row.methods:
                with transaction.atomic():
                    response = client.post(path) if method == "POST" else client.get(path)
                    _finish(response)
                    transaction.set_rollback(True)
                if response.status_code != 404:
                    problems.append(f"{method} {path}: {response.status_code}")
    assert problems == []


def test_hostile_answers_in_the_family_consent_grid(scenario, as_persona):
    """The whole family's consent in one submission: from a grid that would be
    saved (the first person agrees to everything, the team to be built), one
    to three answers replaced, so hostile values reach the checks behind the
    first ones. An error must leave every row as it was: nothing half-written."""
    row = TABLE["consent:list"]
    client = as_persona("involved")
    path = _path(PATTERNS["consent:list"], _kwargs(row, scenario, _cases(row, scenario)[0]))
    page = PageForms(client.get(path).content.decode(), path)
    [grid] = [form for form in page.forms if form["shown"].get("form") == ["family"]]
    first = next(name for name in grid["fields"] if name.endswith("-assessment"))
    prefix = first.removesuffix("-assessment")
    valid = _plausible(grid["shown"])
    for name in grid["fields"]:
        if name.startswith(f"{prefix}-") and name.rpartition("-")[2].startswith(
            ("assessment", "org")
        ):
            valid[name] = ["agreed"]
    valid[f"{prefix}-method"] = ["phone"]
    valid["add_to_team"] = ["true"]
    names = [*grid["fields"], "add_to_team"]
    with transaction.atomic():
        saved = client.post(path, valid)
        transaction.set_rollback(True)
    assert saved.status_code == 302, "the grid the fuzz starts from must be one that saves"
    sender = Sender(client)

    @given(data=st.data())
    def fuzz(data):
        chosen = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True))
        sent = {name: list(values) for name, values in valid.items()}
        for name in chosen:
            sent[name] = _encoded(data.draw(hostile, label=name))
        sender.send("POST", path, sent, f"family grid, fields {chosen!r}")

    fuzz()


def test_the_review_form_is_fuzzed_with_each_childs_views_and_score(scenario, as_persona):
    """The review asks each child apart: those boxes are among what is fuzzed
    above, so a hostile value in any child's views or score is tried too."""
    key = "reviews:record"
    row = TABLE[key]
    client = as_persona(_persona(row))
    names = set()
    for case in _cases(row, scenario):
        path = _path(PATTERNS[key], _kwargs(row, scenario, case))
        page, _is_html = _open(client, row, path)
        for target in _targets(key, row, path, page):
            names |= set(target[3])
    child = scenario.planned.child
    assert {f"views_{child}", f"score_{child}"} <= names


def test_the_audit_check_after_an_answer_still_finds_a_broken_chain(scenario, db):
    """The fuzz verifies each chain in full once, then only what an answer
    added (_ChainEnds): an added event that does not follow is still found."""
    ends = _ChainEnds()
    event = record(Action.VIEW, actor_label="fuzz@test.example")
    sound = ends.broken()
    tamper("UPDATE audit_auditevent SET prev_hash = %s WHERE id = %s", ["f" * 64, event.pk])
    assert (sound, AuditEvent.objects.get(pk=event.pk).prev_hash) == (None, "f" * 64)
    assert "does not follow" in ends.broken()
