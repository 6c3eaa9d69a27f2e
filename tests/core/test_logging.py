"""Request ids and logs without personal data (core/logging.py)."""

import json
import logging

import pytest

from core.logging import JsonFormatter, RequestIdFilter, accepted_request_id


@pytest.fixture
def json_lines():
    """Every record logged while the test runs, as the JSON handler writes it."""
    lines = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(json.loads(self.format(record)))

    handler = Collect()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    old_level = root.level
    root.setLevel(logging.INFO)
    yield lines
    root.removeHandler(handler)
    root.setLevel(old_level)


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("3f2a9c1e-7b44-4e1a-9d0e-1a2b3c4d5e6f", True),
        ("lb.trace_01", True),
        ("x" * 65, False),
        ("bad id\nINFO forged line", False),
        ("<script>", False),
        ("", False),
        (None, False),
    ],
)
def test_only_a_short_plain_request_id_is_kept(given, kept):
    chosen = accepted_request_id(given)
    assert (chosen == given) is kept
    assert 1 <= len(chosen) <= 64


def test_the_request_id_is_returned_and_on_every_record_of_the_request(
    client_for, involved, episode, json_lines
):
    client = client_for(involved)
    json_lines.clear()
    response = client.get(f"/cases/{episode.pk}/", headers={"X-Request-ID": "trace-123"})

    assert response["X-Request-ID"] == "trace-123"
    summary = [line for line in json_lines if line["logger"] == "earlyhelp.requests"]
    assert len(summary) == 1
    assert {line["request_id"] for line in json_lines} == {"trace-123"}
    assert summary[0]["user_id"] == involved.pk
    assert summary[0]["council_id"] == involved.local_authority_id
    assert (summary[0]["method"], summary[0]["route"], summary[0]["status"]) == (
        "GET",
        "cases/<int:pk>/",
        200,
    )
    assert isinstance(summary[0]["duration_ms"], float)


def test_django_s_own_lines_about_the_request_carry_its_id(client, db, json_lines):
    client.get("/no-such-page/", headers={"X-Request-ID": "trace-404"})
    not_found = [line for line in json_lines if line["logger"] == "django.request"]
    assert [line["request_id"] for line in not_found] == ["trace-404"]
    summary = [line for line in json_lines if line["logger"] == "earlyhelp.requests"]
    assert (summary[0]["route"], summary[0]["status"]) == ("(no route)", 404)


def test_a_missing_or_unsafe_request_id_is_replaced(client, db):
    given = client.get("/health/", headers={"X-Request-ID": "no spaces allowed"})
    made = client.get("/health/")
    assert given["X-Request-ID"] != "no spaces allowed"
    assert len({given["X-Request-ID"], made["X-Request-ID"]}) == 2


def test_no_query_string_body_name_or_email_reaches_the_logs(
    client_for, involved, episode, json_lines
):
    client = client_for(involved)
    json_lines.clear()
    client.get("/cases/", {"q": "Synthetica Smith"})
    client.post(
        f"/cases/{episode.pk}/notes/new/",
        {"kind": "home_visit", "who": "Synthetica Smith", "what_happened": "Visited at home."},
    )
    written = json.dumps(json_lines)
    assert "Synthetica" not in written
    assert involved.email not in written
    assert involved.get_full_name() not in written
    routes = [line["route"] for line in json_lines if line["logger"] == "earlyhelp.requests"]
    assert routes == ["cases/", "cases/<int:episode_pk>/notes/new/"]


def test_an_error_is_logged_by_its_type_and_stack_not_its_message(json_lines):
    typed = "".join(["Synthetica", " Smith"])  # what someone typed, not source code
    try:
        raise ValueError(typed)
    except ValueError:
        logging.getLogger("earlyhelp.test").exception("Something failed")
    (line,) = json_lines
    assert line["error"] == "builtins.ValueError"
    assert "raise ValueError(typed)" in line["stack"]
    assert "Synthetica" not in json.dumps(line)
    assert line["request_id"] == "-"


def test_log_format_must_be_plain_or_json(monkeypatch):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import earlyhelp.settings"],
        env={**__import__("os").environ, "LOG_FORMAT": "yaml"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert "LOG_FORMAT must be 'plain' or 'json'" in result.stderr
