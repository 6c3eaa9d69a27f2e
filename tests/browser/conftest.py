"""Fixtures for the browser tests: a live server loaded with the synthetic demo
data, one headless Chromium for the session, a fresh browser context per test,
and helpers to sign in and to run axe-core on the page.

Every test in this folder drives a real browser, so every module here is marked
`browser`: the SQLite suite runs them last on each worker (tests/conftest.py),
`make test-browser` runs them alone, and the PostgreSQL suite leaves them out.
"""

import json
import os
import re
import sqlite3
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect, sync_playwright

from core.demo import demo_sign_ins, load_demo_data
from tests.two_factor import code_for

pytestmark = pytest.mark.browser

# Playwright's sync API runs an event loop in the test thread; without this
# Django refuses ORM calls made from that thread (fixtures, assertions).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_PATH = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MAX_NODES_LISTED = 8
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

# The demo personas (see core.demo.STAFF); checked against demo_sign_ins() below
# so a renamed demo account fails loudly instead of silently testing nothing.
PRACTITIONER = "practitioner@northmoor.example"
EHO = "eho@northmoor.example"
MANAGER = "manager@northmoor.example"
LA_ADMIN = "admin@northmoor.example"
SYSTEM_ADMIN = "admin@earlyhelp.example"


# The demo data as first loaded in this process (one per xdist worker): an
# in-memory SQLite copy of the whole test database.
_DEMO_SNAPSHOT = []


def _in_memory_sqlite():
    return connection.vendor == "sqlite" and connection.creation.is_in_memory_db(
        connection.settings_dict["NAME"]
    )


