"""An upload that arrives without a file name (a hand-made request, an API
client) is refused with what to do, like a file of the wrong type, instead of
failing with a server error."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from notes.services import check_upload


def test_an_upload_without_a_name_is_refused_with_what_to_do():
    upload = SimpleUploadedFile(None, b"%PDF-1.4 a document", content_type="application/pdf")
    with pytest.raises(ValidationError) as refused:
        check_upload(upload)
    assert refused.value.message_dict == {
        "file": ["The file must be a PDF, Word (.docx), OpenDocument (.odt), PNG, JPG or text file"]
    }
