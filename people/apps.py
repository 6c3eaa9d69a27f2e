from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"

    def ready(self):
        # Restrictable values reach a template only through people.restrictions.
        from . import guard, restrictions
        from .models import RESTRICTABLE_MODEL_FIELDS, Person

        fields = [name for names in RESTRICTABLE_MODEL_FIELDS.values() for name in names]
        guard.guard(Person, fields, restrictions.BLANK)
        guard.install()
