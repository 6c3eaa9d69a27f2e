"""Quality assurance pages: auditing a case, the team's acknowledgement and
reply, samples for audit, the summary and the council's criteria. Thin: each
change runs a domain function of quality.services through run_form_action."""

from collections import Counter

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import OrganisationType
from audit.models import Action
from audit.services import record
from core import policy
from core.forms import ConfirmForm, posted, run_form_action
from core.validators import parse_whole_number

from . import services
from .forms import AuditForm, CriterionForm, ReplyForm, SampleForm
from .models import CaseAudit, Criterion, Grade, Subject

RECENT_AUDITS = 50
SUMMARY_MONTHS = 12


def _require_auditor(request):
    if not policy.can_audit(request.user):
        raise PermissionDenied


def _subject_label(target):
    if target.plan is not None:
        return _("The current plan (version %(n)s)") % {"n": target.plan.number}
    return Subject(target.subject).label


def _earlier_audits(episode):
    return [
        (
            str(audit.pk),
            _("%(date)s: %(grade)s")
            % {
                "date": date_format(timezone.localtime(audit.audited_at), "j F Y"),
                "grade": audit.get_grade_display(),
            },
        )
        for audit in CaseAudit.objects.filter(episode=episode).order_by("-audited_at", "-pk")
    ]


@require_http_methods(["GET", "POST"])
def audit_new(request, episode_pk):
    episode = policy.get_episode_for(request.user, episode_pk, request)
    if not policy.can_audit_case(request.user, episode):
        raise PermissionDenied
    targets = services.audit_targets(episode)
    earlier = _earlier_audits(episode)
    initial = {}
    reaudit = parse_whole_number(request.GET.get("reaudit"))
    if reaudit is not None and any(pk == str(reaudit) for pk, _label in earlier):
        first = CaseAudit.objects.get(pk=reaudit)
        initial = {"re_audit_of": str(reaudit), "subject": first.subject}
    form = AuditForm(
        posted(request),
        criteria=services.active_criteria(episode.local_authority),
        subjects=[(key, _subject_label(target)) for key, target in targets.items()],
        earlier=earlier,
        initial=initial,
    )

    def save(data):
        chosen = data.get("re_audit_of")
        first = CaseAudit.objects.filter(episode=episode, pk=chosen).first() if chosen else None
        return services.record_audit(
            request.user,
            episode,
            subject=data["subject"],
            grade=data["grade"],
            feedback=data["feedback"],
            judgements=form.judgements(),
            re_audit_of=first,
            request=request,
        )

    done = run_form_action(
        request,
        form,
        save,
        success=_("Audit recorded: the lead professional has been told"),
        then=lambda audit: reverse("quality:detail", args=[episode.pk, audit.pk]),
    )
    if done:
        return done
    return render(request, "quality/audit_new.html", {"episode": episode, "form": form})


def _audit_or_404(request, episode_pk, pk):
    episode = policy.get_episode_for(request.user, episode_pk, request)
    audit = (
        policy.audits_visible_to(request.user)
        .filter(episode=episode, pk=pk)
        .select_related(
            "audited_by", "acknowledged_by", "re_audit_of", "episode__lead_professional"
        )
        .first()
    )
    if audit is None:
        raise Http404("No such audit, or you do not have access to it.")
    return episode, audit


def _detail_context(request, episode, audit, **forms):
    return {
        "episode": episode,
        "audit": audit,
        "grades": audit.grades.all(),
        "replies": audit.replies.select_related("author"),
        "re_audits": audit.re_audits.order_by("audited_at", "pk"),
        "can_respond": policy.can_respond_to_audit(request.user, audit),
        "can_audit": policy.can_audit_case(request.user, episode),
        "acknowledge_form": forms.get("acknowledge_form") or ConfirmForm(),
        "reply_form": forms.get("reply_form") or ReplyForm(),
    }


@require_GET
def audit_detail(request, episode_pk, pk):
    episode, audit = _audit_or_404(request, episode_pk, pk)
    record(Action.VIEW, actor=request.user, obj=audit, request=request)
    return render(request, "quality/audit_detail.html", _detail_context(request, episode, audit))


@require_http_methods(["POST"])
def acknowledge(request, episode_pk, pk):
    episode, audit = _audit_or_404(request, episode_pk, pk)
    if not policy.can_respond_to_audit(request.user, audit):
        raise PermissionDenied
    form = ConfirmForm(posted(request))
    done = run_form_action(
        request,
        form,
        lambda _data: services.acknowledge_audit(request.user, audit, request=request),
        success=_("Audit acknowledged"),
        then=reverse("quality:detail", args=[episode.pk, audit.pk]),
    )
    if done:
        return done
    context = _detail_context(request, episode, audit, acknowledge_form=form)
    return render(request, "quality/audit_detail.html", context)


@require_http_methods(["POST"])
def reply(request, episode_pk, pk):
    episode, audit = _audit_or_404(request, episode_pk, pk)
    if not policy.can_respond_to_audit(request.user, audit):
        raise PermissionDenied
    form = ReplyForm(posted(request))
    done = run_form_action(
        request,
        form,
        lambda data: services.reply_to_audit(request.user, audit, data["text"], request=request),
        success=_("Reply sent to the auditor"),
        then=reverse("quality:detail", args=[episode.pk, audit.pk]) + "#replies",
    )
    if done:
        return done
    context = _detail_context(request, episode, audit, reply_form=form)
    return render(request, "quality/audit_detail.html", context)


