"""The small interface every delivery provider implements, and how providers are found.

Adding a provider
-----------------
Write one module with a class deriving from ``Provider`` and point
``BYLINE_SEND_PROVIDER`` at it as ``"package.module:Class"`` (or add a line to
``BUILTIN`` below to give it a short name). Set ``name`` (written to the ledger) and
``audience``: ``"list"`` if we hand the provider one message per reader from the
subscribers CSV (SMTP, Postmark, SES...), or ``"provider"`` if the provider keeps the list
and sends one broadcast per issue (Buttondown). Implement ``deliver``; ``open`` and
``close`` bracket a run (connect, log in). Report each outcome with the ``errors``
family: ``TemporaryFailure`` (retried with back-off), ``PermanentFailure`` (recorded as
failed, the run goes on), ``UncertainDelivery`` (handed over but the answer was lost: left
``pending`` and never retried blindly) and ``ProviderStop`` (``auth=True`` for refused
credentials: the run stops at once). Never put a secret in an exception message. The
orchestrator (``send.py``) does the rest: ledger lines, retries, rate limit, progress and
summary. Broadcast providers may also implement ``prepare`` (create a draft to review before
confirming), ``lookup`` (resolve an uncertain send from the provider's own records) and
``send_test``.
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from dataclasses import dataclass
from email.message import EmailMessage
from typing import TYPE_CHECKING, ClassVar, Literal

from .errors import SendConfigError

if TYPE_CHECKING:
    from .config import SendConfig
    from .issue import Issue
    from .subscribers import Subscriber

BUILTIN = {
    "smtp": "byline.sending.smtp:SmtpProvider",
    "buttondown": "byline.sending.buttondown:ButtondownProvider",
}


@dataclass(frozen=True)
class Outgoing:
    """One delivery: a message to one reader, or (broadcast) the issue to the provider's list."""

    issue: Issue
    recipient: Subscriber | None  # None for a broadcast
    message: EmailMessage | None  # built for "list" providers only
    message_id: str | None
    idempotency_key: str
    draft_id: str | None = None  # a broadcast provider's draft, from ``prepare``


class Provider(ABC):
    """Delivers ``Outgoing`` messages; one instance per run, used from one thread."""

    name: ClassVar[str]
    audience: ClassVar[Literal["list", "provider"]] = "list"

    def __init__(self, config: SendConfig) -> None:
        self.config = config

    def describe(self) -> str:
        """Where mail goes, for the confirmation text (no secrets)."""
        return self.name

    def check(self, *, live: bool) -> None:  # noqa: B027 - optional hook
        """Raise ``SendConfigError`` for settings this provider needs (before anything runs)."""

    def open(self) -> None:  # noqa: B027 - optional hook
        """Connect and authenticate; raise ``ProviderStop(auth=True)`` for bad credentials."""

    @abstractmethod
    def deliver(self, outgoing: Outgoing) -> str:
        """Hand one delivery over; return the provider's id (SMTP: the Message-ID)."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections; must not raise."""

    # Optional, for broadcast ("provider") audiences.

    def prepare(self, outgoing: Outgoing) -> str | None:
        """Create a reviewable draft before confirmation; return its id (None: no drafts)."""
        return None

    def lookup(self, provider_id: str) -> Literal["sent", "unsent", "unknown"]:
        """Resolve an uncertain delivery from the provider's own records."""
        return "unknown"

    def send_test(self, outgoing: Outgoing, address: str) -> str:
        """Send one test copy of a broadcast to ``address``; return the provider's id."""
        raise SendConfigError(f"the {self.name} provider cannot send a test copy")

    def request_preview(self, outgoing: Outgoing) -> dict | None:
        """For dry runs of broadcasts: the request that would be made (no secrets)."""
        return None


def load_provider(config: SendConfig) -> Provider:
    """Instantiate the configured provider, importing its module only now."""
    target = BUILTIN.get(config.provider, config.provider)
    module_name, _, class_name = target.partition(":")
    try:
        cls = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError) as error:
        raise SendConfigError(
            f"BYLINE_SEND_PROVIDER {config.provider!r}: cannot load {target} ({error})"
        ) from None
    if not (isinstance(cls, type) and issubclass(cls, Provider)):
        raise SendConfigError(f"BYLINE_SEND_PROVIDER {target} is not a Provider subclass")
    return cls(config)
