"""Restricted means restricted everywhere: every page, file and email of a case
whose parent's address, date of birth, language, known-as name and NHS number
(and her child's date of birth, pupil number, gender identity, ethnicity and
disabilities) are restricted with no role named, as each persona who may see
the case but not those parts, shows none of them, nor anything worked out from
them (an age, a preselected language, a match score).

- Every URL pattern of the service (walked from the resolver, so a new page is
  covered at once) is opened with GET for every combination of the scenario's
  records its arguments can name; "not found", "forbidden", "method not
  allowed" and redirects are skipped (the authorisation matrix judges those).
- Files too: the meeting's .ics, the plan copies (HTML and PDF), the subject
  access copies (JSON, HTML, PDF) and every email the persona was sent.
- Each restricted value is looked for in every form a page could write it
  (CHECKS); and, for some personas, every page is opened again with other
  restricted values and must read the same (what is worked out from them, such
  as an age band, shows as a difference).
- The live match check and the search before a request answer the same for the
  right date of birth, postcode, NHS number or known-as name as for wrong ones.
- The lead professional does see them (the control: the checks can fail).

Each test collects every leak (persona, URL, what, and the text around it)
before failing, so one run lists them all. The scenario
(tests/restricted_scenario.py) is built once for the module; each test runs in
its own savepoint.
"""

import datetime
import html
import itertools
import logging
import re
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from assessments.services import EXISTING_PLAN, NEEDS, SCALING, TEXT_SECTIONS
from meetings.models import Meeting
from people.models import Person, age_on
from tests import restricted_scenario as world
from tests.authorization_table import argument_names, example_path, url_patterns
from tests.built_once import built_once
from tests.plans.pdf_text import pdf_text

# Run once, in the SQLite suite (tests/conftest.py says why).
pytestmark = pytest.mark.sqlite

# Who may see the case but not its restricted parts (no role is named on the
# restrictions): everyone who works on it or reads it but the lead
# professional. (other_org sees no page of it at all: the authorisation matrix
# proves that; here they only search.)
WITHOUT_SIGHT = tuple(p for p in world.PERSONAS if p not in ("lead", "other_org"))
# Practitioners with an organisation may ask for help, so use the match check
# (the lead professional, who sees the restricted parts, aside).
SEARCHERS = ("involved", "team", "panel_member", "other_org")

# Routes not walked: Django admin (nobody here is staff; the authorisation
# matrix covers it) and the accounts pages (about staff, never a family).
# The partner API answers a session 401 and names no person: tests/api/ check
# what a client's token reads.
SKIPPED_PREFIXES = ("system-admin/", "accounts/", "api/v1/")

# What each URL argument names in the scenario. "pk" depends on the URL.
ARGUMENTS = {
    "episode_pk": "episodes",
    "person_pk": "people",
    "number": "plan_version",
    "section": "section",
    "fmt": "fmt",
    "restriction_pk": "restriction",
    "item_pk": "agenda_item",
    "user_pk": "panel_member",
    # The family's links (the plan online, feedback): the parent's own.
    "token": "family_link_token",
}
PK_BY_URL = {
    "episodes:": "episodes",
    "consent:withdraw": "consent",
    "consent:review_override": "override",
    "meetings:": "meeting",
    "plans:action_status": "action",
    "reviews:": "review",
    "referrals:": "referral",
    "notes:": "attachment",
    "people:": "people",
    "privacy:": "people",
    "panels:": "panel",
    "matching:compare": "duplicate",
    "quality:sample": "quality_sample",
    "quality:criterion": "quality_criterion",
    "quality:": "quality_audit",
    "advice:": "advice",
    "police:non_school_day_remove": None,  # a date, nobody's details
    "police:": "police_notification",
    "oversight:": "alert",
    "family_voice:": "family_link",
    # Undoing a merge needs a merge, which would change the very records
    # under test; the merges list (no argument) is still walked.
    "matching:undo": None,
    # Sending a failed email again changes the outbox, not the family's
    # records; the failed emails page (no argument) is still walked.
    "notifications:send_again": None,
    # A family's own request holds only what they typed, before anyone is
    # recorded (starting its case or closing it); the queue (no argument),
    # with its "already known?" check, is still walked.
    "family_requests:": None,
}
SECTIONS = [*TEXT_SECTIONS, SCALING, NEEDS, EXISTING_PLAN]
FORMATS = ["json", "html", "pdf"]
# Pages that take a query string worth trying besides the bare URL.
QUERIES = {
    "episodes:list": lambda scenario, kwargs: ["?status=open", "?status=mine", "?status=all"],
    "family_requests:queue": lambda scenario, kwargs: ["?show=dealt-with"],
    # A change of the plan proposed by a review.
    "plans:change": lambda scenario, kwargs: [
        f"?review={pk}" for pk in scenario.case_records[kwargs["episode_pk"]].get("review", [])
    ],
}


