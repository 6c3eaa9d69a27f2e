"""core.forms.run_form_action: one way to run a domain function from a form.
Real Django forms and requests; the domain functions are stand-ins that
succeed or refuse the way services do."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from core.forms import STALE_EDIT_MESSAGE, ConfirmForm, error_list, posted, run_form_action
from episodes.services import StaleEdit
from episodes.states import TransitionRefused


class NoteForm(forms.Form):
    text = forms.CharField()


def post(data=None):
    request = RequestFactory().post("/", data or {})
    request._messages = CookieStorage(request)
    return request


def said(request):
    return [str(message) for message in get_messages(request)]


def refuse(error):
    def action(_data):
        raise error

    return action


def test_success_says_so_and_redirects():
    request = post({"text": "Hello"})

    done = run_form_action(
        request,
        NoteForm(posted(request)),
        lambda data: data["text"].upper(),
        success=lambda result: f"Saved {result}",
        then=lambda result: f"/notes/{result}/",
    )

    assert (done.status_code, done["Location"], said(request)) == (
        302,
        "/notes/HELLO/",
        ["Saved HELLO"],
    )


def test_a_success_with_nothing_to_say_says_nothing():
    request = post({"text": "Hello"})

    done = run_form_action(
        request,
        NoteForm(posted(request)),
        lambda _data: False,
        success=lambda changed: changed and "Saved",
        then="/",
    )

    assert (done.status_code, said(request)) == (302, [])


def test_each_refusal_is_shown_on_the_form_with_the_typed_text_kept():
    field_error = ValidationError({"text": "Too rude"})
    coded = ValidationError("Add the worries", code="worries")
    shown = {}
    for name, error in {
        "field": field_error,
        "coded": coded,
        "refused": TransitionRefused("The case is closed"),
        "stale": StaleEdit(current=None),
    }.items():
        request = post({"text": "Hello"})
        form = NoteForm(posted(request))
        assert run_form_action(request, form, refuse(error), success="Saved", then="/") is None
        assert (form["text"].value(), said(request)) == ("Hello", [])
        shown[name] = error_list(form)

    assert shown == {
        "field": [{"text": "Too rude", "href": "#id_text"}],
        "coded": [{"text": "Add the worries", "href": "#main-content"}],
        "refused": [{"text": "The case is closed", "href": "#main-content"}],
        "stale": [{"text": STALE_EDIT_MESSAGE, "href": "#main-content"}],
    }


def test_a_refusal_keeps_its_code_so_a_page_can_link_it():
    request = post()
    form = ConfirmForm(posted(request))

    run_form_action(
        request, form, refuse(ValidationError("Add the worries", code="worries")), then="/"
    )

    assert [error.code for error in form.non_field_errors().as_data()] == ["worries"]


def test_on_stale_may_show_a_rebased_form_and_the_message_goes_on_it():
    request = post({"text": "Mine"})
    form = NoteForm(posted(request))
    rebased = {}

    def show_both(stale):
        # Unbound, from the version now saved, as the plan's amend page does.
        rebased["form"] = NoteForm(initial={"text": f"{stale.current} + Mine"})
        return rebased["form"]

    done = run_form_action(
        request, form, refuse(StaleEdit(current="Theirs")), then="/", on_stale=show_both
    )

    assert done is None
    assert error_list(rebased["form"]) == [{"text": STALE_EDIT_MESSAGE, "href": "#main-content"}]
    assert rebased["form"]["text"].value() == "Theirs + Mine"
    assert form.errors == {}


def test_on_stale_returning_nothing_leaves_the_message_on_the_form():
    request = post({"text": "Mine"})
    form = NoteForm(posted(request))
    seen = []

    run_form_action(
        request, form, refuse(StaleEdit(current="Theirs")), then="/", on_stale=seen.append
    )

    assert ([stale.current for stale in seen], error_list(form)) == (
        ["Theirs"],
        [{"text": STALE_EDIT_MESSAGE, "href": "#main-content"}],
    )


def test_nothing_runs_on_get_or_an_invalid_form():
    ran = []
    get = RequestFactory().get("/")
    request = post({"text": ""})

    assert run_form_action(get, NoteForm(posted(get)), ran.append, then="/") is None
    assert run_form_action(request, NoteForm(posted(request)), ran.append, then="/") is None
    assert ran == []
