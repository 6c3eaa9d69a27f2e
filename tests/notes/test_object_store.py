"""Attachments in an S3-compatible object store (settings._file_storage), tested
against moto's S3 emulator in server mode, run in this process on a free port:
a real HTTP endpoint that boto3 talks to exactly as it would to a council's store.
It is started here, never skipped (in CI as anywhere)."""

import socket

import boto3
import pytest
from moto.server import ThreadedMotoServer

from audit.models import Action, AuditEvent
from earlyhelp.settings import _file_storage
from notes.models import Attachment
from tests.files import pdf_bytes, pdf_upload

BUCKET = "early-help-attachments"
REGION = "eu-west-2"
PLAN_PDF = pdf_bytes()


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=_free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def object_store(s3_endpoint, settings, tmp_path, monkeypatch):
    """The settings a council would set, read by the real settings code; the
    bucket is new and empty, and MEDIA_ROOT an empty folder that must stay so."""
    monkeypatch.setenv("OBJECT_STORE_BUCKET", BUCKET)
    monkeypatch.setenv("OBJECT_STORE_ENDPOINT_URL", s3_endpoint)
    monkeypatch.setenv("OBJECT_STORE_REGION", REGION)
    monkeypatch.setenv("OBJECT_STORE_ACCESS_KEY_ID", "synthetic-key-id")
    key_file = tmp_path / "object-store-secret"
    key_file.write_text("synthetic-secret\n")
    monkeypatch.setenv("OBJECT_STORE_SECRET_ACCESS_KEY_FILE", str(key_file))
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    settings.STORAGES = {**settings.STORAGES, "default": _file_storage()}
    s3 = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=REGION,
        aws_access_key_id="synthetic-key-id",
        aws_secret_access_key="synthetic-secret",
    )
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    yield s3
    for stored in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        s3.delete_object(Bucket=BUCKET, Key=stored["Key"])
    s3.delete_bucket(Bucket=BUCKET)


def test_without_a_bucket_attachments_stay_on_the_local_disk(monkeypatch):
    monkeypatch.delenv("OBJECT_STORE_BUCKET", raising=False)
    assert _file_storage() == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_an_attachment_goes_to_the_object_store_and_comes_back_through_the_check(
    object_store, settings, client_for, involved, other_org, episode
):
    client = client_for(involved)
    response = client.post(
        f"/cases/{episode.pk}/notes/attachments/new/",
        {"file": pdf_upload("plan.pdf", PLAN_PDF), "kind": "existing_plan", "description": ""},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()

    stored = object_store.list_objects_v2(Bucket=BUCKET)["Contents"]
    assert [item["Key"] for item in stored] == [attachment.file.name]
    assert attachment.file.name.startswith(f"attachments/{episode.pk}/")
    body = object_store.get_object(Bucket=BUCKET, Key=attachment.file.name)["Body"].read()
    assert body == PLAN_PDF
    assert list(settings.MEDIA_ROOT.rglob("*")) == []  # nothing on the local disk

    # Private: the object grants nobody but its owner, and there is no public URL.
    grants = object_store.get_object_acl(Bucket=BUCKET, Key=attachment.file.name)["Grants"]
    assert [grant["Grantee"].get("URI") for grant in grants] == [None]

    download = client.get(f"/cases/{episode.pk}/notes/attachments/{attachment.pk}/")
    assert (download.status_code, b"".join(download.streaming_content)) == (200, PLAN_PDF)
    assert download["Content-Disposition"] == 'attachment; filename="plan.pdf"'
    assert AuditEvent.objects.filter(action=Action.EXPORT, object_id=str(attachment.pk)).exists()

    outsider = client_for(other_org).get(f"/cases/{episode.pk}/notes/attachments/{attachment.pk}/")
    assert outsider.status_code == 404
