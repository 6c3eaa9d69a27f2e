"""What the API accepts and answers, field by field; the OpenAPI document is
made from these. No person's values are read here: police notifications carry
the children as the police named them, and answers carry references only."""

from rest_framework import serializers

from plans.models import ActionStatus
from police.models import IncidentKind

from .strict import InputSerializer


class ProblemFieldSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="The field, e.g. children[0].date_of_birth")
    detail = serializers.CharField(help_text="What is wrong and how to fix it")


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = ProblemFieldSerializer(many=True, required=False)


class OfficerSerializer(serializers.Serializer):
    name = serializers.CharField()
    email = serializers.EmailField()
    phone = serializers.CharField(allow_blank=True)


class SchoolSerializer(serializers.Serializer):
    name = serializers.CharField()
    urn = serializers.CharField(allow_blank=True)


class DistrictSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    early_help_officer = OfficerSerializer(
        allow_null=True, help_text="The named Early Help Officer; null while there is none"
    )
    schools = SchoolSerializer(many=True)


class AdviceSerializer(serializers.Serializer):
    council = serializers.CharField()
    advice_line_phone = serializers.CharField(allow_blank=True)
    advice_email = serializers.CharField(allow_blank=True)
    out_of_hours_phone = serializers.CharField(allow_blank=True)
    mash_phone = serializers.CharField(allow_blank=True)


class DirectoryPageSerializer(serializers.Serializer):
    advice = AdviceSerializer()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = DistrictSerializer(many=True)


class ChildSerializer(InputSerializer):
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    postcode = serializers.CharField(max_length=10, required=False, allow_blank=True)
    present = serializers.BooleanField(
        required=False, default=False, help_text="Present at the incident"
    )
    nhs_number = serializers.RegexField(
        r"^[0-9]{10}$", required=False, allow_blank=True, help_text="Ten digits; to match on"
    )
    upn = serializers.RegexField(
        r"^[A-Z][0-9]{11}[0-9A-Z]$",
        required=False,
        allow_blank=True,
        help_text="A pupil's Unique Pupil Number; to match on",
    )


class PoliceNotificationInSerializer(InputSerializer):
    police_reference = serializers.CharField(max_length=50)
    incident_at = serializers.DateTimeField(help_text="With its offset, e.g. 2026-03-06T19:00:00Z")
    kind = serializers.ChoiceField(choices=IncidentKind.values)
    circumstances = serializers.CharField(max_length=5000)
    school_urn = serializers.RegexField(
        r"^[0-9]{6}$",
        required=False,
        allow_blank=True,
        help_text="The URN of the child's school or setting in the council, if known",
    )
    children = serializers.ListField(
        child=ChildSerializer(),
        min_length=1,
        max_length=20,
        help_text="Each child named, as the police gave them (1 to 20)",
    )


class PoliceNotificationOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    police_reference = serializers.CharField()
    recorded_at = serializers.DateTimeField()
    acknowledge_by = serializers.DateTimeField(
        help_text="Before the next school day starts, at the school's council"
    )
    acknowledged = serializers.BooleanField()
    acknowledged_at = serializers.DateTimeField(allow_null=True)


class PlanActionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case_id = serializers.IntegerField()
    case_reference = serializers.CharField()
    plan_version = serializers.IntegerField(help_text="The plan's version number (1, 2, ...)")
    what = serializers.CharField(help_text="What will be done (restricted details blanked)")
    due_by = serializers.DateField()
    status = serializers.ChoiceField(choices=ActionStatus.choices)
    status_label = serializers.CharField()
    not_done_reason = serializers.CharField(allow_blank=True)
    etag = serializers.CharField(help_text="Send it back in If-Match to record progress")


class LeadSerializer(serializers.Serializer):
    name = serializers.CharField()


class CaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    status = serializers.CharField(help_text="requested, assessment, meeting, plan, ...")
    status_label = serializers.CharField()
    next_step = serializers.CharField(
        allow_null=True, help_text="What the case waits for, e.g. record_review; null when closed"
    )
    lead_professional = LeadSerializer(allow_null=True)
    requested_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField(help_text="When anything on the case last changed")
    plan_actions = serializers.ListField(
        child=PlanActionSerializer(),
        help_text="The current plan's actions for the client's organisation (none before a plan)",
    )


class CasePageSerializer(serializers.Serializer):
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = CaseSerializer(many=True)
