"""The exceptions the sender raises, one family so the invoke task catches ``SendError``.

Messages say what went wrong and how to fix it; they never contain a secret (passwords, API
keys and the unsubscribe secret are scrubbed before any text reaches a message or the ledger).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import BylineError, BylineSettingsError

if TYPE_CHECKING:
    from .summary import SendSummary


class SendError(BylineError):
    """Base class: anything that stops ``send_issue`` before or during a send."""


class SendConfigError(SendError, BylineSettingsError):
    """A BYLINE_SEND_* setting or an environment variable is missing or wrong."""


class ManifestError(SendError):
    """The exported issue (manifest.json and the files it names) cannot be used."""


class SubscriberFileError(SendError):
    """The subscribers CSV is missing or not in the expected shape."""


class LedgerError(SendError):
    """The send ledger cannot be read, written or locked."""


class AlreadySentError(SendError):
    """The issue was fully sent before (the ledger or the committed send record says so);
    pass ``force=True`` to send it again to everyone."""


class ConfirmationRequired(SendError):
    """A live send needs ``yes=True`` or a ``confirm`` callback; ``text`` is what to ask."""

    def __init__(self, text: str) -> None:
        super().__init__("a live send needs confirmation:\n" + text)
        self.text = text


class SendCancelled(SendError):
    """The confirm callback said no: nothing was sent."""


class SendStopped(SendError):
    """The run stopped part-way (server unreachable, sender refused...).

    ``summary`` holds what was done before the stop; re-running continues where it left off.
    """

    def __init__(self, message: str, summary: SendSummary | None = None) -> None:
        super().__init__(message)
        self.summary = summary


class AuthenticationFailed(SendStopped):
    """The SMTP server or API refused our credentials: stopped at once, nothing more sent."""


# --- What a provider raises for one delivery (the orchestrator turns them into ledger lines).


class DeliveryError(Exception):
    """Base for one delivery's failure; ``code`` is the SMTP/HTTP status when known."""

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code


class TemporaryFailure(DeliveryError):
    """Not delivered, may work later (4xx, dropped before the final reply, 429, 5xx API)."""

    def __init__(
        self, message: str, code: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message, code)
        self.retry_after = retry_after


class ConnectionFailure(TemporaryFailure):
    """Could not (re)connect or log in for a reason that may pass; not about one recipient."""


class PermanentFailure(DeliveryError):
    """Refused for good for this recipient (SMTP 5xx at RCPT/DATA, API 400 validation)."""


class UncertainDelivery(DeliveryError):
    """The message was handed over but the answer was lost: it may or may not be delivered."""


class ProviderStop(DeliveryError):
    """Nothing more can be sent in this run (auth refused, sender refused, server gone)."""

    def __init__(self, message: str, code: int | None = None, auth: bool = False) -> None:
        super().__init__(message, code)
        self.auth = auth


class SendRefused(SendError):
    """The issue must not go out as it is (links not public, unsendable): fix, rebuild."""