# The world and the personas ---------------------------------------------------


@pytest.fixture(scope="module")
def scenario(django_db_setup, django_db_blocker, tmp_path_factory):
    yield from built_once(world.build, django_db_blocker, tmp_path_factory, "restricted-media")


@pytest.fixture
def as_persona(scenario, db, client_for):
    def sign_in(persona):
        return client_for(User.objects.get(pk=scenario.users[persona]))

    return sign_in


# What must not appear -----------------------------------------------------------


@dataclass(frozen=True)
class Check:
    owner: str  # "parent" or "child": whose restricted part it is
    what: str  # for the failure message
    pattern: re.Pattern
    # What it is matched against: "text", the text as a reader meets it;
    # "chosen", the same with the unchosen options of choice lists taken out;
    # "markup", the raw markup (attributes included).
    over: str = "text"


def _phrase(text):
    """A literal, case- and whitespace-insensitive, not inside a longer word or number."""
    body = r"\s+".join(re.escape(word) for word in text.lower().split())
    return re.compile(rf"(?<![\w]){body}(?![\w])")


def _date_checks(owner, born):
    month, mon = born.strftime("%B").lower(), born.strftime("%b").lower()
    d, m, y = born.day, born.month, born.year
    formats = {
        f"{d} {month} {y}",
        f"{d:02d} {month} {y}",
        f"{d} {mon} {y}",
        f"{month} {d}, {y}",
        f"{d:02d}/{m:02d}/{y}",
        f"{d}/{m}/{y}",
        f"{d:02d}-{m:02d}-{y}",
        f"{d:02d}.{m:02d}.{y}",
        born.isoformat(),
        f"{y}{m:02d}{d:02d}",
    }
    checks = [Check(owner, f"date of birth {text!r}", _phrase(text)) for text in sorted(formats)]
    checks.append(Check(owner, "year of birth", re.compile(rf"\bborn(?:\s+in)?\s+{y}\b")))
    return checks


def _age_checks(owner, born):
    """The age worked out from the date of birth, as pages write an age. A bare
    number is everywhere (counts, days, percentages), so only these forms."""
    age = age_on(born, timezone.localdate())
    forms = {
        "(age)": rf"\(\s*{age}\s*\)",
        "aged/age age": rf"\bage[ds]?\s*:?\s*{age}\b",
        # Not a date field's "month 12 year 2026".
        "age years": rf"\b{age}\s*-?\s*(?:years?|yrs?)\b(?!\s*\d)",
    }
    return [
        Check(owner, f"age {age} as {name!r}", re.compile(form)) for name, form in forms.items()
    ]


