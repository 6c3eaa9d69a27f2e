"""A council-scale database for page, oversight and reporting benchmarks.

The shape of a large county council (issue 11), all synthetic: PEOPLE people
on the register (the matching benchmark's households, names and identifiers,
bench/matching/register.py), 60,000 cases over five years for 300,000 people
(8,000 open) across 10 districts and 200 organisations, a few long-history
cases with hundreds of events, and millions of audit events in one hash
chain that `earlyhelp verify_audit` accepts. Everything scales with `people`.

    .venv/bin/python -m bench.council                       # 300,000 people
    .venv/bin/python -m bench.council --people 20000 --database-url postgres://...

Reuse it from another benchmark:

    from bench import council
    made = council.generate("postgres://postgres@127.0.0.1:5432/h_mine", people=20_000)
    made.busy_practitioner  # the email to sign in as; council.PASSWORD is everyone's

`generate` drops and recreates the database; `populate` writes into the
database Django is already set up on (the tests use it at tiny scale). Rows go
in as COPY on PostgreSQL (executemany on SQLite) with ids chosen here, so the
generator runs in minutes, not hours. Statuses and timestamps follow
episodes/states.py's transitions; each case's consent to share with its
requesting organisation and Team Around the Family is recorded, so the
need-to-know policy gives the busy practitioner's school hundreds of cases.
"""

import argparse
import json
import random
import sys
import time
import zlib
from array import array
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DISTRICTS = 10
ORGANISATIONS = 200
PRACTITIONERS_PER_ORGANISATION = 2
CASES_PER_PERSON = 60_000 / 300_000
OPEN_PER_PERSON = 8_000 / 300_000
AUDIT_EVENTS_PER_CASE = 33  # about 2 million at 300,000 people
LONG_HISTORY_EVERY = 500  # one case in 500 has hundreds of events
LONG_HISTORY_EVENTS = 600
BUSY_SHARE = 0.01  # the busy school is involved in one case in a hundred
YEARS = 5
PASSWORD = "bench-password-not-for-real-use"  # noqa: S105 (synthetic accounts only)
EMAIL_DOMAIN = "benchshire.example"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/h_scalebench"

OPEN_MIX = (("requested", 10), ("assessment", 25), ("meeting", 15), ("plan", 42), ("stepped_up", 8))
CLOSURE_MIX = (
    ("needs_met", 50),
    ("disengaged", 15),
    ("stepped_down", 10),
    ("consent_declined", 8),
    ("stepped_up", 7),
    ("moved_away", 7),
    ("upper_age", 3),
)


@dataclass
class Made:
    """What a benchmark needs to find its way around the generated council."""

    local_authority_id: int
    eho: str
    manager: str
    busy_practitioner: str
    long_history_case: int
    open_case_of_busy_practitioner: int
    people: int
    cases: int
    open_cases: int
    audit_events: int
    seconds: float


def email(name):
    return f"{name}@{EMAIL_DOMAIN}"


# --- writing rows ---------------------------------------------------------------


def _next_id(model):
    from django.db.models import Max

    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


def _rows(model, objects):
    """Database values of unsaved instances, in concrete-field order."""
    from django.db import connection

    fields = list(model._meta.concrete_fields)
    return [f.column for f in fields], (
        [f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in fields]
        for obj in objects
    )


def write(model, objects):
    """Insert unsaved instances that carry their own ids, fast."""
    from bench.matching.database import _insert

    columns, rows = _rows(model, objects)
    _insert(model._meta.db_table, columns, rows)


