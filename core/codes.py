"""DfE Children in Need census code sets, so statutory returns can be produced
without re-coding. Stored values are the census codes themselves."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    """CIN census gender codes (the census field is "gender", recorded as sex)."""

    MALE = "1", _("Male")
    FEMALE = "2", _("Female")
    NOT_RECORDED = "0", _("Not known or not recorded (including unborn)")
    INDETERMINATE = "9", _("Indeterminate")


class Ethnicity(models.TextChoices):
    WBRI = "WBRI", _("White British")
    WIRI = "WIRI", _("White Irish")
    WIRT = "WIRT", _("Traveller of Irish heritage")
    WOTH = "WOTH", _("Any other White background")
    WROM = "WROM", _("Gypsy/Roma")
    MWBC = "MWBC", _("White and Black Caribbean")
    MWBA = "MWBA", _("White and Black African")
    MWAS = "MWAS", _("White and Asian")
    MOTH = "MOTH", _("Any other mixed background")
    AIND = "AIND", _("Indian")
    APKN = "APKN", _("Pakistani")
    ABAN = "ABAN", _("Bangladeshi")
    AOTH = "AOTH", _("Any other Asian background")
    BCRB = "BCRB", _("Black Caribbean")
    BAFR = "BAFR", _("Black African")
    BOTH = "BOTH", _("Any other Black background")
    CHNE = "CHNE", _("Chinese")
    OOTH = "OOTH", _("Any other ethnic group")
    REFU = "REFU", _("Refused")
    NOBT = "NOBT", _("Information not yet obtained")


class Disability(models.TextChoices):
    NONE = "NONE", _("No disability")
    MOB = "MOB", _("Mobility")
    HAND = "HAND", _("Hand function")
    PC = "PC", _("Personal care")
    INC = "INC", _("Incontinence")
    COMM = "COMM", _("Communication")
    LD = "LD", _("Learning")
    HEAR = "HEAR", _("Hearing")
    VIS = "VIS", _("Vision")
    BEH = "BEH", _("Behaviour")
    CON = "CON", _("Consciousness")
    AUT = "AUT", _("Autism or Asperger syndrome")
    DDA = "DDA", _("Other disability under the Equality Act")


class ReferralSource(models.TextChoices):
    """CIN census source of referral: who asked for help. The census codes and
    their order; the label says the census group first, as the census does."""

    INDIVIDUAL_FAMILY = "1A", _("Individual: family member, relative or carer")
    INDIVIDUAL_ACQUAINTANCE = "1B", _("Individual: acquaintance (including neighbours)")
    INDIVIDUAL_SELF = "1C", _("Individual: self (the child or young person)")
    INDIVIDUAL_OTHER = "1D", _("Individual: other")
    SCHOOLS = "2A", _("Schools")
    EDUCATION_SERVICES = "2B", _("Education services (including early years settings)")
    HEALTH_GP = "3A", _("Health services: GP")
    HEALTH_VISITOR = "3B", _("Health services: health visitor")
    HEALTH_SCHOOL_NURSE = "3C", _("Health services: school nurse")
    HEALTH_OTHER_PRIMARY = "3D", _("Health services: other primary health services")
    HEALTH_A_AND_E = "3E", _("Health services: A&E")
    HEALTH_OTHER = "3F", _("Health services: other")
    HOUSING = "4", _("Housing")
    LA_SOCIAL_CARE = "5A", _("LA services: social care")
    LA_OTHER_INTERNAL = "5B", _("LA services: other internal (for example youth offending)")
    LA_EXTERNAL = "5C", _("LA services: external (another council's services)")
    LA_EARLY_HELP = "5D", _("LA services: early help")
    POLICE = "6", _("Police")
    OTHER_LEGAL = "7", _("Other legal agency")
    OTHER = "8", _("Other")
    ANONYMOUS = "9", _("Anonymous")
    UNKNOWN = "10", _("Unknown")


# Who asked (episodes.models.RequestSource, by value) and, for a professional,
# their organisation's type (accounts.models.OrganisationType, by value) give
# the referral source. A tuple of one is certain; a longer tuple is a choice
# the requester makes on the request form, its first code the one recorded
# when nobody chose (a command, a record made before the codes existed).
REFERRAL_SOURCE_BY_ASKER: dict[str, tuple[ReferralSource, ...]] = {
    "parent": (ReferralSource.INDIVIDUAL_FAMILY,),
    "young_person": (ReferralSource.INDIVIDUAL_SELF,),
    "step_down": (ReferralSource.LA_SOCIAL_CARE,),
}
REFERRAL_SOURCE_BY_ORGANISATION_TYPE: dict[str, tuple[ReferralSource, ...]] = {
    "school": (ReferralSource.SCHOOLS,),
    "early_years": (ReferralSource.EDUCATION_SERVICES,),
    "health_visiting": (ReferralSource.HEALTH_VISITOR,),
    "gp": (ReferralSource.HEALTH_GP,),
    "health": (
        ReferralSource.HEALTH_OTHER,
        ReferralSource.HEALTH_OTHER_PRIMARY,
        ReferralSource.HEALTH_SCHOOL_NURSE,
        ReferralSource.HEALTH_A_AND_E,
    ),
    "police": (ReferralSource.POLICE,),
    "housing": (ReferralSource.HOUSING,),
    "voluntary": (ReferralSource.OTHER,),
    "early_help": (ReferralSource.LA_EARLY_HELP,),
    "csc": (ReferralSource.LA_SOCIAL_CARE,),
    "other": (
        ReferralSource.OTHER,
        ReferralSource.EDUCATION_SERVICES,
        ReferralSource.LA_OTHER_INTERNAL,
        ReferralSource.LA_EXTERNAL,
        ReferralSource.OTHER_LEGAL,
        ReferralSource.INDIVIDUAL_OTHER,
    ),
}


def referral_sources_for(asker: str, organisation_type: str | None) -> tuple[ReferralSource, ...]:
    """The referral source codes that fit who asked (a RequestSource value) and
    the requesting organisation's type: one when it is certain, several when
    the requester must choose (the first is the default), (UNKNOWN,) when
    nothing fits."""
    if asker in REFERRAL_SOURCE_BY_ASKER:
        return REFERRAL_SOURCE_BY_ASKER[asker]
    return REFERRAL_SOURCE_BY_ORGANISATION_TYPE.get(
        organisation_type or "", (ReferralSource.UNKNOWN,)
    )


def referral_source_for(asker: str, organisation_type: str | None, chosen: str = "") -> str:
    """The code to record: the one chosen when it fits, else the default."""
    fitting = referral_sources_for(asker, organisation_type)
    return chosen if chosen in fitting else fitting[0]


class ClosureCode(models.TextChoices):
    """Why early help closed, as census-style codes (the CIN census's own
    reasons for closure, RC1-RC9, describe social care cases, not early help).
    Each code is one episodes.models.ClosureReason, with the same label."""

    NEEDS_MET = "EH1", _("Needs met")
    STEPPED_UP = "EH2", _("Stepped up to children's social care")
    STEPPED_DOWN = "EH3", _("Stepped down to universal services")
    CONSENT_DECLINED = "EH4", _("Consent declined")
    DISENGAGED = "EH5", _("Family declined or disengaged")
    MOVED_AWAY = "EH6", _("Moved out of the area")
    UPPER_AGE = "EH7", _("Reached the upper age")


# ClosureReason value -> code (episodes.states sets both when a case closes).
CLOSURE_CODE_OF_REASON: dict[str, ClosureCode] = {
    "needs_met": ClosureCode.NEEDS_MET,
    "stepped_up": ClosureCode.STEPPED_UP,
    "stepped_down": ClosureCode.STEPPED_DOWN,
    "consent_declined": ClosureCode.CONSENT_DECLINED,
    "disengaged": ClosureCode.DISENGAGED,
    "moved_away": ClosureCode.MOVED_AWAY,
    "upper_age": ClosureCode.UPPER_AGE,
}
