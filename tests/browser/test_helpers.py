"""The checks the other browser tests rely on can fail: axe reports a known
violation, and browser errors are caught."""

import pytest

from tests.browser.conftest import assert_accessible, assert_no_browser_errors, url

pytestmark = pytest.mark.browser

BAD_PAGE = """<!DOCTYPE html><html lang="en"><head><title>Bad page</title></head>
<body><main><h1>Bad page</h1><input type="text" id="nameless">
<img src="data:," id="no-alt"></main></body></html>"""


def test_axe_reports_violations_with_rule_and_element(page):
    page.set_content(BAD_PAGE)

    with pytest.raises(AssertionError) as failure:
        assert_accessible(page)

    message = str(failure.value)
    assert "label" in message
    assert "#nameless" in message
    assert "image-alt" in message
    assert "#no-alt" in message


def test_console_errors_and_uncaught_exceptions_are_caught(page, live_server):
    page.goto(url(live_server, "/accounts/sign-in/"))
    page.evaluate("console.error('synthetic console error')")
    page.evaluate("setTimeout(() => { throw new Error('synthetic uncaught error'); }, 0)")
    page.wait_for_timeout(200)

    with pytest.raises(AssertionError) as failure:
        assert_no_browser_errors(page)

    message = str(failure.value)
    assert "synthetic console error" in message
    assert "synthetic uncaught error" in message


def test_a_missing_static_file_is_caught(page, live_server):
    page.goto(url(live_server, "/accounts/sign-in/"))
    page.evaluate(
        """() => new Promise(resolve => {
            const link = document.createElement("link");
            link.rel = "stylesheet";
            link.href = "/static/css/no-such-file.css";
            link.onerror = link.onload = resolve;
            document.head.append(link);
        })"""
    )
    page.wait_for_timeout(100)

    with pytest.raises(AssertionError) as failure:
        assert_no_browser_errors(page)

    assert "404" in str(failure.value)
