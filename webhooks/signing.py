"""Signing as the Standard Webhooks specification says (standardwebhooks.com).

The secret is "whsec_" and base64 of 32 random bytes; the signature of one attempt is
`v1,` and base64 of HMAC-SHA256 with the decoded secret over "<webhook-id>.<webhook-
timestamp>.<body>". While a rotated secret is still valid, both sign, separated by a
space, and a receiver accepts either.
"""

import base64
import hashlib
import hmac
import secrets

PREFIX = "whsec_"


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def signature(secret: str, *, msg_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix(PREFIX))
    signed = f"{msg_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def headers(secrets_: list[str], *, msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(
            signature(secret, msg_id=msg_id, timestamp=timestamp, body=body) for secret in secrets_
        ),
    }