def _choice_checks(owner, what, field, code, label):
    """A value chosen from a list (a language, an ethnicity, a disability) is
    also an option in lists of all of them (a copy of the plan can be in any of
    the council's languages; the child's record can be edited): it leaks when
    it is the chosen option, when it is named outside such a list (unchosen
    options are taken out of the text first, see _visible_text), or in data."""
    chosen = re.compile(
        rf"<(?:option|input)\b(?=[^>]*\bvalue=\"{code}\")(?=[^>]*\b(?:selected|checked)\b)[^>]*>",
        re.IGNORECASE,
    )
    return [
        Check(owner, f"{what} {label!r} chosen in a list", chosen, over="markup"),
        Check(owner, f"{what} {label!r}", _phrase(label), over="chosen"),
        Check(
            owner,
            f"{what} code {code!r} in data",
            re.compile(rf"\b{field}\W{{1,6}}{code.lower()}\b"),
        ),
    ]


def forbidden_checks():
    parent_nhs = world.PARENT_NHS_NUMBER
    checks = [
        Check("parent", "address line 1", _phrase(world.ADDRESS_LINE_1)),
        # The street on its own, written differently ("Quarrel Heath Row, 14").
        Check("parent", "street of the address", _phrase("Quarrel Heath")),
        Check("parent", "address line 2", _phrase(world.ADDRESS_LINE_2)),
        Check("parent", "town", _phrase(world.TOWN)),
        Check("parent", "postcode", _phrase(world.POSTCODE)),
        Check("parent", "postcode without its space", _phrase(world.POSTCODE.replace(" ", ""))),
        Check("parent", "outward code of the postcode", _phrase(world.POSTCODE.split()[0])),
        Check("parent", "NHS number", re.compile(rf"(?<!\d){parent_nhs}(?!\d)")),
        Check(
            "parent",
            "NHS number, spaced",
            re.compile(rf"{parent_nhs[:3]}[\s-]{parent_nhs[3:6]}[\s-]{parent_nhs[6:]}"),
        ),
        Check("parent", "known-as name", _phrase(world.KNOWN_AS)),
        *_date_checks("parent", world.PARENT_BORN),
        *_age_checks("parent", world.PARENT_BORN),
        *_choice_checks(
            "parent", "language", "preferred_language", world.LANGUAGE, world.LANGUAGE_LABEL
        ),
        # "Interpreter" alone is in labels ("Language and interpreter" is what
        # a page says is withheld; the child's own "Needs an interpreter: No"),
        # so: saying that someone needs one (not followed by "no").
        Check(
            "parent",
            "interpreter needed",
            re.compile(
                r"(?:(?:needs|needed|needing|requires|with)\s+an\s+interpreter"
                r"|interpreter\s+(?:is\s+)?(?:needed|required))(?!\s*:?\s*(?:no|false)\b)"
            ),
            over="chosen",
        ),
        Check(
            "parent",
            "interpreter needed in data",
            re.compile(r"interpreter_needed\W{1,4}(?:true|yes|1)\b"),
        ),
        *_date_checks("child", world.CHILD_BORN),
        *_age_checks("child", world.CHILD_BORN),
        Check("child", "unique pupil number", _phrase(world.CHILD_UPN)),
        Check("child", "gender identity", _phrase(world.GENDER_IDENTITY)),
        *_choice_checks("child", "ethnicity", "ethnicity", world.ETHNICITY, world.ETHNICITY_LABEL),
        *_choice_checks(
            "child", "disability", "disabilities", world.DISABILITY, world.DISABILITY_LABEL
        ),
    ]
    return checks


CHECKS = forbidden_checks()


# Reading a response ---------------------------------------------------------------

UNCHOSEN = [
    re.compile(r"<option\b(?![^>]*\bselected\b)[^>]*>.*?</option>", re.DOTALL),
    re.compile(
        r"<div class=\"govuk-(?:radios|checkboxes)__item\">\s*"
        r"<input\b(?![^>]*\bchecked\b)[^>]*>\s*<label\b.*?</label>\s*"
        r"(?:<div class=\"govuk-hint[^\"]*\"[^>]*>.*?</div>\s*)?</div>",
        re.DOTALL,
    ),
]


# Attributes whose values a reader meets: a field's typed-in value, a tooltip...
READ_ATTRIBUTES = re.compile(r"\s(?:value|title|alt|aria-label|placeholder|content)=\"([^\"]*)\"")


