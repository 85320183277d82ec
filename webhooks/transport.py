"""One HTTP POST to a receiver, guarded against server-side request forgery.

Only http(s); the host is resolved once and every address checked (loopback, private,
link-local, multicast, reserved and unspecified ones are refused unless the setting
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES is on, for development), and the connection goes to the
checked address, so a name that resolves differently a moment later cannot slip through.
Redirects are not followed; the answer is read up to 64 KB; 10 s timeout.
"""

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

TIMEOUT = 10
MAX_RESPONSE = 64 * 1024
EXCERPT = 1000


def _allowed(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve(url: str) -> list[str]:
    """The addresses `url` reaches, each one checked; ValidationError when the URL is not
    http(s), does not resolve or reaches an address that is not public."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValidationError(_("Only http and https addresses can receive webhooks."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, ValueError, UnicodeError) as exc:
        raise ValidationError(_("The host of this address cannot be resolved.")) from exc
    addresses = list(dict.fromkeys(str(info[4][0]) for info in found))
    if not addresses:
        raise ValidationError(_("The host of this address cannot be resolved."))
    if not settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES and not all(map(_allowed, addresses)):
        raise ValidationError(
            _("Webhooks cannot be sent to loopback, private, link-local or multicast addresses.")
        )
    return addresses


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """TLS to a checked address, verifying the certificate for the URL's host name."""

    def __init__(self, host: str, port: int, address: str, **kwargs) -> None:
        super().__init__(host, port, **kwargs)
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


@dataclass
class Result:
    status_code: int | None
    duration_ms: int
    response: str = ""
    error: str = ""

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def post(url: str, *, body: bytes, headers: dict[str, str]) -> Result:
    started = time.monotonic()

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        address = resolve(url)[0]
    except ValidationError as exc:
        return Result(None, elapsed(), error=" ".join(exc.messages)[:300])
    parts = urlsplit(url)
    host = parts.hostname or ""
    conn: http.client.HTTPConnection
    if parts.scheme == "https":
        conn = _PinnedHTTPSConnection(
            host,
            parts.port or 443,
            address,
            timeout=TIMEOUT,
            context=ssl.create_default_context(),
        )
    else:
        conn = http.client.HTTPConnection(address, parts.port or 80, timeout=TIMEOUT)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    all_headers = {
        **headers,
        "Host": parts.netloc.rsplit("@", 1)[-1],
        "Content-Type": "application/json",
        "User-Agent": "KAM-CRM-Webhooks/1",
    }
    try:
        conn.request("POST", target, body=body, headers=all_headers)
        answer = conn.getresponse()
        data = answer.read(MAX_RESPONSE)
        return Result(answer.status, elapsed(), response=data.decode("utf-8", "replace")[:EXCERPT])
    except (OSError, http.client.HTTPException) as exc:
        return Result(None, elapsed(), error=(str(exc) or type(exc).__name__)[:300])
    finally:
        conn.close()