@require_GET
def index(request):
    _require_auditor(request)
    audits = (
        policy.audits_visible_to(request.user)
        .filter(episode__in=policy.cases_auditable_by(request.user))
        .select_related("episode", "audited_by")
        .order_by("-audited_at", "-pk")[:RECENT_AUDITS]
    )
    return render(
        request,
        "quality/index.html",
        {
            "audits": audits,
            "can_edit_criteria": policy.can_edit_quality_criteria(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def samples(request):
    _require_auditor(request)
    form = SampleForm(posted(request))
    done = run_form_action(
        request,
        form,
        lambda data: services.draw_sample(
            request.user,
            size=data["size"],
            months=data["months"],
            seed=data.get("seed"),
            request=request,
        ),
        success=lambda sample: _("Sample drawn with seed %(seed)s") % {"seed": sample.seed},
        then=lambda sample: reverse("quality:sample", args=[sample.pk]),
    )
    if done:
        return done
    earlier = policy.audit_samples_visible_to(request.user).select_related("drawn_by")[:50]
    return render(request, "quality/samples.html", {"form": form, "samples": earlier})


@require_GET
def sample_detail(request, pk):
    _require_auditor(request)
    sample = (
        policy.audit_samples_visible_to(request.user)
        .select_related("drawn_by")
        .filter(pk=pk)
        .first()
    )
    if sample is None:
        raise Http404("No such sample, or you do not have access to it.")
    record(Action.VIEW, actor=request.user, obj=sample, request=request)
    types = dict(OrganisationType.choices)
    rows = [
        {
            "case": row.episode,
            "stratum": types.get(row.organisation_type, _("Not recorded")),
            "audit": audit,
            "may_audit": policy.can_audit_case(request.user, row.episode),
        }
        for row, audit in services.sampled_cases(sample)
    ]
    strata = Counter(row["stratum"] for row in rows)
    return render(
        request,
        "quality/sample_detail.html",
        {
            "sample": sample,
            "rows": rows,
            "strata": sorted(strata.items()),
            "done": sum(1 for row in rows if row["audit"]),
        },
    )


@require_GET
def summary(request):
    _require_auditor(request)
    months = parse_whole_number(request.GET.get("months"), minimum=1, maximum=services.MAX_MONTHS)
    months = months or SUMMARY_MONTHS
    today = timezone.localdate()
    since = services.months_before(today.replace(day=1), months - 1)
    rows = services.summary(request.user, since)
    record(
        Action.VIEW,
        actor=request.user,
        request=request,
        changes={"report": "quality_summary", "months": months},
    )
    return render(
        request,
        "quality/summary.html",
        {"rows": rows, "months": months, "since": since, "grades": Grade.choices},
    )


def _require_criteria_editor(request):
    if not policy.can_edit_quality_criteria(request.user):
        raise PermissionDenied


def _criterion_or_404(request, pk):
    criterion = Criterion.objects.filter(
        local_authority_id=request.user.local_authority_id, pk=pk
    ).first()
    if criterion is None:
        raise Http404("No such criterion.")
    return criterion


@require_http_methods(["GET", "POST"])
def criteria(request):
    _require_criteria_editor(request)
    la = request.user.local_authority
    services.ensure_default_criteria(la)
    form = CriterionForm(posted(request))
    done = run_form_action(
        request,
        form,
        lambda data: services.add_criterion(request.user, data["text"], request=request),
        success=_("Criterion added"),
        then=reverse("quality:criteria"),
    )
    if done:
        return done
    return render(
        request,
        "quality/criteria.html",
        {"form": form, "criteria": Criterion.objects.filter(local_authority=la)},
    )


@require_http_methods(["GET", "POST"])
def criterion_rename(request, pk):
    _require_criteria_editor(request)
    criterion = _criterion_or_404(request, pk)
    form = CriterionForm(posted(request), initial={"text": criterion.text})
    done = run_form_action(
        request,
        form,
        lambda data: services.rename_criterion(
            request.user, criterion, data["text"], request=request
        ),
        success=_("Criterion renamed: audits already made keep the words they used"),
        then=reverse("quality:criteria"),
    )
    if done:
        return done
    return render(
        request,
        "quality/criterion.html",
        {"form": form, "criterion": criterion, "retire_form": ConfirmForm()},
    )


@require_http_methods(["POST"])
def criterion_retire(request, pk):
    _require_criteria_editor(request)
    criterion = _criterion_or_404(request, pk)
    form = ConfirmForm(posted(request))
    done = run_form_action(
        request,
        form,
        lambda _data: services.retire_criterion(request.user, criterion, request=request),
        success=_("Criterion retired: it stays on the audits that graded it"),
        then=reverse("quality:criteria"),
    )
    if done:
        return done
    return render(
        request,
        "quality/criterion.html",
        {
            "form": CriterionForm(initial={"text": criterion.text}),
            "criterion": criterion,
            "retire_form": form,
        },
    )