def _tag_text(match):
    return " " + " ".join(READ_ATTRIBUTES.findall(match.group(0))) + " "


def _visible_text(raw, unchosen_removed=False):
    """The text as a reader meets it: tags replaced by the values of their
    attributes a reader meets (a form field's value above all), HTML entities
    decoded, calendar lines unfolded and unescaped, whitespace collapsed,
    lower case; with unchosen_removed, the unchosen options of choice lists
    taken out first."""
    text = raw
    for pattern in UNCHOSEN if unchosen_removed else ():
        text = pattern.sub(" ", text)
    if "BEGIN:VCALENDAR" in text:
        text = re.sub(r"\r?\n[ \t]", "", text)  # folded lines
        text = text.replace("\\n", " ").replace("\\N", " ")
        text = re.sub(r"\\([,;\\])", r"\1", text)  # escapes
    text = re.sub(r"<[^>]+>", _tag_text, text)
    text = html.unescape(text)
    return re.sub(r"\s+", " ", text).strip().lower()


def _raw_text(raw):
    return re.sub(r"\s+", " ", html.unescape(raw)).lower()


def response_text(response):
    """The response's content as text; a PDF's as a reader of it sees it."""
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    if content.startswith(b"%PDF"):
        try:
            return pdf_text(content)
        except Exception as error:  # noqa: BLE001  (an attachment not made by WeasyPrint)
            return f"[unreadable PDF: {error}]"
    return content.decode("utf-8", "replace")


def find_leaks(raw, exempt=frozenset()):
    """[(what, context)] for every check that matches, `exempt` aside."""
    texts = {
        "text": _visible_text(raw),
        "chosen": _visible_text(raw, unchosen_removed=True),
        "markup": _raw_text(raw),
    }
    found = []
    for check in CHECKS:
        if (check.owner, check.what) in exempt:
            continue
        text = texts[check.over]
        match = check.pattern.search(text)
        if match:
            start, end = max(match.start() - 40, 0), match.end() + 40
            found.append((f"{check.owner}'s {check.what}", text[start:end]))
    return found


PARTS = (
    ("address", ("address", "street", "town", "postcode", "outward")),
    ("date of birth", ("date of birth", "year of birth")),
    ("age", ("age ",)),
    ("NHS number", ("NHS",)),
    ("known-as name", ("known-as",)),
    ("language", ("language", "interpreter")),
    ("unique pupil number", ("unique pupil",)),
    ("gender identity", ("gender",)),
    ("ethnicity", ("ethnicity",)),
    ("disabilities", ("disability",)),
)


def _part(what):
    return next(part for part, starts in PARTS if what.split("'s ", 1)[1].startswith(starts))


def leaks(raw, exempt=frozenset()):
    """find_leaks, one line per restricted part of one person: "the parent's
    address (town, postcode...)", with the text around the first found."""
    grouped = {}
    for what, context in find_leaks(raw, exempt):
        owner = what.split("'s ", 1)[0]
        grouped.setdefault((owner, _part(what)), []).append((what.split("'s ", 1)[1], context))
    return [
        (f"{owner}'s {part} ({', '.join(what for what, _context in found)})", found[0][1])
        for (owner, part), found in grouped.items()
    ]


def _exempt_for(route_name, kwargs, scenario):
    """A subject access copy is the person's own data (UK GDPR Art. 15): their
    own restricted parts belong in it, except the household's address, which
    is the parent's restricted address even on the child's record."""
    if not (route_name or "").startswith("privacy:subject_access"):
        return frozenset()
    if kwargs.get("pk") == scenario.parent:
        return frozenset(("parent", c.what) for c in CHECKS if c.owner == "parent")
    if kwargs.get("pk") == scenario.child:
        return frozenset(("child", c.what) for c in CHECKS if c.owner == "child")
    return frozenset()


# Walking every page -----------------------------------------------------------------


