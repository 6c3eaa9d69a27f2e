"""The form of the council's postcode areas: one box a district, one for the
general queue (families/postcodes.py checks and saves what is typed)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import District

from .postcodes import GENERAL, district_key

HINT = _("Outward codes (the part of the postcode before the space), for example NM1 NM2")


def _box(label, help_text):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false"}),
        error_messages={"max_length": _("List fewer outward codes in this box")},
    )


class PostcodeAreasForm(forms.Form):
    def __init__(self, *args, districts: list[District], **kwargs):
        super().__init__(*args, **kwargs)
        for district in districts:
            self.fields[district_key(district.pk)] = _box(district.name, HINT)
        self.fields[GENERAL] = _box(
            _("No district: the council's general queue"),
            _(
                "Outward codes the council serves whose district is not known. "
                "Requests from these go to the council's general queue"
            ),
        )