@pytest.fixture
def demo_data(live_server, settings):
    """The synthetic demo data, loaded into the live server's database.

    pytest-django flushes the database after every transactional test, so the
    data is put back before each test. Loading it costs about ten seconds of
    CPU, most of a short browser test: on SQLite (the browser suite's
    database) it is loaded once a process and copied back whole with SQLite's
    backup API (milliseconds), the same rows, sign-in devices and sequences as
    a fresh load. Elsewhere it is loaded per test. A fast password hasher keeps
    the load itself short (the default PBKDF2 adds about five seconds).
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if not _in_memory_sqlite():
        load_demo_data()
    elif _DEMO_SNAPSHOT:
        connection.ensure_connection()
        _DEMO_SNAPSHOT[0].backup(connection.connection)
        # The flush made the content types again under new ids; the copy has the old.
        ContentType.objects.clear_cache()
    else:
        load_demo_data()
        snapshot = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(snapshot)
        _DEMO_SNAPSHOT.append(snapshot)
    emails = {email for email, _label in demo_sign_ins()}
    missing = {PRACTITIONER, EHO, MANAGER, LA_ADMIN, SYSTEM_ADMIN} - emails
    assert not missing, f"Demo sign-ins no longer include {sorted(missing)}"
    return live_server


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM_PATH).exists():
        pytest.fail(
            f"Chromium was not found at {CHROMIUM_PATH}. The browser tests need it: "
            "install Debian's `chromium` package (apt-get install chromium), or set "
            "CHROMIUM_PATH to a Chromium binary.",
            pytrace=False,
        )
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS
        )
    except PlaywrightError as error:
        playwright.stop()
        pytest.fail(
            f"Chromium at {CHROMIUM_PATH} would not start ({error}). Install Debian's "
            "`chromium` package (apt-get install chromium).",
            pytrace=False,
        )
    yield browser
    browser.close()
    playwright.stop()


class PageProblems:
    """Console errors and uncaught exceptions seen on a page."""

    def __init__(self):
        self.items = []
        self.reported = 0

    def console(self, message):
        if message.type == "error":
            where = message.location.get("url", "") if message.location else ""
            self.items.append(f"console error: {message.text} ({where})")

    def page_error(self, error):
        self.items.append(f"uncaught page error: {error}")

    def new(self):
        """Problems not yet reported, marking them reported."""
        fresh = self.items[self.reported :]
        self.reported = len(self.items)
        return fresh


def _problem_message(problems, url):
    listed = "\n".join(f"  - {problem}" for problem in problems)
    return f"The browser reported errors (last page {url}):\n{listed}"


@pytest.fixture
def page(browser, demo_data):
    """A fresh browser context and page; fails the test on any console error
    or uncaught JavaScript exception."""
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems = PageProblems()
    page.on("console", problems.console)
    page.on("pageerror", problems.page_error)
    page.problems = problems
    yield page
    url = page.url
    context.close()
    left = problems.new()
    if left:
        pytest.fail(_problem_message(left, url), pytrace=False)


def assert_no_browser_errors(page):
    fresh = page.problems.new()
    assert not fresh, _problem_message(fresh, page.url)


def url(live_server, path):
    return f"{live_server.url}{path}"


SECOND_STEP_HEADINGS = re.compile(
    r"^(Enter the 6-digit code from your authenticator app|Set up two-factor sign-in)$"
)


def sign_in(page, live_server, email, password=None):
    """Sign in through the real sign-in pages and wait until signed in: the
    password, then the code an authenticator app would show, computed from the
    user's device in the test database. Someone without an app yet sets one
    up first and is shown their recovery codes."""
    page.goto(url(live_server, "/accounts/sign-in/"))
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password or settings.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(SECOND_STEP_HEADINGS)
    setting_up = heading.inner_text().strip() == "Set up two-factor sign-in"
    device = TOTPDevice.objects.get(user__email__iexact=email, confirmed=not setting_up)
    page.get_by_label("Code", exact=True).fill(code_for(device))
    page.get_by_role("button", name="Continue").click()
    if setting_up:
        expect(heading).to_have_text("Your recovery codes")
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert_no_browser_errors(page)


def _format_violations(violations, page_url):
    lines = [f"axe found {len(violations)} accessibility violation(s) on {page_url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        nodes = violation["nodes"]
        for node in nodes[:MAX_NODES_LISTED]:
            lines.append(f"    target: {json.dumps(node['target'])}")
            lines.append(f"      html: {node['html'][:200]}")
            summary = " ".join((node.get("failureSummary") or "").split())
            if summary:
                lines.append(f"      {summary[:300]}")
        if len(nodes) > MAX_NODES_LISTED:
            lines.append(f"    ... and {len(nodes) - MAX_NODES_LISTED} more element(s)")
    return "\n".join(lines)


def assert_accessible(page):
    """Run axe-core (WCAG 2.0, 2.1 and 2.2, levels A and AA) on the page as it
    is now; fail listing every violation. Also fails on browser errors so far."""
    page.wait_for_load_state("load")
    assert_no_browser_errors(page)
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, which the page's Content
        # Security Policy does not govern; an inline <script> tag would be
        # refused, and the policy stays on for everything the page does.
        page.evaluate(AXE_PATH.read_text())
    results = page.evaluate(
        """async (tags) => await axe.run(document, {runOnly: {type: "tag", values: tags}})""",
        WCAG_TAGS,
    )
    # axe ran at least some rules: a result with nothing checked proves nothing.
    assert results["passes"], f"axe checked nothing on {page.url}"
    violations = results["violations"]
    assert not violations, _format_violations(violations, page.url)


def pytest_collection_modifyitems(config, items):
    """Every test in this folder must carry the browser marker, or the runs that
    exclude browser tests would start Chromium; and every browser test must be
    in this folder, the only one `make test-browser` collects."""
    here = Path(__file__).resolve().parent
    inside = {item.nodeid: here in Path(str(item.path)).resolve().parents for item in items}
    unmarked = [
        item.nodeid
        for item in items
        if inside[item.nodeid] and item.get_closest_marker("browser") is None
    ]
    if unmarked:
        raise pytest.UsageError(
            "Tests in tests/browser must be marked @pytest.mark.browser "
            f"(pytestmark = pytest.mark.browser): {unmarked}"
        )
    elsewhere = [
        item.nodeid
        for item in items
        if not inside[item.nodeid] and item.get_closest_marker("browser") is not None
    ]
    if elsewhere:
        raise pytest.UsageError(
            "Browser tests belong in tests/browser (make test-browser runs that folder): "
            f"{elsewhere}"
        )