def _values(kind, scenario, episode=None):
    """The scenario's records of `kind`; of that case's, for a case's page."""
    if kind == "episodes":
        return scenario.episodes
    if kind == "people":
        return scenario.people
    if kind == "fmt":
        return FORMATS
    if kind == "section":
        # Only an assessment in progress has section pages (a completed
        # one's redirect to its task list, which is walked anyway).
        return SECTIONS + [f"child-{scenario.child}"] if episode == scenario.assessing else []
    if episode is not None and kind in scenario.case_records[episode]:
        return scenario.case_records[episode][kind]
    if episode is not None and any(kind in records for records in scenario.case_records.values()):
        return []  # another case's record: "not found", which proves nothing here
    return scenario.records.get(kind, [])


def _kind(pattern, argument):
    if argument != "pk":
        return ARGUMENTS.get(argument, "unknown")
    for prefix, kind in PK_BY_URL.items():
        if (pattern.name or "").startswith(prefix):
            return kind
    return "unknown"


def walked_patterns():
    return [
        p
        for p in url_patterns()
        if not p.route.startswith(SKIPPED_PREFIXES) and "(?P<" not in p.route
    ]


def paths_for(pattern, scenario):
    """Every path the pattern makes from the scenario's records (a case's page
    with that case's records), with its kwargs."""
    names = argument_names(pattern.route)
    kinds = {name: _kind(pattern, name) for name in names}
    case_argument = next((name for name in names if kinds[name] == "episodes"), None)
    for episode in _values("episodes", scenario) if case_argument else [None]:
        choices = [
            [episode] if name == case_argument else _values(kinds[name], scenario, episode)
            for name in names
        ]
        for combination in itertools.product(*choices):
            kwargs = dict(zip(names, combination, strict=True))
            path = (
                reverse(pattern.name, kwargs=kwargs)
                if pattern.name
                else example_path(pattern.route, kwargs)
            )
            queries = QUERIES.get(pattern.name, lambda scenario, kwargs: [])
            for query in ["", *queries(scenario, kwargs)]:
                yield path + query, kwargs


def walk(client, scenario):
    """(path, pattern name, kwargs, status, text) for every GET that answered.
    (Refusals are logged with their tracebacks; not while walking.)"""
    logging.disable(logging.ERROR)
    try:
        yield from _walk(client, scenario)
    finally:
        logging.disable(logging.NOTSET)


# Files made by a POST, since making one records it (a copy of the plan, on
# the plan's copy list): the walk posts their form as it stands (the family
# member's language, given in person), in its rolled-back transaction.
POSTED = {"plans:copy_document", "plans:copy_document_pdf"}


def _walk(client, scenario):
    for pattern in walked_patterns():
        for path, kwargs in paths_for(pattern, scenario):
            try:
                response = client.post(path) if pattern.name in POSTED else client.get(path)
            except Exception as error:  # noqa: BLE001  (a crash is reported, not a leak)
                yield path, pattern.name, kwargs, 500, f"[crashed: {error!r}]"
                continue
            text = response_text(response) if response.status_code == 200 else ""
            yield path, pattern.name, kwargs, response.status_code, text


def _report(persona, problems):
    if problems:
        listed = "\n".join(f"  - {problem}" for problem in problems)
        pytest.fail(
            f"{len(problems)} leak(s) of restricted values to {persona}:\n{listed}",
            pytrace=False,
        )


# Pages that answer alike whatever the restricted values are ------------------------------

