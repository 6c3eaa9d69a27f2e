"""Asking for early help: search first, add the family's people, describe the
worries and needs, check, send. Each page is a GOV.UK question page; the
answers live in a session draft until the request is sent."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import District
from audit.models import Action
from audit.services import record
from core import policy
from core.codes import ReferralSource, referral_source_for
from core.forms import ConfirmForm, posted, run_form_action
from core.validators import parse_whole_number
from people.models import CHILD_RELATIONSHIPS, Family, FamilyMember, Person, Relationship
from people.search import search_people

from . import services
from .eligibility import eligibility_problem
from .models import Episode
from .needs import Need, significant_harm_needs
from .request_district import worked_out_district
from .request_draft import RequestDraft
from .request_forms import DetailsForm, NewPersonForm, SearchForm


def _require_requester(request):
    if not policy.can_start_request(request.user):
        raise PermissionDenied


def _draft_members(request, draft):
    """The draft's people for display: existing ones re-read through the policy."""
    visible = {
        p.pk: p
        for p in policy.people_visible_to(request.user).filter(
            pk__in=[m["person_id"] for m in draft.members if "person_id" in m]
        )
    }
    rows = []
    for index, member in enumerate(draft.members):
        person = visible.get(member.get("person_id"))
        rows.append(
            {
                "index": index,
                "name": member["name"],
                "existing": person,
                "relationship": Relationship(member["relationship"]).label,
                "details": member.get("details"),
            }
        )
    return rows


@require_http_methods(["GET", "POST"])
def request_start(request):
    _require_requester(request)
    draft = RequestDraft(request.session)
    if request.method == "GET" and request.GET.get("fresh"):
        draft.clear()
        draft = RequestDraft(request.session)
    form = SearchForm(posted(request))
    matches = None
    if request.method == "POST" and form.is_valid():
        draft.record_search(form.cleaned_data)
        matches = search_people(request.user, **form.cleaned_data)
        record(
            Action.VIEW,
            actor=request.user,
            request=request,
            changes={"search": "people", "results": len(matches)},
        )
    return render(
        request,
        "episodes/request/start.html",
        {
            "form": form,
            "matches": matches,
            "members": _draft_members(request, draft),
        },
    )


def _typed_so_far(data):
    """The details typed so far, for the live check, or None when there is too
    little to search on: a surname or an NHS number, and one more detail. A
    date that is not a real date finds nothing ({})."""
    form = SearchForm(data)
    form.is_valid()  # partial details are fine: only the fields that are valid count
    if "date_of_birth" in form.errors:
        return {}
    typed = {
        "first_name": form.cleaned_data.get("first_name", ""),
        "last_name": form.cleaned_data.get("last_name", ""),
        "date_of_birth": form.cleaned_data.get("date_of_birth"),
        "nhs_number": form.cleaned_data.get("nhs_number", ""),
        "postcode": form.cleaned_data.get("postcode", ""),
    }
    if not (typed["last_name"] or typed["nhs_number"]) or sum(map(bool, typed.values())) < 2:
        return None
    return typed


@require_GET
def request_matches(request):
    """The start page's matches for the details typed so far (its live check):
    the same fragment, audited as the same search."""
    _require_requester(request)
    typed = _typed_so_far(request.GET)
    matches = None if typed is None else []
    if typed:
        matches = search_people(request.user, **typed)
        record(
            Action.VIEW,
            actor=request.user,
            request=request,
            changes={"search": "people", "results": len(matches), "live": True},
        )
    return render(request, "episodes/request/_matches.html", {"matches": matches, "live": True})


def _relationship_of(person):
    membership = FamilyMember.objects.filter(person=person).order_by("-id").first()
    if membership:
        return membership.relationship
    return Relationship.CHILD if (person.age() or 0) < 18 else Relationship.PARENT


@require_POST
def request_add_existing(request):
    _require_requester(request)
    # A malformed id is refused like the id of someone the user may not see.
    pk = parse_whole_number(request.POST.get("person_id"))
    visible = policy.people_visible_to(request.user, few=True)
    person = pk is not None and visible.filter(pk=pk).first()
    if not person:
        raise PermissionDenied
    draft = RequestDraft(request.session)
    draft.add_existing(person, _relationship_of(person))
    family = person.families.order_by("-id").first()
    if family and not draft.family_id:
        draft.set_family(family.pk)
    messages.success(request, _("%(name)s added to the request") % {"name": person.full_name})
    return redirect("episodes:request_people")


@require_http_methods(["GET", "POST"])
def request_new_person(request):
    _require_requester(request)
    draft = RequestDraft(request.session)
    search = draft.last_search
    if search is None:
        messages.success(request, _("Search for the person first, so nobody is recorded twice"))
        return redirect("episodes:request_start")
    form = NewPersonForm(posted(request), initial=draft.new_person_initial())
    if request.method == "POST" and form.is_valid():
        details = {k: v for k, v in form.cleaned_data.items() if k != "relationship"}
        relationship = form.cleaned_data["relationship"]
        person = Person(local_authority=request.user.local_authority, **details)
        problem = (
            eligibility_problem(person, request.user.local_authority)
            if relationship in CHILD_RELATIONSHIPS
            else None
        )
        if problem:
            form.add_error("date_of_birth", problem)
        else:
            draft.add_new(details, relationship)
            return redirect("episodes:request_people")
    return render(request, "episodes/request/new_person.html", {"form": form})