class Table:
    """Plain rows for one model's table, for the tables with hundreds of
    thousands of rows (a model instance each costs more than the database
    does). Every column's stored default is worked out once from `fixed`;
    each row then gives its own values by attribute name, and gets the next id.

    What each generated row holds is written where it is made, as keyword
    arguments (`Table.row(episode_id=..., person_id=...)`): a new column
    with no default (a council id on a case table, say) is one more keyword
    there, and a forgotten one fails loudly here."""

    def __init__(self, model, **fixed):
        from django.db import connection
        from django.db.models import DateField, JSONField

        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.columns = [f.column for f in self.fields]
        template = model(**fixed)
        self.defaults = {
            f.attname: f.get_db_prep_save(f.pre_save(template, add=True), connection)
            for f in self.fields
            if not f.primary_key
        }
        # Dates, times and JSON are stored differently by each database; the
        # rest go in as they are.
        self.convert = {
            f.attname: (lambda value, f=f: f.get_db_prep_save(value, connection))
            for f in self.fields
            if isinstance(f, DateField | JSONField)
        }
        self.required = {
            f.attname
            for f in self.fields
            if not f.primary_key
            and not f.null
            and not f.has_default()
            and f.get_internal_type() not in ("CharField", "TextField")
        } - set(fixed)
        self.pk_name = model._meta.pk.attname
        self.next_id = _next_id(model)
        self.rows = []

    def row(self, **values):
        missing = self.required - set(values)
        if missing:
            raise ValueError(f"{self.model.__name__} rows need {sorted(missing)}")
        for name, value in values.items():
            if name in self.convert:
                values[name] = self.convert[name](value)
        row = {**self.defaults, self.pk_name: self.next_id, **values}
        self.next_id += 1
        self.rows.append([row[f.attname] for f in self.fields])
        return row[self.pk_name]

    def write(self):
        from bench.matching.database import _insert

        _insert(self.model._meta.db_table, self.columns, self.rows)
        written, self.rows = len(self.rows), []
        return written


def write_audit_events(events):
    """Append events to their councils' audit chains (audit.models.chain_for),
    in order, with the hashes audit.services.record would give them; then move
    each chain's head on.

    `events` yields unsaved AuditEvent instances without numbers or hashes,
    oldest first, or any object with their attributes (`Event`: millions of
    model instances would cost more than the rest of the generator). The
    hash is AuditEvent's own compute_hash either way. The one place the
    generator touches the chains."""
    from django.db.models import Max

    from audit.models import AuditChainHead, AuditEvent, chain_for
    from bench.matching.database import _insert

    heads = {}  # chain: [position, last hash]
    compute_hash = AuditEvent.compute_hash
    sequence = AuditEvent.objects.aggregate(last=Max("sequence"))["last"] or 0
    first_sequence = sequence
    first_id = _next_id(AuditEvent)
    columns = [f.column for f in AuditEvent._meta.concrete_fields]

    # Every chain's head is read before the rows stream: on PostgreSQL they go
    # in by COPY, and no other query may run on the connection meanwhile.
    from accounts.models import LocalAuthority

    for chain in [chain_for(None)] + [
        chain_for(pk) for pk in LocalAuthority.objects.values_list("pk", flat=True)
    ]:
        head, _ = AuditChainHead.objects.get_or_create(chain=chain)
        heads[chain] = [head.sequence, head.last_hash]

    started_at = {chain: position for chain, (position, _hash) in heads.items()}

    def head_of(chain):
        return heads[chain]

    def rows():
        nonlocal sequence
        for event in events:
            sequence += 1
            event.chain = chain_for(event.local_authority_id)
            head = head_of(event.chain)
            head[0] += 1
            event.pk = first_id + sequence - first_sequence - 1
            event.sequence, event.position, event.prev_hash = sequence, head[0], head[1]
            event.hash = head[1] = compute_hash(event)
            yield [
                event.pk,
                event.sequence,
                event.chain,
                event.position,
                event.created_at,
                event.actor_id,
                event.actor_label,
                event.local_authority_id,
                event.action,
                event.object_type,
                event.object_id,
                json.dumps(event.changes),
                event.reason,
                event.episode_id,
                event.ip_address,
                event.prev_hash,
                event.hash,
            ]

    assert columns == [  # noqa: S101 (the row above must follow the model)
        "id",
        "sequence",
        "chain",
        "position",
        "created_at",
        "actor_id",
        "actor_label",
        "local_authority_id",
        "action",
        "object_type",
        "object_id",
        "changes",
        "reason",
        "episode_id",
        "ip_address",
        "prev_hash",
        "hash",
    ], columns
    _insert(AuditEvent._meta.db_table, columns, rows())
    for chain, (position, last_hash) in heads.items():
        if position > started_at[chain]:  # a head may only move forward
            AuditChainHead.objects.filter(chain=chain).update(
                sequence=position, last_hash=last_hash
            )
    return sequence - first_sequence


