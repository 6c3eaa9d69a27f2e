"""No page, document or email can print a person's restrictable values unless
they came through people.restrictions.

Every restrictable field of Person (an address, a date of birth, an NHS
number, a language...) is read through `GuardedValue`. While a template looks
up a variable (`{{ person.postcode }}`, `{% if person.age %}`: Django's
Variable._resolve_lookup, wrapped by `install`), reading one from a person
that did not come through people.restrictions (`shown_to`, `for_document`,
`for_search`) is a mistake in the page: a new page that forgets the
restrictions would print a restricted address, or an age worked out from a
restricted birthday. With PERSON_VALUES_GUARD
"raise" (tests, development) that is an error naming the field; with "mask"
(production) the value is left out and the mistake logged, so the page fails
closed rather than leaking. Code that needs the real values while a page is
rendered (the restrictions module itself, answering a template tag) reads
them inside `unguarded()`.

Values read outside a template's lookups (services, policy, matching, the
Python code of template tags) are untouched.
"""

import contextlib
import contextvars
import logging

from django.conf import settings
from django.db.models.query_utils import DeferredAttribute

logger = logging.getLogger(__name__)

rendering = contextvars.ContextVar("rendering", default=False)


class UnfilteredPersonError(RuntimeError):
    """A template read a restrictable value from a person that did not come
    through people.restrictions."""


@contextlib.contextmanager
def unguarded():
    token = rendering.set(False)
    try:
        yield
    finally:
        rendering.reset(token)


@contextlib.contextmanager
def rendering_template():
    token = rendering.set(True)
    try:
        yield
    finally:
        rendering.reset(token)


class GuardedValue:
    """A data descriptor in place of Django's deferred attribute for one
    restrictable field: the value lives in the instance's __dict__ as usual."""

    def __init__(self, field, blank):
        self.attname = field.attname
        self.blank = blank
        self._deferred = DeferredAttribute(field)

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        if self.attname in instance.__dict__:
            value = instance.__dict__[self.attname]
        else:
            value = self._deferred.__get__(instance, owner)
        if rendering.get() and not instance.__dict__.get("is_masked_copy", False):
            return self._refuse(instance, value)
        return value

    def __set__(self, instance, value):
        instance.__dict__[self.attname] = value

    def _refuse(self, instance, value):
        message = (
            f"A template read Person.{self.attname} (person {instance.pk}) without "
            "people.restrictions: give the template restrictions.shown_to(user, person) "
            "(or {% shown person as person %}) instead of the person."
        )
        if getattr(settings, "PERSON_VALUES_GUARD", "mask") == "raise":
            raise UnfilteredPersonError(message)
        logger.error(message)
        return self.blank


def guard(model, fields, blanks):
    """Put GuardedValue on each of `fields` of `model`."""
    for name in fields:
        field = model._meta.get_field(name)
        setattr(model, field.attname, GuardedValue(field, blanks.get(name, "")))


def install():
    """Mark every template variable lookup (people/apps.py calls this once)."""
    from django.template import base

    if getattr(base.Variable._resolve_lookup, "guarded", False):
        return
    resolve = base.Variable._resolve_lookup

    def guarded_lookup(self, context):
        # rendering_template() without the context manager's own cost: this
        # runs for every variable of every page (thousands on a case list).
        token = rendering.set(True)
        try:
            return resolve(self, context)
        finally:
            rendering.reset(token)

    guarded_lookup.guarded = True
    base.Variable._resolve_lookup = guarded_lookup