# Other values for every restricted part (the child's address is the
# household's). Whatever a page shows of them, or works out from them (an age,
# "too young for a copy", an order by birth date, a chosen option), changes.
ALTERED_ADDRESS = {
    "address_line_1": "3 Wrenfold Mews",
    "address_line_2": "Saltmarsh End",
    "town": "Pellingbury",
    "postcode": "ZY2 7WJ",
}
ADDRESS_FIELDS = world.ADDRESS
ALTERED = {
    "parent": {
        **ALTERED_ADDRESS,
        "date_of_birth": datetime.date(1991, 9, 4),
        "known_as": "Copperfinch",
        "nhs_number": world.nhs_number("999655102"),
        "preferred_language": "ro",
        "interpreter_needed": False,
    },
    "child": {
        **ALTERED_ADDRESS,
        # Under 5: no wishes and feelings or score of his own, too young for
        # his own copy of the plan (the real child is 12).
        "date_of_birth": timezone.localdate() - datetime.timedelta(days=3 * 365 + 100),
        "upn": world.upn("999999920113"),
        "gender_identity": "Moonhallow",
        "ethnicity": "CHNE",
        "disabilities": ["HEAR"],
    },
}
# Differ from one request to the next, whatever the data.
VOLATILE = [
    re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"'),
    re.compile(r'nonce="[^"]*"'),
    re.compile(r'data-expires-in="[^"]*"'),
    re.compile(r"D:\d{14}"),  # a PDF's creation date
    re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]m)?\b", re.IGNORECASE),  # times of day
    re.compile(r"DTSTAMP:\S+"),
]
# Not compared: who has looked at a case differs between two walks of it (the
# first walk's views are rolled back, but the times of a walk's own views are
# not the same), and a subject access copy is the person's own data, changing
# with it by design (both are still searched for restricted values).
NOT_COMPARED = ("audit:", "privacy:subject_access")
# Compared for these personas only, for time (a walk more each): one who
# works on the case, one who oversees it, one who only reads it.
DIFFERENTIAL = ("involved", "eho", "panel_member")


def _alter(scenario):
    for who, values in ALTERED.items():
        Person.objects.filter(pk=getattr(scenario, who)).update(**values)
    # The meeting held at the (altered) home, written the same way.
    location = world.MEETING_LOCATION
    for name, value in ADDRESS_FIELDS.items():
        location = location.replace(value, ALTERED_ADDRESS[name])
    Meeting.objects.filter(episode_id=scenario.episodes[0]).update(location=location)


def walk_rolled_back(scenario, persona, as_persona, alter=False):
    """walk() as the persona, the restricted values altered or not, in a
    transaction rolled back afterwards (the walk's own views and all), so two
    walks see the same records. The rate limits (the family's link pages
    count visits) start afresh each walk: they are in the cache, not rolled back."""
    cache.clear()
    with transaction.atomic():
        if alter:
            _alter(scenario)
        answers = list(walk(as_persona(persona), scenario))
        transaction.set_rollback(True)
    return answers


def _steady(text):
    for pattern in VOLATILE:
        text = pattern.sub("", text)
    return re.sub(r"\s+", " ", text)


def differences(answers, altered):
    """Pages that read differently, or answer only, for the altered values."""
    before, after = (
        {
            path: (status, _steady(text))
            for path, name, _kwargs, status, text in walked
            if not (name or "").startswith(NOT_COMPARED)
        }
        for walked in (answers, altered)
    )
    problems = []
    for path, (status, text) in before.items():
        other_status, other = after[path]
        if status != other_status:
            problems.append(
                f"GET {path} answers {status} as recorded, {other_status} for other "
                "restricted values"
            )
        elif text != other:
            difference = _first_difference(text, other, ("as recorded", "other values"))
            problems.append(f"GET {path} changes with the restricted values: {difference}")
    return problems


# The tests ----------------------------------------------------------------------------


def test_every_argument_of_every_walked_url_names_a_scenario_record():
    unknown = [
        f"{p.key}: <{name}>"
        for p in walked_patterns()
        for name in argument_names(p.route)
        if _kind(p, name) == "unknown"
    ]
    assert unknown == [], (
        "Say what these URL arguments name (ARGUMENTS / PK_BY_URL in this file), "
        "so the new pages are walked too"
    )


def test_the_emails_sent_while_building_the_case_are_read(scenario):
    """The emails are caught (they go once the transaction commits, which the
    scenario's never does): the notices to the people who work on the case."""
    assert {"involved", "eho", "panel_member"} <= set(scenario.emails)


