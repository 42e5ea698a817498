"""HMAC signatures with the one key the sender and the subscription service share.

The key is the environment variable named by ``BYLINE_SEND_UNSUBSCRIBE_SECRET_ENV``: the
sender signs each reader's unsubscribe link with it and the service checks the link with
it, so a link can be trusted without a database look-up and cannot be forged or altered.
Checks run in constant time (``hmac.compare_digest``).
"""

from __future__ import annotations

import hashlib
import hmac
import re


def sign(secret: str, value: str, purpose: str = "") -> str:
    """Hex HMAC-SHA256 of ``value``; ``purpose`` keeps a token made for one job (say,
    unsubscribing a reader id) from being valid for another."""
    message = f"{purpose}:{value}" if purpose else value
    return hmac.new(secret.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).hexdigest()


def verify(secret: str, value: str, token: str, purpose: str = "") -> bool:
    """Constant-time check of a token from a link (False for an empty secret or token)."""
    if not secret or not token:
        return False
    return hmac.compare_digest(sign(secret, value, purpose), token)


def keyed_hash(secret: str, address: str) -> str:
    """What a forgotten reader's address becomes in records kept for proof (the send
    ledger): the same address always gives the same value, nobody can reverse it."""
    return "forgotten:" + sign(secret, address.strip().lower(), "forget")[:32]


def masked(address: str) -> str:
    """An address as logs may show it: 'j***@example.com' (never the full address)."""
    local, at, domain = address.strip().lower().partition("@")
    if not at:
        return "***"
    return f"{local[:1]}***@{domain}"


_ADDRESS = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")


def without_addresses(text: str) -> str:
    """``text`` (a server's reply, say) with every address in it masked, for logs."""
    return _ADDRESS.sub(lambda found: masked(found.group()), text)
