"""docker-compose.yml shows the multi-machine layout on one host: `web` behind Caddy and
scalable (no published port, no container name), workers by queue and scalable, exactly
one beat, every app container on the MinIO bucket and none on a local media volume.
Checked with `docker-compose config` where it is installed (CI), else from the file."""

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ("migrate", "web", "worker", "worker-folders", "beat")


@pytest.fixture(scope="module")
def compose() -> dict:
    tool = shutil.which("docker-compose")
    if tool is None:
        return yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    result = subprocess.run(
        [tool, "-f", "docker-compose.yml", "config"],
        cwd=ROOT,
        env={"SECRET_KEY": "ci", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return yaml.safe_load(result.stdout)


def test_only_the_proxy_publishes_ports(compose):
    published = sorted(name for name, svc in compose["services"].items() if svc.get("ports"))
    assert published == ["proxy"]


@pytest.mark.parametrize("name", ["web", "worker", "worker-folders"])
def test_scaled_services_have_no_fixed_name_or_port(compose, name):
    service = compose["services"][name]
    assert "container_name" not in service
    assert "ports" not in service


def test_exactly_one_beat(compose):
    beats = [name for name, svc in compose["services"].items() if "beat" in str(svc.get("command"))]
    assert beats == ["beat"]
    assert compose["services"]["beat"]["container_name"]  # `--scale beat=2` fails


def test_workers_serve_every_queue_once(compose):
    queues = []
    for name in ("worker", "worker-folders"):
        command = compose["services"][name]["command"]
        queues += command[command.index("-Q") + 1].split(",")
    assert sorted(queues) == ["celery", "folders", "notifications"]


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_containers_store_files_in_the_bucket(compose, name):
    service = compose["services"][name]
    assert service["environment"]["S3_BUCKET"]
    assert service["environment"]["S3_ENDPOINT_URL"] == "http://minio:9000"
    volumes = [str(volume) for volume in service.get("volumes", [])]
    assert not any("media" in volume for volume in volumes)


def test_the_proxy_reaches_every_web_container():
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    assert "dynamic a" in caddyfile and "name web" in caddyfile and "port 8000" in caddyfile
