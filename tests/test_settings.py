"""Yes/no settings that cannot be misread: only 1/0, true/false, yes/no and on/off (any
case) are accepted; a typo such as KAM_HTTPS=flase stops the start with a line naming the
variable instead of silently turning HTTPS off."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Every yes/no setting read by kam/settings.py, with what it turns on.
BOOLEAN_SETTINGS = {
    "DEBUG": "DEBUG",
    "KAM_HTTPS": "SESSION_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT": "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_PRELOAD": "SECURE_HSTS_PRELOAD",
    "BEHIND_TLS_PROXY": "BEHIND_TLS_PROXY",
    "EMAIL_USE_TLS": "SMTP_USE_TLS",
    "DB_CONN_HEALTH_CHECKS": "DATABASES['default']['CONN_HEALTH_CHECKS']",
    "WEBHOOKS_ALLOW_PRIVATE_ADDRESSES": "WEBHOOKS_ALLOW_PRIVATE_ADDRESSES",
}


def _start(**env: str) -> subprocess.CompletedProcess[str]:
    """Import the settings in a fresh interpreter, as the web process does at start."""
    return subprocess.run(
        [sys.executable, "-c", "import kam.settings as s; print(s.DEBUG, s.HTTPS)"],
        cwd=ROOT,
        env={"SECRET_KEY": "x", "PATH": "", **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_every_boolean_setting_is_listed_here():
    source = (ROOT / "kam" / "settings.py").read_text()
    assert set(re.findall(r'env_bool\("([A-Z_]+)"', source)) == set(BOOLEAN_SETTINGS)


@pytest.mark.parametrize("name", sorted(BOOLEAN_SETTINGS))
def test_a_typo_in_a_boolean_setting_stops_the_start(name):
    # Also with DEBUG on (where HTTPS is off anyway) and without an SMTP server: the
    # typo is found in every environment, not only where it matters today.
    env = {name: "flase"} if name == "DEBUG" else {name: "flase", "DEBUG": "1"}
    result = _start(**env)
    assert result.returncode == 1
    assert f"{name}='flase'" in result.stderr
    assert "refuses to start" in result.stderr


@pytest.mark.parametrize("name", sorted(BOOLEAN_SETTINGS))
@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), ("TRUE", True), ("Yes", True), ("on", True),
     ("0", False), ("False", False), ("NO", False), (" off ", False)],
)  # fmt: skip
def test_a_boolean_setting_accepts_the_usual_words(monkeypatch, name, value, expected):
    from kam.settings import env_bool

    monkeypatch.setenv(name, value)
    assert env_bool(name, not expected) is expected


@pytest.mark.parametrize("value", ["flase", "2", "y", "enabled", "ja"])
def test_env_bool_refuses_anything_else(monkeypatch, value):
    from kam.settings import env_bool

    monkeypatch.setenv("KAM_HTTPS", value)
    with pytest.raises(SystemExit, match="KAM_HTTPS"):
        env_bool("KAM_HTTPS", True)


def test_an_unset_or_empty_boolean_setting_keeps_its_default(monkeypatch):
    from kam.settings import env_bool

    monkeypatch.delenv("KAM_HTTPS", raising=False)
    assert env_bool("KAM_HTTPS", True) is True
    monkeypatch.setenv("KAM_HTTPS", "")
    assert env_bool("KAM_HTTPS", False) is False


def test_kam_https_off_is_read_as_off():
    result = _start(KAM_HTTPS="off")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False"]
