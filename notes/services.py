"""Case notes and attachments. Attachments are checked for type, size and
content (`content.py` opens PDFs and zipped documents the way a reader would),
stored under MEDIA_ROOT (outside the web root) with a random name, and read
back only through `open_attachment`, after the permission check."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import record
from core import policy
from people import restrictions

from . import content
from .models import Attachment, CaseNote

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile
    from django.http import HttpRequest

    from accounts.models import User
    from episodes.models import Episode

# What partner agencies send: documents and scans. The first bytes must match,
# so a renamed executable is refused; documents a reader parses are then
# opened (content.py), so a file that only starts like one is refused too.
ALLOWED_TYPES = {
    ".pdf": ("application/pdf", [b"%PDF"]),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        [b"PK\x03\x04"],
    ),
    ".odt": ("application/vnd.oasis.opendocument.text", [b"PK\x03\x04"]),
    ".png": ("image/png", [b"\x89PNG"]),
    ".jpg": ("image/jpeg", [b"\xff\xd8\xff"]),
    ".jpeg": ("image/jpeg", [b"\xff\xd8\xff"]),
    ".txt": ("text/plain", []),
}


def _require(actor: User, episode: Episode) -> None:
    if not policy.can_work_on_episode(actor, episode):
        raise PermissionDenied


@transaction.atomic
def add_note(
    actor: User,
    episode: Episode,
    *,
    kind: str,
    happened_on: date,
    who: str,
    what_happened: str,
    request: HttpRequest | None = None,
) -> CaseNote:
    _require(actor, episode)
    restrictions.refuse_restricted_text(
        restrictions.family_people(episode.family),
        {"who": (_("Who was involved"), who), "what_happened": (_("What happened"), what_happened)},
    )
    note = CaseNote.objects.create(
        episode=episode,
        kind=kind,
        happened_on=happened_on,
        who=who,
        what_happened=what_happened,
        author=actor,
    )
    record(
        Action.CREATE,
        actor=actor,
        obj=note,
        request=request,
        changes={"fields": ["kind", "happened_on", "who", "what_happened"]},
    )
    return note


def check_upload(upload: UploadedFile) -> str:
    """The content type we will serve it as, or a ValidationError saying what to do."""
    # A file that arrives without a name or a size is refused like an unnamed or empty one.
    suffix = Path(upload.name or "").suffix.lower()
    size = upload.size or 0
    if suffix not in ALLOWED_TYPES:
        raise ValidationError(
            {
                "file": _(
                    "The file must be a PDF, Word (.docx), OpenDocument (.odt), PNG, JPG or "
                    "text file"
                )
            }
        )
    if size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("The file must be smaller than %(mb)s MB")
                % {"mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)}
            }
        )
    if size == 0:
        raise ValidationError({"file": _("The selected file is empty")})
    content_type, signatures = ALLOWED_TYPES[suffix]
    head = upload.read(8)
    upload.seek(0)
    if signatures and not any(head.startswith(sig) for sig in signatures):
        raise ValidationError(
            {
                "file": _(
                    "The file's contents do not match its name (%(suffix)s): save it again in that "
                    "format and upload it again"
                )
                % {"suffix": suffix}
            }
        )
    if suffix == ".pdf":
        content.check_pdf(upload)
    elif suffix in content.ZIP_FORMATS:
        content.check_zip_document(upload, suffix)
    return content_type


@transaction.atomic
def add_attachment(
    actor: User,
    episode: Episode,
    *,
    upload: UploadedFile,
    kind: str,
    description: str = "",
    request: HttpRequest | None = None,
) -> Attachment:
    _require(actor, episode)
    content_type = check_upload(upload)
    attachment = Attachment(
        episode=episode,
        kind=kind,
        description=description,
        original_name=(upload.name or "")[:255],
        content_type=content_type,
        size=upload.size or 0,
        uploaded_by=actor,
    )
    attachment.file.save("upload", upload, save=False)
    try:
        attachment.save()
        record(
            Action.CREATE,
            actor=actor,
            obj=attachment,
            request=request,
            changes={"fields": ["file", "kind", "description"]},
        )
    except Exception:
        # The row rolls back with the transaction; the stored file is not part
        # of it, so it goes too rather than lie on disk with nothing naming it.
        attachment.file.delete(save=False)
        raise
    return attachment


def open_attachment(
    actor: User, attachment: Attachment, request: HttpRequest | None = None
) -> IO[bytes]:
    """The file to send, after the permission check; every download is audited."""
    _require(actor, attachment.episode)
    record(Action.EXPORT, actor=actor, obj=attachment, request=request)
    return attachment.file.open("rb")
