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
