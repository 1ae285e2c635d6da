"""With MEDIA_STORAGE=s3, photos and documents live in a shared bucket that every server reads and writes.

The bucket is a real S3-compatible server started here (moto), configured only through the
environment variables the settings read.
"""

import json
import uuid

import boto3
import pytest
import requests
from django.core.files.base import ContentFile
from moto.server import ThreadedMotoServer

from cases.services import case_publish, case_set_photo, case_submit, cases_delete
from tests.cases import images
from tests.cases.conftest import submission
from tests.events.factories import EventFactory
from tests.helpers import settings_of
from tests.services import free_port

pytestmark = [pytest.mark.multiserver, pytest.mark.django_db]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings):
    name = f"greenjobs-media-{uuid.uuid4().hex[:8]}"
    env = {
        "MEDIA_STORAGE": "s3",
        "AWS_STORAGE_BUCKET_NAME": name,
        "AWS_S3_ENDPOINT_URL": s3_endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_S3_REGION_NAME": "us-east-1",
    }
    configured = settings_of("STORAGES", "CONTENT_SECURITY_POLICY", **env)
    s3 = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    s3.create_bucket(Bucket=name)
    public_read = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{name}/*"}
        ],
    }
    s3.put_bucket_policy(Bucket=name, Policy=json.dumps(public_read))
    settings.STORAGES = {**settings.STORAGES, "default": configured["STORAGES"]["default"]}
    img_src = configured["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["img-src"]
    return {"name": name, "client": s3, "url": f"{s3_endpoint}/{name}/", "img_src": img_src}


def objects(bucket) -> set[str]:
    listing = bucket["client"].list_objects_v2(Bucket=bucket["name"])
    return {item["Key"] for item in listing.get("Contents", [])}


def submit(photo):
    return case_submit(**submission(photo=photo))


def test_settings_put_media_in_the_bucket_and_allow_its_images(bucket, s3_endpoint):
    assert bucket["img_src"] == ["'self'", "data:", s3_endpoint]


def test_a_submitted_photo_and_its_renditions_are_public_objects_in_the_bucket(client, bucket, media_root, webmaster):
    story = submit(images.upload())
    names = {story.photo.name, *(r["name"] for r in story.photo_renditions)}
    assert len(names) == 4
    assert objects(bucket) == names
    assert list(media_root.rglob("*.jpg")) == [], "nothing is written to this server's disk"

    assert story.photo.url.startswith(bucket["url"] + "cases/photos/")
    for candidate in story.srcset.split(", "):
        assert candidate.startswith(bucket["url"])
    fetched = requests.get(story.rendition_url(800), timeout=10)
    assert fetched.status_code == 200
    assert fetched.content[:3] == b"\xff\xd8\xff", "a JPEG, readable without credentials"

    case_publish(case=story, by=webmaster)
    page = client.get(story.get_absolute_url()).content.decode()
    assert f'src="{bucket["url"]}cases/photos/' in page


def test_replacing_and_deleting_a_photo_removes_its_objects(bucket, django_capture_on_commit_callbacks):
    story = submit(images.upload())
    first = set(objects(bucket))
    with django_capture_on_commit_callbacks(execute=True):
        case_set_photo(case=story, photo=images.upload(content=images.image_bytes(colour=(200, 40, 40))))
    second = objects(bucket)
    assert second.isdisjoint(first)
    assert second == {story.photo.name, *(r["name"] for r in story.photo_renditions)}

    with django_capture_on_commit_callbacks(execute=True):
        cases_delete([story])
    assert objects(bucket) == set()


def test_event_documents_are_stored_in_the_bucket(client, bucket):
    event = EventFactory(title="Planning meeting")
    document = event.documents.create(title="Technical note", file=ContentFile(b"%PDF-1.4 note", name="note.pdf"))
    assert document.file.name in objects(bucket)
    assert document.file.url.startswith(bucket["url"] + "events/documents/")
    assert document.file.url in client.get(event.get_absolute_url()).content.decode()
