"""After the demo data and a browse through the service, every page viewed is
in the audit trail and the hash chain is intact (`earlyhelp verify_audit`)."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from audit.models import Action, AuditEvent
from audit.services import verify_chain
from tests.browser.conftest import assert_accessible, sign_in, url

pytestmark = pytest.mark.browser


def test_a_browse_is_audited_and_the_chain_stays_intact(page, live_server, capsys):
    before = AuditEvent.objects.count()
    sign_in(page, live_server, "manager@northmoor.example")
    page.goto(url(live_server, "/cases/"))
    page.locator("table a").first.click()
    expect(page).to_have_url(re.compile(r"/cases/\d+/$"))
    case_path = page.url.removeprefix(live_server.url)
    page.get_by_role("table").first.locator("a").first.click()  # a family member
    person_path = page.url.removeprefix(live_server.url)
    assert_accessible(page)

    viewed = list(
        AuditEvent.objects.filter(sequence__gt=before, action=Action.VIEW)
        .order_by("sequence")
        .values_list("object_type", "object_id", "actor_label")
    )
    assert viewed == [
        ("episodes.episode", case_path.strip("/").split("/")[-1], "manager@northmoor.example"),
        ("people.person", person_path.strip("/").split("/")[-1], "manager@northmoor.example"),
    ]
    count, problem = verify_chain()
    assert (count, problem) == (AuditEvent.objects.count(), None)
    call_command("verify_audit")
    assert capsys.readouterr().out.startswith(f"audit chains intact: {count} events in ")
