"""Attachments are opened the way a reader would open them: a file that only
starts like a PDF or a Word document, or a zip bomb, is refused with what to do,
and nothing is stored."""

import io
import struct
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from audit.models import AuditEvent
from notes.models import Attachment
from tests.files import docx_parts, odt_parts, pdf_bytes, zip_bytes

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"

NOT_A_PDF = (
    "The selected file is not a PDF that can be opened: save it again as a PDF and upload that"
)
PROTECTED = (
    "The selected file is protected with a password: save a copy without the password and "
    "upload that"
)
NOT_A_DOCX = (
    "The selected file is not a Word document that can be opened: save it again as a Word "
    "document (.docx) and upload that"
)
NOT_AN_ODT = (
    "The selected file is not an OpenDocument text file that can be opened: save it again as an "
    "OpenDocument text file (.odt) and upload that"
)
TOO_BIG_OPENED = (
    "The selected file is larger than 50 MB when opened: make it smaller, for example by "
    "compressing its pictures or splitting it in two, and upload it again"
)
OVER_COMPRESSED = (
    "The selected file is compressed far more than any document can be: save it again as a Word "
    "document (.docx) and upload that"
)
TOO_MANY_PARTS = (
    "The selected file has more than 5,000 parts inside it, more than any document has: save it "
    "again as a Word document (.docx) and upload that"
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(client, episode, name, body, content_type):
    return client.post(
        f"/cases/{episode.pk}/notes/attachments/new/",
        {"file": SimpleUploadedFile(name, body, content_type=content_type), "kind": "letter"},
    )


def stored_files(media):
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def encrypted_pdf():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="open-sesame", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_without_pages():
    out = io.BytesIO()
    PdfWriter().write(out)
    return out.getvalue()


def zip_bomb(unpacked_bytes):
    """A .docx with a real [Content_Types].xml and one part of zeros: a few KB
    per MB on disk, written in chunks so the test never holds it unpacked."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in docx_parts().items():
            archive.writestr(name, data)
        with archive.open("word/media/image1.png", "w", force_zip64=True) as part:
            chunk = bytes(1024 * 1024)
            for _ in range(unpacked_bytes // len(chunk)):
                part.write(chunk)
    return out.getvalue()


def _patch_headers(body, name, local_offset, central_offset, fmt, value):
    """Rewrite one field of `name`'s local and central headers, as a crafted file would."""
    body = bytearray(body)
    info = zipfile.ZipFile(io.BytesIO(bytes(body))).getinfo(name)
    struct.pack_into(fmt, body, info.header_offset + local_offset, value)
    central = body.index(b"PK\x01\x02")
    while body[central + 46 : central + 46 + len(name)] != name.encode():
        central = body.index(b"PK\x01\x02", central + 4)
    struct.pack_into(fmt, body, central + central_offset, value)
    return bytes(body)


def docx_lying_about_its_size():
    """The zip says word/document.xml unpacks to 10 bytes; it unpacks to 2 MB."""
    parts = docx_parts()
    parts["word/document.xml"] = b"<w:t>" + b"x" * 2_000_000 + b"</w:t>"
    body = zip_bytes(parts)
    # The uncompressed size: at 22 in the local header, 24 in the central one.
    return _patch_headers(body, "word/document.xml", 22, 24, "<I", 10)


def docx_marked_encrypted():
    body = zip_bytes(docx_parts())
    # The general-purpose flags: at 6 in the local header, 8 in the central one.
    return _patch_headers(body, "word/document.xml", 6, 8, "<H", 0x1)


def test_a_real_pdf_docx_and_odt_are_accepted(client_for, involved, episode, media):
    client = client_for(involved)
    for name, body, content_type in [
        ("plan.pdf", pdf_bytes(pages=2), "application/pdf"),
        ("plan.docx", zip_bytes(docx_parts()), DOCX),
        ("plan.odt", zip_bytes(odt_parts()), ODT),
    ]:
        response = upload(client, episode, name, body, content_type)
        assert response.status_code == 302
    assert [(a.original_name, a.content_type) for a in Attachment.objects.all()] == [
        ("plan.pdf", "application/pdf"),
        ("plan.docx", DOCX),
        ("plan.odt", ODT),
    ]
    assert len(stored_files(media)) == 3


@pytest.mark.parametrize(
    ("name", "body", "message"),
    [
        pytest.param(
            "letter.pdf",
            b"%PDF-1.7\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n",
            NOT_A_PDF,
            id="html-starting-with-pdf",
        ),
        pytest.param(
            "letter.pdf",
            b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            b"trailer << /Root 1 0 R >>\n%%EOF\n",
            NOT_A_PDF,
            id="pdf-words-without-structure",
        ),
        pytest.param("letter.pdf", pdf_bytes()[:200], NOT_A_PDF, id="pdf-cut-short"),
        pytest.param("letter.pdf", pdf_without_pages(), NOT_A_PDF, id="pdf-without-pages"),
        pytest.param("letter.pdf", encrypted_pdf(), PROTECTED, id="pdf-with-password"),
    ],
)
def test_a_file_that_is_not_really_a_pdf_is_refused(
    client_for, involved, episode, media, name, body, message
):
    response = upload(client_for(involved), episode, name, body, "application/pdf")
    assert response.context["form"].errors["file"] == [message]
    assert (
        Attachment.objects.count(),
        AuditEvent.objects.filter(object_type="notes.attachment").count(),
    ) == (0, 0)
    assert stored_files(media) == []


def without(parts, name):
    return {key: value for key, value in parts.items() if key != name}


@pytest.mark.parametrize(
    ("name", "body", "message"),
    [
        pytest.param("plan.docx", b"PK\x03\x04 not really a zip", NOT_A_DOCX, id="not-a-zip"),
        pytest.param(
            "plan.docx",
            zip_bytes(without(docx_parts(), "[Content_Types].xml")),
            NOT_A_DOCX,
            id="no-content-types",
        ),
        pytest.param(
            "plan.docx",
            zip_bytes(
                {
                    **docx_parts(),
                    "[Content_Types].xml": b'<Types><Override PartName="/xl/workbook.xml" '
                    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml'
                    b'.sheet.main+xml"/></Types>',
                }
            ),
            NOT_A_DOCX,
            id="spreadsheet-renamed",
        ),
        pytest.param("plan.docx", docx_lying_about_its_size(), NOT_A_DOCX, id="lies-about-size"),
        pytest.param("plan.docx", docx_marked_encrypted(), PROTECTED, id="encrypted-part"),
        pytest.param("plan.docx", zip_bomb(60 * 1024 * 1024), TOO_BIG_OPENED, id="zip-bomb"),
        pytest.param("plan.docx", zip_bomb(5 * 1024 * 1024), OVER_COMPRESSED, id="over-compressed"),
        pytest.param(
            "plan.docx",
            zip_bytes({**docx_parts(), **{f"word/part{n}.xml": b"" for n in range(5000)}}),
            TOO_MANY_PARTS,
            id="too-many-parts",
        ),
        pytest.param(
            "plan.odt",
            zip_bytes(without(odt_parts(), "mimetype")),
            NOT_AN_ODT,
            id="odt-no-mimetype",
        ),
    ],
)
def test_a_zipped_document_that_does_not_open_or_unpacks_too_far_is_refused(
    client_for, involved, episode, media, name, body, message
):
    assert len(body) < 1024 * 1024  # small on disk, whatever it unpacks to
    content_type = DOCX if name.endswith(".docx") else ODT
    response = upload(client_for(involved), episode, name, body, content_type)
    assert response.context["form"].errors["file"] == [message]
    assert Attachment.objects.count() == 0
    assert stored_files(media) == []