def test_the_lead_professional_sees_the_restricted_parts(scenario, as_persona):
    """The control: the lead sees each restricted part on the people's pages,
    so every check below is one that can fail."""
    client = as_persona("lead")
    found = set()
    for pk in scenario.people:
        response = client.get(reverse("people:detail", kwargs={"pk": pk}))
        assert response.status_code == 200
        found |= {what for what, _context in find_leaks(response_text(response))}
    expected = {
        "parent's address line 1",
        "parent's address line 2",
        "parent's town",
        "parent's postcode",
        "parent's NHS number",
        "parent's known-as name",
        "parent's date of birth '17 march 1979'",
        "parent's language 'Polish'",
        "parent's interpreter needed",
        "child's date of birth '29 october 2014'",
        "child's unique pupil number",
        "child's gender identity",
        "child's ethnicity 'Gypsy/Roma'",
        "child's disability 'Autism or Asperger syndrome'",
    }
    assert expected - found == set()


def test_the_checks_read_files_too(scenario, as_persona):
    """The control for files: the plan addressed to the parent, as the lead
    professional prints it as a PDF, read as the walk reads it, shows her
    address (a plan copy gives nobody's date of birth, her own included)."""
    client = as_persona("lead")
    episode = scenario.episodes[0]
    pdf = client.post(
        reverse(
            "plans:copy_document_pdf", kwargs={"episode_pk": episode, "person_pk": scenario.parent}
        )
    )
    assert pdf.content.startswith(b"%PDF")
    found = {what for what, _context in leaks(response_text(pdf))}
    assert "parent's address" in {w.split(" (")[0] for w in found}


@pytest.mark.parametrize("persona", WITHOUT_SIGHT)
def test_no_page_or_file_shows_a_restricted_value(persona, scenario, as_persona):
    """Every page and file the persona may open, and every email they were
    sent, shows no restricted value; and (for some personas, for time) every
    page reads the same when the restricted values are others: nothing is
    worked out from them (an age band, an order by birth date) that the
    checks might not know how to spot."""
    answers = walk_rolled_back(scenario, persona, as_persona)
    problems, answered = [], set()
    for path, name, kwargs, status, text in answers:
        if status == 500:
            answered.add(name)
            problems.append(f"GET {path}: {text}")
            continue
        if status != 200:
            continue
        answered.add(name)
        for what, context in leaks(text, _exempt_for(name, kwargs, scenario)):
            problems.append(f"GET {path} shows the {what}: ...{context}...")
    for subject, text in scenario.emails.get(persona, []):
        for what, context in leaks(text):
            problems.append(f"email {subject!r} shows the {what}: ...{context}...")
    if persona in DIFFERENTIAL:
        problems += differences(
            answers, walk_rolled_back(scenario, persona, as_persona, alter=True)
        )
    # Not vacuous: they did open the case's pages.
    if missed := {"episodes:detail", "people:detail", "meetings:ics"} - answered:
        problems.append(f"never opened {sorted(missed)}: the walk proves nothing")
    _report(persona, problems)


@pytest.mark.parametrize("persona", [p for p in SEARCHERS if p in WITHOUT_SIGHT])
def test_a_new_request_naming_them_shows_nothing_restricted(persona, scenario, as_persona):
    """The parent and the child added to a new request (a draft in the
    session, nothing recorded): every page of the request shows none of it."""
    client = as_persona(persona)
    for pk in scenario.people:
        response = client.post(reverse("episodes:request_add_existing"), {"person_id": pk})
        assert response.status_code == 302, response.status_code
    problems, answered = [], 0
    for name in ("request_start", "request_people", "request_details", "request_check"):
        path = reverse(f"episodes:{name}")
        response = client.get(path)
        if response.status_code != 200:
            continue
        answered += 1
        for what, context in leaks(response_text(response)):
            problems.append(f"GET {path} shows the {what}: ...{context}...")
    assert answered >= 2
    _report(persona, problems)


# The match check ------------------------------------------------------------------------

