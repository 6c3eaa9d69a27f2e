from accounts.security import current_code
from audit.models import Action, AuditEvent
from tests.factories import TEST_PASSWORD
from tests.two_factor import authenticator_for


def test_sign_in_failure_and_success_and_sign_out_are_audited(client, involved):
    device = authenticator_for(involved)
    client.post("/accounts/sign-in/", {"username": "involved@test.example", "password": "wrong"})
    client.post(
        "/accounts/sign-in/", {"username": "INVOLVED@test.example", "password": TEST_PASSWORD}
    )
    client.post("/accounts/sign-in/code/", {"code": current_code(device)})
    client.post("/accounts/sign-out/")

    events = list(AuditEvent.objects.values_list("action", "actor_label", "actor_id"))
    assert events == [
        (Action.SIGN_IN_FAILED, "involved@test.example", None),
        (Action.SIGN_IN, "involved@test.example", involved.pk),
        (Action.SIGN_OUT, "involved@test.example", involved.pk),
    ]
