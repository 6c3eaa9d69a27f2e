"""What an uploaded file really is.

`services.check_upload` looks at the name and the first bytes; these open the
file the way a reader would, so a page of HTML that starts with `%PDF`, or a
zip bomb named `.docx`, is refused before anything is stored. Each check raises
a ValidationError that says what is wrong and how to fix it, and leaves the
upload at its start for saving.
"""

import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

# A real document unpacks to a few times its size. These limits leave room for
# reports full of pictures and refuse files built to exhaust the memory or disk
# of the server, or of the laptop of whoever opens the attachment later.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_PARTS = 5000
MAX_RATIO = 100
# Small parts (a few KB of repeated XML) can compress further than that and do
# no harm, so the ratio is only checked on parts at least this big.
RATIO_CHECKED_FROM = 1024 * 1024
# The part that names the format is a few KB; reading more would be a bomb too.
MARKER_PART_MAX_BYTES = 1024 * 1024
CHUNK_BYTES = 64 * 1024
# The zip format's flag for an encrypted part.
ENCRYPTED = 0x1


@dataclass(frozen=True)
class ZipFormat:
    """A document format stored as a zip: the part that says which format it is."""

    a_name: str  # "a Word document"
    save_as: str  # "a Word document (.docx)"
    marker_part: str
    marker: bytes


ZIP_FORMATS = {
    # Office Open XML names its main part's type in [Content_Types].xml; this
    # also refuses a spreadsheet, or a macro-enabled document, renamed .docx.
    ".docx": ZipFormat(
        a_name=gettext_lazy("a Word document"),
        save_as=gettext_lazy("a Word document (.docx)"),
        marker_part="[Content_Types].xml",
        marker=b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    # OpenDocument files start with a `mimetype` part holding their type.
    ".odt": ZipFormat(
        a_name=gettext_lazy("an OpenDocument text file"),
        save_as=gettext_lazy("an OpenDocument text file (.odt)"),
        marker_part="mimetype",
        marker=b"application/vnd.oasis.opendocument.text",
    ),
}


def _refuse(message):
    raise ValidationError({"file": message})


def _protected():
    _refuse(
        _(
            "The selected file is protected with a password: save a copy without the password "
            "and upload that"
        )
    )


def check_pdf(upload):
    """A PDF whose structure a reader can follow to at least one page."""
    not_a_pdf = _(
        "The selected file is not a PDF that can be opened: save it again as a PDF and upload that"
    )
    try:
        # Not strict: PDFs from scanners often have small faults that every
        # reader repairs; what matters is that the pages can be found.
        pages = len(PdfReader(upload, strict=False).pages)
    except (FileNotDecryptedError, DependencyError):
        _protected()
    except Exception:
        # Hostile input makes a parser fail in many ways; each means the same.
        _refuse(not_a_pdf)
    finally:
        upload.seek(0)
    if pages == 0:
        _refuse(not_a_pdf)


def check_zip_document(upload, suffix):
    """A zip that unpacks to a sane size and holds the parts of its format."""
    document = ZIP_FORMATS[suffix]
    cannot_open = _(
        "The selected file is not %(a_name)s that can be opened: save it again as %(save_as)s "
        "and upload that"
    ) % {"a_name": document.a_name, "save_as": document.save_as}
    try:
        with zipfile.ZipFile(upload) as archive:
            if any(part.flag_bits & ENCRYPTED for part in archive.infolist()):
                _protected()
            _check_sizes(archive.infolist(), document)
            if document.marker not in _read_marker(archive, document):
                _refuse(cannot_open)
            _read_every_part(archive)
    except ValidationError:
        raise
    except Exception:
        # Not a zip, a part that does not match its checksum, a compression
        # method nobody uses for documents: none of them opens.
        _refuse(cannot_open)
    finally:
        upload.seek(0)


def _check_sizes(parts, document):
    """The sizes the zip declares; `_read_every_part` holds it to them."""
    if len(parts) > MAX_PARTS:
        _refuse(
            _(
                "The selected file has more than %(count)s parts inside it, more than any document "
                "has: save it again as %(save_as)s and upload that"
            )
            % {"count": f"{MAX_PARTS:,}", "save_as": document.save_as}
        )
    if sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
        _refuse(
            _(
                "The selected file is larger than %(mb)s MB when opened: make it smaller, for "
                "example by compressing its pictures or splitting it in two, and upload it again"
            )
            % {"mb": MAX_UNPACKED_BYTES // (1024 * 1024)}
        )
    for part in parts:
        if part.file_size >= RATIO_CHECKED_FROM and part.file_size > MAX_RATIO * max(
            part.compress_size, 1
        ):
            _refuse(
                _(
                    "The selected file is compressed far more than any document can be: save it "
                    "again as %(save_as)s and upload that"
                )
                % {"save_as": document.save_as}
            )


def _read_marker(archive, document):
    with archive.open(document.marker_part) as part:
        return part.read(MARKER_PART_MAX_BYTES)


def _read_every_part(archive):
    """Unpack every part and throw it away: zipfile stops each part at the size
    it declares and checks its checksum, so a zip that lies about its sizes, or
    is damaged, fails here rather than on the laptop of whoever opens it."""
    for info in archive.infolist():
        with archive.open(info) as part:
            while part.read(CHUNK_BYTES):
                pass
