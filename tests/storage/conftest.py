"""Stored files on both backends: the local folder and a real S3 API (moto's standalone
server on 127.0.0.1, started here on a free port, or the one named by MOTO_ENDPOINT_URL).

`backend` switches the storage of the test process and returns the environment a worker
process needs to use the same storage."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid

import boto3
import pytest
from django.conf import settings as django_settings

ACCESS_KEY = "kam-test"
SECRET_KEY = "kam-test-secret"
REGION = "eu-central-1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=1)  # noqa: S310 - our own 127.0.0.1 server
    except OSError as exc:
        return getattr(exc, "code", None) is not None  # an HTTP error is an answer
    return True


@pytest.fixture(scope="session")
def s3_endpoint():
    """moto's S3 server in its own process for the whole test session."""
    given = os.environ.get("MOTO_ENDPOINT_URL")
    if given:
        yield given
        return
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while not _answers(url):
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.fail("moto's S3 server did not start")
        time.sleep(0.2)
    yield url
    server.terminate()
    server.wait(timeout=10)


def s3_environment(endpoint: str, bucket: str) -> dict[str, str]:
    return {
        "S3_BUCKET": bucket,
        "S3_ENDPOINT_URL": endpoint,
        "S3_REGION": REGION,
        "S3_ACCESS_KEY_ID": ACCESS_KEY,
        "S3_SECRET_ACCESS_KEY": SECRET_KEY,
    }


def s3_client(endpoint: str):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )


class Backend:
    """What a test needs to know of the storage: its name, how to list what is stored,
    and the environment of a process that must use the same storage."""

    def __init__(self, kind: str, env: dict[str, str], list_names) -> None:
        self.kind = kind
        self.env = env
        self.names = list_names

    def __repr__(self) -> str:
        return self.kind


@pytest.fixture(params=["local", "s3"])
def backend(request, settings, tmp_path):
    if request.param == "local":
        media = tmp_path / "media"
        settings.MEDIA_ROOT = media
        settings.STORAGES = {
            **django_settings.STORAGES,
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        }

        def local_names() -> list[str]:
            if not media.exists():
                return []
            return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())

        return Backend("local", {"MEDIA_ROOT": str(media)}, local_names)
    endpoint = request.getfixturevalue("s3_endpoint")
    bucket = f"kam-{uuid.uuid4().hex[:12]}"
    client = s3_client(endpoint)
    client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    env = s3_environment(endpoint, bucket)
    settings.S3_BUCKET = bucket
    settings.STORAGES = {
        **django_settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **django_settings.DEFAULT_STORAGE.get("OPTIONS", {}),
                "bucket_name": bucket,
                "endpoint_url": endpoint,
                "region_name": REGION,
                "access_key": ACCESS_KEY,
                "secret_key": SECRET_KEY,
                "addressing_style": "path",
                "signature_version": "s3v4",
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": django_settings.FILE_URL_SECONDS,
                "file_overwrite": False,
                "location": "",
            },
        },
    }
    # The process's MEDIA_ROOT must stay untouched: nothing may go to a local folder.
    settings.MEDIA_ROOT = tmp_path / "unused-media"

    def bucket_names() -> list[str]:
        listing = client.list_objects_v2(Bucket=bucket)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    return Backend("s3", env, bucket_names)