@require_http_methods(["GET", "POST"])
def request_people(request):
    _require_requester(request)
    draft = RequestDraft(request.session)
    problems = []
    if request.method == "POST" and "remove" in request.POST:
        index = parse_whole_number(request.POST["remove"], maximum=len(draft.members) - 1)
        if index is not None:
            draft.remove(index)
            return redirect("episodes:request_people")
        problems = [{"text": _("Choose who to remove from the list"), "href": "#main-content"}]
    has_child = any(m["relationship"] in CHILD_RELATIONSHIPS for m in draft.members)
    return render(
        request,
        "episodes/request/people.html",
        {
            "members": _draft_members(request, draft),
            "has_child": has_child,
            "problems": problems,
        },
    )


@require_http_methods(["GET", "POST"])
def request_details(request):
    _require_requester(request)
    draft = RequestDraft(request.session)
    if not draft.members:
        return redirect("episodes:request_start")
    user = request.user
    first = draft.members[0]["name"].split(" ")[-1]
    primary = user.primary_organisation
    worked_out = worked_out_district(user)
    # Back from "Check your answers", every answer is as it was left.
    initial = draft.details or {
        "family_name": _("%(surname)s family") % {"surname": first},
        "organisation": primary.pk if primary else None,
        "district": worked_out.district.pk if worked_out else None,
    }
    form = DetailsForm(posted(request), initial=initial, user=user, worked_out=worked_out)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["organisation"] = data["organisation"].pk
        data["district"] = data["district"].pk
        draft.set_details(data)
        return redirect("episodes:request_check")
    return render(request, "episodes/request/details.html", {"form": form})


@require_http_methods(["GET", "POST"])
def request_check(request):
    _require_requester(request)
    draft = RequestDraft(request.session)
    if not draft.members or not draft.details:
        return redirect("episodes:request_people")
    details = draft.details
    organisation = request.user.organisations.filter(pk=details["organisation"]).first()
    district = District.objects.filter(
        pk=details["district"], local_authority=request.user.local_authority
    ).first()
    form = ConfirmForm(posted(request))

    def send(_data):
        visible = policy.people_visible_to(request.user)
        members = []
        for member in draft.members:
            if "person_id" in member:
                members.append(
                    {
                        "person": visible.filter(pk=member["person_id"]).first(),
                        "relationship": member["relationship"],
                    }
                )
            else:
                members.append(
                    {
                        "person": None,
                        "details": draft.new_person_details(member),
                        "relationship": member["relationship"],
                    }
                )
        family = None
        if draft.family_id:
            family = Family.objects.filter(
                pk=draft.family_id, memberships__person__in=policy.people_visible_to(request.user)
            ).first()
        episode = services.request_support(
            request.user,
            organisation=organisation,
            district=district,
            source=details["source"],
            worries=details["worries"],
            needs=details["needs"],
            family_name=details["family_name"],
            members=members,
            family=family,
            step_down_summary=details.get("step_down_summary", ""),
            referral_source=details.get("referral_source", ""),
            request=request,
        )
        draft.clear()
        return episode

    def sent(episode):
        message = _("Request %(ref)s sent. %(eho)s has been told.") % {
            "ref": episode.reference,
            "eho": episode.district.early_help_officer or _("The early help front door"),
        }
        if significant_harm_needs(details["needs"]):
            message += " " + _(
                'If you think a child is at risk of significant harm, choose "Refer to '
                "children's social care\" on this page."
            )
        return message

    done = run_form_action(
        request,
        form,
        send,
        success=sent,
        then=lambda episode: reverse("episodes:detail", kwargs={"pk": episode.pk}),
    )
    if done:
        return done
    need_labels = [Need(n).label for n in details["needs"]]
    worked_out = worked_out_district(request.user)
    return render(
        request,
        "episodes/request/check.html",
        {
            "members": _draft_members(request, draft),
            "details": details,
            "organisation": organisation,
            "district": district,
            "need_labels": need_labels,
            "district_reason": worked_out.reason
            if worked_out and district and worked_out.district.pk == district.pk
            else "",
            "harm_needs": [need.label for need in significant_harm_needs(details["needs"])],
            "council": request.user.local_authority,
            "source_label": dict(Episode._meta.get_field("source").choices)[details["source"]],
            "referral_source_label": ReferralSource(
                referral_source_for(
                    details["source"],
                    organisation.type if organisation else None,
                    details.get("referral_source", ""),
                )
            ).label,
            "form": form,
            # What stops the request being sent is put right on the people page.
            "problems": [
                {"text": problem, "href": reverse("episodes:request_people")}
                for problem in form.non_field_errors()
            ],
        },
    )
