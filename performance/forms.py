from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.validators import parse_whole_number

from .models import Targets
from .services import TARGET_FIELDS


class WholeNumberField(forms.Field):
    """A whole number typed in ASCII digits within [low, high]. Django's
    IntegerField reads "٣" as 3 and "²" as an error only by luck; this uses
    the service's one reading of a number (core.validators.parse_whole_number)
    and says what to enter for anything else."""

    def __init__(self, *, low: int, high: int, **kwargs):
        self.low, self.high = low, high
        super().__init__(widget=forms.TextInput, **kwargs)
        self.message = _("Enter a whole number from %(low)s to %(high)s") % {
            "low": low,
            "high": high,
        }
        self.error_messages["required"] = self.message
        self.widget.attrs.update(
            {"class": "govuk-input--width-3", "inputmode": "numeric", "spellcheck": "false"}
        )

    def to_python(self, value):
        if value in self.empty_values:
            return None
        number = parse_whole_number(value, minimum=self.low, maximum=self.high)
        if number is None:
            raise ValidationError(self.message, code="invalid")
        return number


class TargetsForm(forms.Form):
    def __init__(self, *args, instance: Targets, **kwargs):
        from django.core.validators import MaxValueValidator, MinValueValidator

        initial = {name: getattr(instance, name) for name in TARGET_FIELDS}
        super().__init__(*args, initial=initial, **kwargs)
        for name in TARGET_FIELDS:
            model_field = Targets._meta.get_field(name)
            limits = model_field.validators
            low = next(v.limit_value for v in limits if isinstance(v, MinValueValidator))
            high = next(v.limit_value for v in limits if isinstance(v, MaxValueValidator))
            self.fields[name] = WholeNumberField(
                low=low,
                high=high,
                label=model_field.verbose_name,
                help_text=model_field.help_text,
            )