class Event:
    """An audit event's fields as AuditEvent has them, without a model
    instance (write_audit_events hashes it with AuditEvent.compute_hash)."""

    __slots__ = (
        "pk",
        "sequence",
        "chain",
        "position",
        "created_at",
        "actor_id",
        "actor_label",
        "local_authority_id",
        "action",
        "object_type",
        "object_id",
        "changes",
        "reason",
        "episode_id",
        "ip_address",
        "prev_hash",
        "hash",
    )

    def __init__(self, **values):
        self.reason, self.ip_address = "", None
        for name, value in values.items():
            setattr(self, name, value)

    def content(self):
        from audit.models import AuditEvent

        return AuditEvent.content(self)


# --- the council ---------------------------------------------------------------


class Council:
    def __init__(self, people, seed):
        self.rng = random.Random(f"council-{seed}")
        self.people_count = people
        self.seed = seed

    def staff(self):
        from django.contrib.auth.hashers import make_password
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from accounts.models import (
            District,
            LocalAuthority,
            Membership,
            Organisation,
            OrganisationType,
            Role,
            RoleGrant,
            User,
        )

        self.la = LocalAuthority.objects.create(
            slug=f"benchshire-{_next_id(LocalAuthority)}", name="Benchshire Council"
        )
        # One hash for everyone: hashing 400 passwords one by one takes minutes.
        hashed = make_password(PASSWORD)
        next_user = _next_id(User)
        users = []

        def user(name, full_name, *roles):
            made = User(
                pk=next_user + len(users),
                email=email(name),
                full_name=full_name,
                local_authority=self.la,
                password=hashed,
            )
            made.roles_wanted = roles
            users.append(made)
            return made

        self.ehos = [user(f"eho{n}", f"Officer {n}", Role.EARLY_HELP_OFFICER) for n in range(10)]
        self.manager = user("manager", "Bench Manager", Role.EARLY_HELP_MANAGER)
        user("coordinator", "Bench Coordinator", Role.PANEL_COORDINATOR)
        self.busy = user("busy.practitioner", "Busy Practitioner", Role.PRACTITIONER)
        types = [t for t in OrganisationType.values if t != OrganisationType.EARLY_HELP_UNIT]
        next_org = _next_id(Organisation)
        self.districts = [
            District(
                pk=_next_id(District) + n,
                local_authority=self.la,
                name=f"District {n + 1}",
                early_help_officer=self.ehos[n],
            )
            for n in range(DISTRICTS)
        ]
        self.organisations = [
            Organisation(
                pk=next_org + n,
                local_authority=self.la,
                district=self.districts[n % DISTRICTS],
                name=f"Bench {types[n % len(types)].replace('_', ' ')} {n + 1}",
                type=OrganisationType.SCHOOL if n == 0 else types[n % len(types)],
            )
            for n in range(ORGANISATIONS)
        ]
        self.busy_school = self.organisations[0]
        self.workers = {}  # organisation id -> its practitioners
        for organisation in self.organisations:
            self.workers[organisation.pk] = [
                user(
                    f"worker{organisation.pk}-{k}",
                    f"Worker {organisation.pk}-{k}",
                    Role.PRACTITIONER,
                )
                for k in range(PRACTITIONERS_PER_ORGANISATION)
            ]
        self.workers[self.busy_school.pk].append(self.busy)
        User.objects.bulk_create(users, batch_size=1000)
        District.objects.bulk_create(self.districts)
        Organisation.objects.bulk_create(self.organisations)
        RoleGrant.objects.bulk_create(
            RoleGrant(user=u, role=role) for u in users for role in u.roles_wanted
        )
        Membership.objects.bulk_create(
            Membership(user=u, organisation_id=org_id)
            for org_id, workers in self.workers.items()
            for u in workers
        )
        signing_in = [*self.ehos, self.manager, self.busy]
        TOTPDevice.objects.bulk_create(
            TOTPDevice(user=u, name="Bench authenticator", confirmed=True) for u in signing_in
        )
        self.staff_ids = [u.pk for u in users]

    def register(self, progress):
        from bench.matching.database import load_register
        from bench.matching.register import generate_register
        from people.models import Family, FamilyMember, Person

        if Person.objects.exists():
            raise SystemExit(
                "populate needs a register with no people yet (ids are the register's)"
            )
        self.reg = generate_register(self.seed, self.people_count)
        progress(f"register of {len(self.reg.people):,} people built")
        load_register(self.reg, self.la)
        progress("people, match profiles and keys written")
        families = Table(Family, local_authority=self.la)
        members = Table(FamilyMember, local_authority_id=self.la.pk)
        self.households = []
        for household in self.reg.households:
            if not household.members:
                continue
            # By postcode, so every district has families at any scale.
            area = zlib.crc32(household.postcode.encode()) % DISTRICTS
            family_id = families.row(
                local_authority_id=self.la.pk,
                name=f"{household.members[0].last_name} family",
            )
            for person in household.adults:
                members.row(
                    family_id=family_id,
                    person_id=person.id,
                    relationship="parent",
                    has_parental_responsibility=True,
                )
            for person in household.children:
                members.row(
                    family_id=family_id,
                    person_id=person.id,
                    relationship="unborn" if person.role == "unborn" else "child",
                    has_parental_responsibility=False,
                )
            if household.children:
                self.households.append((family_id, household, self.districts[area]))
        self.families = families.write()
        members.write()
        progress(f"{self.families:,} families written")

    def cases(self, progress):
        from django.utils import timezone

        from consent.models import Consent
        from core.codes import referral_source_for
        from episodes.models import Episode, EpisodeChild

        rng = self.rng
        now = timezone.now().replace(microsecond=0)
        total = max(DISTRICTS * 3, round(self.people_count * CASES_PER_PERSON))
        open_count = max(DISTRICTS * 2, round(self.people_count * OPEN_PER_PERSON))
        busy_every = max(2, round(1 / BUSY_SHARE)) if total >= 2000 else 3
        first = _next_id(Episode)
        episodes = []
        children = Table(EpisodeChild, local_authority_id=self.la.pk)
        consents = Table(Consent, local_authority_id=self.la.pk)
        teams = Table(Episode.organisations.through, local_authority_id=self.la.pk)
        self.history = []  # (episode, staff on the case)
        by_district = [[h for h in self.households if h[2] is d] for d in self.districts]
        open_statuses = [s for s, w in OPEN_MIX for _ in range(w)]
        closures = [s for s, w in CLOSURE_MIX for _ in range(w)]
        for n in range(total):
            is_open = n < open_count
            # Open cases go round the districts, so each has its share at any scale.
            choices = by_district[n % DISTRICTS] if is_open else self.households
            family_id, household, district = rng.choice(choices or self.households)
            busy = n % busy_every == 0
            requesting = self.busy_school if busy else rng.choice(self.organisations)
            requester = rng.choice(self.workers[requesting.pk])
            if busy and n % (busy_every * 3) == 0:
                requester = self.busy
            team = rng.sample(self.organisations, rng.randint(1, 3))
            lead_org = rng.choice([requesting, *team])
            lead = rng.choice(self.workers[lead_org.pk])
            episode = Episode(pk=first + n, local_authority=self.la, district=district)
            episode.family_id = family_id
            episode.requested_by, episode.requesting_organisation = requester, requesting
            if n == 0:
                # The long-history case: a year and more of work, led by the busy practitioner.
                self._progress(episode, "plan", now - timedelta(days=420), now, self.busy, rng)
                long_history = self._long_history(episode, requesting, now, rng)
            elif is_open:
                age = timedelta(days=rng.uniform(1, 400))
                self._progress(episode, rng.choice(open_statuses), now - age, now, lead, rng)
            else:
                start = now - timedelta(days=rng.uniform(120, 365 * YEARS - 30))
                self._close(episode, rng.choice(closures), start, now, lead, rng)
            episode.referral_source = referral_source_for(episode.source, requesting.type)
            episodes.append(episode)
            for child in household.children[:3]:
                children.row(episode_id=episode.pk, person_id=child.id)
            if episode.consent_given_at:
                adult = (household.adults or household.children)[0]
                given_on = episode.consent_given_at
                for purpose, organisation_id in [
                    ("assessment", None),
                    *(("sharing", o) for o in {requesting.pk, *(o.pk for o in team)}),
                ]:
                    consents.row(
                        episode_id=episode.pk,
                        person_id=adult.id,
                        purpose=purpose,
                        organisation_id=organisation_id,
                        given=True,
                        method="written",
                        given_on=given_on.date(),
                        recorded_by_id=requester.pk,
                        recorded_at=given_on,
                    )
                for organisation in team:
                    teams.row(episode_id=episode.pk, organisation_id=organisation.pk)
            staff = [requester, district.early_help_officer]
            if episode.lead_professional_id:
                staff.append(episode.lead_professional)
            self.history.append((episode, staff))
        write(Episode, episodes)
        long_history.write()
        self.long_history_events = long_history.events
        children.write()
        consent_count = consents.write()
        teams.write()
        self.total, self.open_count = total, open_count
        from episodes import states

        self.busy_open_case = next(
            e.pk
            for e in episodes
            if states.allows(e, "list_as_open") and e.requested_by_id == self.busy.pk
        )
        progress(f"{total:,} cases ({open_count:,} open), {consent_count:,} consents written")

    @staticmethod
    def _steps(episode, started, now, rng):
        """Timestamps a case reaches, in order, each before `now`."""
        at = started
        for name, low, high in (
            ("consent_given_at", 2, 14),
            ("assessment_completed_at", 14, 42),
            ("plan_agreed_at", 7, 21),
        ):
            at = at + timedelta(days=rng.uniform(low, high))
            yield name, min(at, now - timedelta(minutes=1))

    def _long_history(self, episode, organisation, now, rng):
        """The records of the case the page benchmark opens (bench/long_history.py):
        led by the busy practitioner since the district's EHO moved it from a
        colleague at their school."""
        from bench import long_history

        colleague = next(w for w in self.workers[organisation.pk] if w != self.busy)
        return long_history.draw(
            episode,
            lead=self.busy,
            earlier_lead=colleague,
            eho=episode.district.early_help_officer,
            organisation=organisation,
            now=now,
            rng=rng,
        )

    def _progress(self, episode, status, requested_at, now, lead, rng):
        """An open case in `status`, with every earlier step's timestamp."""
        episode.requested_at = requested_at
        reached = {"requested": 0, "assessment": 1, "meeting": 2, "plan": 3, "stepped_up": 3}
        steps = list(self._steps(episode, requested_at, now, rng))[: reached[status]]
        for name, at in steps:
            setattr(episode, name, at)
        from episodes import states

        # What the stage waits for (the state machine's table), not its name.
        waiting_for = states.NEXT_ACTIVITY.get(status)
        if reached[status] >= 2 or rng.random() < 0.3:  # the assessment is done
            episode.lead_professional = lead
        if waiting_for == "record_review" and episode.plan_agreed_at < now - timedelta(days=60):
            episode.last_reviewed_at = now - timedelta(days=rng.uniform(1, 50))
        if waiting_for == "record_csc_decision":
            episode.status_before_step_up = "plan"
            episode.stepped_up_at = now - timedelta(days=rng.uniform(0, 1) * 10)
            episode.stepped_up_at = max(episode.stepped_up_at, episode.plan_agreed_at)
        episode.status = status

    def _close(self, episode, reason, requested_at, now, lead, rng):
        from core.codes import CLOSURE_CODE_OF_REASON

        episode.requested_at = requested_at
        at = requested_at
        if reason != "consent_declined":
            for name, at in self._steps(episode, requested_at, now, rng):
                setattr(episode, name, at)
            episode.lead_professional = lead
            weeks = rng.uniform(8, 52)
            reviews_until = max(at, min(at + timedelta(weeks=weeks), now - timedelta(days=2)))
            episode.last_reviewed_at = max(at, reviews_until - timedelta(days=rng.uniform(1, 40)))
            at = reviews_until
        if reason == "stepped_up":
            episode.status_before_step_up = "plan"
            episode.stepped_up_at = at
            at = min(at + timedelta(days=rng.uniform(1, 10)), now - timedelta(days=1))
        episode.closed_at = max(at + timedelta(hours=1), episode.requested_at)
        episode.closure_reason = reason
        episode.closure_code = CLOSURE_CODE_OF_REASON[reason]
        episode.status = "closed"

    def audit_trail(self, progress):
        """Every case's events (created, each step, views by the people on it),
        put in time order across the council and written as one chain."""
        rng = self.rng
        times, actors, cases, kinds = array("d"), array("q"), array("q"), array("b")
        by_pk = {}
        view, created, stepped, record = 0, 1, 2, 3
        steps = (
            "consent_given_at",
            "assessment_completed_at",
            "plan_agreed_at",
            "last_reviewed_at",
            "stepped_up_at",
            "closed_at",
        )
        for n, (episode, staff) in enumerate(self.history):
            by_pk[episode.pk] = episode
            start = episode.requested_at.timestamp()
            end = (episode.closed_at or self.now()).timestamp()
            times.append(start), actors.append(episode.requested_by_id)
            cases.append(episode.pk), kinds.append(created)
            for name in steps:
                at = getattr(episode, name)
                if at is not None:
                    times.append(at.timestamp()), actors.append(staff[-1].pk)
                    cases.append(episode.pk), kinds.append(stepped)
            views = rng.randint(AUDIT_EVENTS_PER_CASE // 2, AUDIT_EVENTS_PER_CASE * 3 // 2)
            if n % LONG_HISTORY_EVERY == 0:
                views = LONG_HISTORY_EVENTS
            viewers = [*staff, self.manager]
            for _ in range(views):
                times.append(rng.uniform(start, end)), actors.append(rng.choice(viewers).pk)
                cases.append(episode.pk), kinds.append(view)
        # What writing the long-history case's records wrote (bench/long_history.py).
        records = {}
        for written in self.long_history_events:
            records[len(times)] = written
            times.append(written.at.timestamp()), actors.append(written.actor_id)
            cases.append(self.history[0][0].pk), kinds.append(record)
        progress(f"{len(times):,} audit events drawn; ordering them")
        order = sorted(range(len(times)), key=times.__getitem__)
        labels = {u.pk: u.email for u in self._all_users()}
        la_id = self.la.pk
        from datetime import UTC, datetime

        from audit.partitions import ensure_months_ahead

        # Every month's partition first, so no row waits in the DEFAULT one.
        ensure_months_ahead(0, since=datetime.fromtimestamp(min(times), UTC).date())

        on_case = (
            ("view", {}),
            ("create", {"fields": ["family", "children", "worries"]}),
            ("update", {"fields": ["status"]}),
        )

        def events():
            for i in order:
                case = cases[i]
                if kinds[i] == record:
                    written = records[i]
                    action, changes = written.action, {}
                    object_type, object_id = written.object_type, written.object_id
                else:
                    action, changes = on_case[kinds[i]]
                    object_type, object_id = "episodes.episode", case
                yield Event(
                    created_at=datetime.fromtimestamp(times[i], UTC),
                    actor_id=actors[i],
                    actor_label=labels[actors[i]],
                    local_authority_id=la_id,
                    action=action,
                    object_type=object_type,
                    object_id=str(object_id),
                    changes=changes,
                    episode_id=case,
                )

        self.audit_events = write_audit_events(events())
        self.long_history_case = self.history[0][0].pk
        progress(f"{self.audit_events:,} audit events written")

    def _all_users(self):
        from accounts.models import User

        return User.objects.filter(local_authority=self.la).only("pk", "email")

    def now(self):
        from django.utils import timezone

        return timezone.now()

    def possible_duplicates(self, progress):
        """Open pairs for the EHO to review: brothers and sisters, which the
        check puts side by side (and keeps apart)."""
        from matching.models import PossibleDuplicate

        pairs = []
        first = _next_id(PossibleDuplicate)
        for _family, household, _district in self.households:
            if len(household.children) >= 2:
                a, b = sorted((household.children[0].id, household.children[1].id))
                pairs.append(
                    PossibleDuplicate(
                        pk=first + len(pairs),
                        local_authority=self.la,
                        first_id=a,
                        second_id=b,
                        score=0.7,
                        reasons=["Same last name", "Same postcode"],
                    )
                )
            if len(pairs) >= max(10, self.people_count // 300):
                break
        write(PossibleDuplicate, pairs)
        progress(f"{len(pairs):,} possible duplicates open")


def _reset_sequences():
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    if connection.vendor != "postgresql":
        return  # SQLite moves its counters on by itself
    # Only the tables Django creates (an unmanaged model, such as django-rq's
    # dashboard, has none).
    models = [m for m in apps.get_models(include_auto_created=True) if m._meta.managed]
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
        cursor.execute("ANALYZE")


def _bulk_tables():
    from audit.models import AuditEvent
    from consent.models import Consent
    from episodes.models import Episode, EpisodeChild
    from matching.models import MatchKey, MatchProfile
    from people.models import Family, FamilyMember, Person

    models = (Person, MatchProfile, MatchKey, Family, FamilyMember, Episode, EpisodeChild)
    models += (Consent, Episode.organisations.through, AuditEvent)
    return [model._meta.db_table for model in models]


@contextmanager
def _bulk_load(wanted):
    """Loading millions of rows the way pg_restore does: while they stream in,
    the big tables' non-unique indexes are gone (each is built again after,
    by one sort, instead of one B-tree insert per row) and PostgreSQL skips
    each row's foreign key checks (session_replication_role = replica, as
    --disable-triggers does). Together about halve the database's work.

    Only when asked (`generate`, at scale): the tests populate with every
    check on, so a generator that writes a dangling id fails there. It needs a
    superuser; anyone else loads the ordinary way."""
    from django.db import connection

    if not wanted or connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cursor.fetchone()[0]:
            yield
            return
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = ANY(%s) AND indexdef NOT LIKE 'CREATE UNIQUE%%'",
            [_bulk_tables()],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET session_replication_role")
            cursor.execute("SET maintenance_work_mem = '256MB'")
            for _name, definition in indexes:
                # A partitioned table's index is listed as made "ON ONLY" the
                # parent (as pg_dump writes it, each partition's attached
                # after): made that way it stays invalid and no partition is
                # indexed. Made on the table, every partition gets its own.
                cursor.execute(definition.replace(" ON ONLY ", " ON ", 1))
            cursor.execute("RESET maintenance_work_mem")


def _database_cpu_seconds():
    """CPU seconds the database server's process for this connection has used,
    when it runs on this machine (0 otherwise): on a shared machine the wall
    clock says more about the neighbours than about the generator."""
    import os

    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def populate(people=300_000, seed=1, progress=print, bulk_load=False):
    """Write a council into the database Django is set up on. Returns Made.

    `bulk_load`: load as pg_restore does (_bulk_load); `generate` asks for it."""
    from django.db import transaction

    started = time.perf_counter()
    cpu_started = time.process_time() + _database_cpu_seconds()

    def say(message):
        cpu = time.process_time() + _database_cpu_seconds() - cpu_started
        progress(f"[{time.perf_counter() - started:6.1f} s, CPU {cpu:6.1f} s] {message}")

    council = Council(people, seed)
    with transaction.atomic():
        council.staff()
    say("council, districts, organisations and staff written")
    with _bulk_load(bulk_load):
        council.register(say)
        with transaction.atomic():
            council.cases(say)
            council.possible_duplicates(say)
        with transaction.atomic():
            council.audit_trail(say)
    if bulk_load:
        say("indexes built")
    _reset_sequences()
    say("done")
    return Made(
        local_authority_id=council.la.pk,
        # The EHO of the long-history case's district, so every persona can open it.
        eho=council.history[0][0].district.early_help_officer.email,
        manager=council.manager.email,
        busy_practitioner=council.busy.email,
        long_history_case=council.long_history_case,
        open_case_of_busy_practitioner=council.busy_open_case,
        people=len(council.reg.people),
        cases=council.total,
        open_cases=council.open_count,
        audit_events=council.audit_events,
        seconds=time.perf_counter() - started,
    )


def setup(database_url, settings="bench.settings"):
    """Point this process's Django at `database_url` (production-like: DEBUG off)."""
    import os

    from bench.matching.database import environment

    os.environ.update(environment(database_url))
    os.environ["DJANGO_SETTINGS_MODULE"] = settings
    import django

    django.setup()


def generate(database_url=DEFAULT_URL, people=300_000, seed=1, progress=print):
    """Drop and recreate `database_url`, migrate it, and populate a council."""
    from bench.matching.database import recreate

    setup(database_url)
    recreate(database_url).delete()  # recreate makes a council of its own; ours is made here
    return populate(people=people, seed=seed, progress=progress, bulk_load=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--people", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    made = generate(args.database_url, people=args.people, seed=args.seed)
    print(json.dumps(made.__dict__, indent=2))


if __name__ == "__main__":
    main()
