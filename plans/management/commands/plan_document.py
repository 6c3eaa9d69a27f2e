"""`earlyhelp plan_document EH000123 --person 45 --out plan.pdf`: the copy of
the current plan addressed to one family member, as the copy page makes it,
for councils that print in batches. Recorded on the plan's copy list (given
by post unless --method says otherwise) and audited as an export, as the
command line; restricted details are left out, everyone's."""

import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.councils import scope
from episodes.models import Episode
from plans import document, services
from plans.models import CopyMethod

REFERENCE = re.compile(r"EH(\d{1,12})", re.IGNORECASE)
ACTOR_LABEL = "command line: plan_document"


def _episode(reference: str) -> Episode:
    match = REFERENCE.fullmatch(reference.strip())
    episode = (
        Episode.objects.select_related("local_authority", "family").filter(pk=int(match[1])).first()
        if match
        else None
    )
    if episode is None:
        raise CommandError(f"No case {reference!r}: give a case reference like EH000123.")
    return episode


def _out_path(out: str) -> Path:
    path = Path(out)
    if path.suffix.lower() != ".pdf":
        raise CommandError(f"--out {path} must end in .pdf: the copy is a PDF.")
    if path.is_dir():
        raise CommandError(f"--out {path} is a folder: give the path of a file.")
    if not path.parent.is_dir():
        raise CommandError(f"No such folder: {path.parent}. Create it, or choose another.")
    return path


class Command(BaseCommand):
    help = (
        "Write the copy of a case's current plan addressed to one family member as a PDF, "
        "in their preferred language (or --language), the child-friendly plan for a child "
        "with --child-friendly. Other people's restricted details are left out. The copy is "
        "recorded on the plan's copy list and audited as an export."
    )

    def add_arguments(self, parser):
        parser.add_argument("reference", metavar="CASE_REFERENCE", help="The case, e.g. EH000123")
        parser.add_argument(
            "--person", metavar="PERSON_ID", type=int, required=True, help="The family member"
        )
        parser.add_argument(
            "--language",
            metavar="CODE",
            default="",
            help="The language of the copy (en, pl, ar, ps, ro, uk); default theirs",
        )
        parser.add_argument(
            "--child-friendly", action="store_true", help="The child-friendly plan (children only)"
        )
        parser.add_argument(
            "--method",
            choices=CopyMethod.values,
            default=CopyMethod.POST,
            help="How the copy is given, for the copy list (default post)",
        )
        parser.add_argument("--out", metavar="FILE.pdf", required=True, help="Where to write it")

    def handle(self, reference, person, out, language="", child_friendly=False, **options):
        out_path = _out_path(out)
        episode = _episode(reference)
        with scope(episode.local_authority_id):
            plan = services.current_plan(episode)
            if plan is None:
                raise CommandError(f"{episode.reference} has no plan yet.")
            plan.episode = episode
            member = document.family_member(episode, person)
            if member is None:
                raise CommandError(
                    f"Person {person} is not a member of the family of {episode.reference}: "
                    "the copy is for a family member."
                )
            codes = [code for code, _label in document.document_languages(episode.local_authority)]
            if language and language not in codes:
                raise CommandError(
                    f"--language {language!r} is not one the documents are written in for "
                    f"{episode.local_authority.name}: use one of {', '.join(codes)}."
                )
            try:
                # A copy that cannot be written is not recorded as given.
                with transaction.atomic():
                    made = services.plan_document(
                        None,
                        plan,
                        member,
                        fmt="pdf",
                        language=language,
                        child_friendly=child_friendly,
                        method=options["method"],
                        actor_label=ACTOR_LABEL,
                    )
                    out_path.write_bytes(made.content)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            except OSError as error:
                raise CommandError(f"Could not write {out_path}: {error.strerror}.") from error
        kind = "child-friendly plan" if child_friendly else "plan"
        self.stdout.write(
            f"{episode.reference}: the {kind} (version {plan.number}, {made.language}) for "
            f"person {person} written to {out_path}, and recorded on the copy list."
        )