RIGHT_AND_WRONG = {
    "the parent's date of birth and postcode": (
        {**world.PARENT, "born": world.PARENT_BORN, "postcode": world.POSTCODE},
        {**world.PARENT, "born": world.PARENT_BORN.replace(year=1983, month=11, day=2)}
        | {"postcode": "ZX1 1AB"},
    ),
    "the parent's date of birth": (
        {**world.PARENT, "born": world.PARENT_BORN},
        {**world.PARENT, "born": world.PARENT_BORN.replace(year=1983, month=11, day=2)},
    ),
    "the parent's postcode": (
        {**world.PARENT, "postcode": world.POSTCODE},
        {**world.PARENT, "postcode": "ZX1 1AB"},
    ),
    "the parent's NHS number": (
        {**world.PARENT, "nhs_number": world.PARENT_NHS_NUMBER},
        {**world.PARENT, "nhs_number": world.nhs_number("999512384")},
    ),
    "the parent's known-as name": (
        {"first_name": world.KNOWN_AS, "last_name": world.PARENT["last_name"]},
        {"first_name": "Quenbury", "last_name": world.PARENT["last_name"]},
    ),
    "the child's date of birth": (
        {**world.CHILD, "born": world.CHILD_BORN},
        {**world.CHILD, "born": world.CHILD_BORN.replace(year=2012, month=6, day=5)},
    ),
}


LIVE_CHECK = "/cases/new/matches/"  # episodes:request_matches, checked below
SEARCH = "/cases/new/"  # episodes:request_start


def test_the_search_urls_are_the_request_wizards():
    assert (reverse("episodes:request_matches"), reverse("episodes:request_start")) == (
        LIVE_CHECK,
        SEARCH,
    )


def _query(details):
    query = {
        name: details[name]
        for name in ("first_name", "last_name", "nhs_number", "postcode")
        if name in details
    }
    if born := details.get("born"):
        query |= {
            "date_of_birth-day": born.day,
            "date_of_birth-month": born.month,
            "date_of_birth-year": born.year,
        }
    return query


def _comparable(text):
    """A response with what differs between any two requests taken out: CSRF
    tokens and nonces, and every value typed back into the form."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)
    text = re.sub(r'nonce="[^"]*"', "", text)
    text = re.sub(r'data-expires-in="[^"]*"', "", text)  # the session's time left
    text = re.sub(r'\svalue="[^"]*"', "", text)
    return re.sub(r"\s+", " ", text)


def _first_difference(one, other, labels=("right", "wrong")):
    at = next((i for i, (a, b) in enumerate(zip(one, other, strict=False)) if a != b), None)
    at = min(len(one), len(other)) if at is None else at
    start = max(at - 60, 0)
    return f"{labels[0]}: ...{one[start : at + 80]}... {labels[1]}: ...{other[start : at + 80]}..."


@pytest.mark.parametrize("persona", SEARCHERS)
def test_the_match_check_answers_alike_for_right_and_wrong_restricted_details(
    persona, scenario, as_persona
):
    """Searching with a restricted value, right or wrong, gives the same answer
    (no score, reason or 'a record exists' that confirms it), whoever searches:
    restricted parts never appear in search results."""
    client = as_persona(persona)
    problems = []
    for what, (right, wrong) in RIGHT_AND_WRONG.items():
        for endpoint, send in (
            ("live match check", lambda q: client.get(LIVE_CHECK, q)),
            ("search", lambda q: client.post(SEARCH, q)),
        ):
            answers = []
            for details in (right, wrong):
                response = send(_query(details))
                answers.append((response.status_code, _comparable(response_text(response))))
            (status, one), (other_status, other) = answers
            if (status, one) != (other_status, other):
                problems.append(
                    f"{endpoint} answers differently for the right and a wrong {what}: "
                    f"{status} vs {other_status}; {_first_difference(one, other)}"
                )
            for what_leaked, context in leaks(one):
                problems.append(f"{endpoint} shows the {what_leaked}: ...{context}...")
    _report(persona, problems)
