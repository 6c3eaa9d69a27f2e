"""Council separation by construction: while a council's user is being served,
no record of another council can be loaded.

Every model with a `local_authority` foreign key is council-owned, found at
start-up, so a new model is covered without anyone remembering to list it.
`CouncilScopeMiddleware` scopes each signed-in request to the user's council.
Inside a scope, building an instance of a council-owned model that belongs to
another council (a query that forgot `local_authority=`, a form whose choices
were not limited to the council, a posted id of another council's record) is
refused: COUNCIL_GUARD "raise" (development, tests) raises CrossCouncilRecord,
so the forgotten filter fails loudly in tests, where both demo councils have
data; "deny" (production) logs it and answers 403, failing closed.

Deliberate reads across councils (auditing a denied attempt on a record that
exists elsewhere) say so with `across_councils()`.
"""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand
from django.db import models
from django.db.models.signals import post_init
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

_council: ContextVar[int | None] = ContextVar("council", default=None)
_across: ContextVar[bool] = ContextVar("across_councils", default=False)

Params = ParamSpec("Params")
Result = TypeVar("Result")


class CrossCouncilRecord(Exception):
    """A record of another council was loaded while serving this council."""


@contextmanager
def scope(local_authority_id: int | None) -> Iterator[None]:
    """Refuse, until the block ends, any record of a council but this one."""
    token = _council.set(local_authority_id)
    try:
        yield
    finally:
        _council.reset(token)


@contextmanager
def across_councils() -> Iterator[None]:
    """A deliberate read of other councils' records inside a scope."""
    token = _across.set(True)
    try:
        yield
    finally:
        _across.reset(token)


def any_council(view: Callable[Params, Result]) -> Callable[Params, Result]:
    """For a view authorised by a token in its link rather than by who is signed
    in (accepting an invitation): it may be opened while someone of another
    council is signed in, and serves the record the token names."""

    @wraps(view)
    def wrapped(*args: Params.args, **kwargs: Params.kwargs) -> Result:
        with across_councils():
            return view(*args, **kwargs)

    return wrapped


@contextmanager
def serving(local_authority_id: int) -> Iterator[None]:
    """Serve exactly this council until the block ends, inside `any_council`
    too: a page opened by a token, once it has found the token's record,
    serves that record's council and no other."""
    council = _council.set(local_authority_id)
    across = _across.set(False)
    try:
        yield
    finally:
        _across.reset(across)
        _council.reset(council)


def current() -> int | None:
    return _council.get()


def filtering_council() -> int | None:
    """The council every query is limited to now: the one served, unless
    reading across councils on purpose."""
    return None if _across.get() else _council.get()


def council_owned_models() -> list[type[models.Model]]:
    """Models whose rows each belong to one council."""
    local_authority = apps.get_model("accounts", "LocalAuthority")
    owned: list[type[models.Model]] = []
    for model in apps.get_models():
        try:
            field = model._meta.get_field("local_authority")
        except Exception:  # noqa: S112  (no such field: not council-owned)
            continue
        if field.is_relation and field.related_model is local_authority:
            owned.append(model)
    return owned


def _refuse_other_councils(
    sender: type[models.Model], instance: models.Model, **_kwargs: Any
) -> None:
    council = _council.get()
    if council is None or _across.get():
        return
    # Not loaded (`.only()`, or a new instance not yet given one): nothing to compare.
    owner = instance.__dict__.get("local_authority_id")
    if owner is None or owner == council:
        return
    message = (
        f"{sender._meta.label} {instance.__dict__.get('id')} belongs to council {owner}, "
        f"but council {council} is being served: a query or form forgot to limit "
        f"itself to the council"
    )
    if getattr(settings, "COUNCIL_GUARD", "deny") == "raise":
        raise CrossCouncilRecord(message)
    logger.error(message)
    raise PermissionDenied


def scoped_models() -> list[type[models.Model]]:
    """Council-owned models whose queries are limited to the council served:
    the case tables (`core.council_records.CouncilManager`)."""
    from core.council_records import CouncilManager

    return [m for m in council_owned_models() if isinstance(m._default_manager, CouncilManager)]


def install() -> None:
    for model in council_owned_models():
        post_init.connect(
            _refuse_other_councils, sender=model, dispatch_uid=f"council-{model._meta.label}"
        )
    from core.council_records import join_on_council

    scoped, owned = scoped_models(), council_owned_models()
    for model in scoped:
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model in scoped:
                join_on_council(field)
        # A case's many-to-many (its team's organisations) reaches a registry
        # table through a case table: join the two on the council too (an
        # organisation always has one council).
        for many in model._meta.many_to_many:
            through: Any = many.remote_field.through
            target: Any = many.related_model
            registry = target in owned and not target._meta.get_field("local_authority").null
            if through in scoped and registry:
                join_on_council(through._meta.get_field(many.m2m_reverse_field_name()))
        # Foreign-key reads (`meeting.episode`), saves, refreshes and deletes
        # use the base manager: scope them too. Set here, for every case table
        # at once, rather than in each model's Meta.
        model._meta.base_manager_name = model._default_manager.name
        model._meta.__dict__.pop("base_manager", None)


class CouncilScopeMiddleware:
    """Serve each signed-in user inside their council's scope."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        council = getattr(user, "local_authority_id", None) if user else None
        if not council or user is None or not user.is_authenticated:
            return self.get_response(request)
        with scope(council):
            return self.get_response(request)


class CouncilCommand(BaseCommand):
    """A management command run for one council (`--la SLUG`) runs in that
    council's scope, as a signed-in user's request does: a query in it that
    forgets the council fails the same way."""

    def execute(self, *args: Any, **options: Any) -> str | None:
        slug = options.get("la")
        council = (
            apps.get_model("accounts", "LocalAuthority").objects.filter(slug=slug).first()
            if slug
            else None
        )
        if council is None:  # every council, or an unknown one the command explains
            return super().execute(*args, **options)
        with scope(council.pk):
            return super().execute(*args, **options)
