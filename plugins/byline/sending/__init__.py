"""Send an exported newsletter issue exactly once (``invoke newsletter.send``).

The sender reads only what the build exported (``output/newsletter/<n>/manifest.json`` and
the email files it names), the subscribers CSV and the send ledger; it never runs Pelican.
``send_issue`` is the one entry point the task calls; ``plan_send`` and
``confirmation_text`` preview a send; ``DEFAULTS`` lists every BYLINE_SEND_* setting.
Providers: SMTP (one message per reader) and Buttondown (one broadcast per issue); see
``provider.py`` for how to add another. ``python -m byline.sending --help`` runs it without
invoke.
"""

from __future__ import annotations

from .config import DEFAULTS, SendConfig, config_from_settings
from .errors import (
    AlreadySentError,
    AuthenticationFailed,
    ConfirmationRequired,
    LedgerError,
    ManifestError,
    SendCancelled,
    SendConfigError,
    SendError,
    SendStopped,
    SubscriberFileError,
)
from .issue import Issue, load_issue
from .ledger import issue_state, read_records
from .message import build_message, unsubscribe_token, unsubscribe_url, verify_unsubscribe_token
from .provider import Outgoing, Provider, load_provider
from .send import SendPlan, confirmation_text, plan_send, send_issue
from .subscribers import SubscriberList, read_subscribers
from .summary import SendSummary

__all__ = [
    "DEFAULTS",
    "AlreadySentError",
    "AuthenticationFailed",
    "ConfirmationRequired",
    "Issue",
    "LedgerError",
    "ManifestError",
    "Outgoing",
    "Provider",
    "SendCancelled",
    "SendConfig",
    "SendConfigError",
    "SendError",
    "SendPlan",
    "SendStopped",
    "SendSummary",
    "SubscriberFileError",
    "SubscriberList",
    "build_message",
    "config_from_settings",
    "confirmation_text",
    "issue_state",
    "load_issue",
    "load_provider",
    "plan_send",
    "read_records",
    "read_subscribers",
    "send_issue",
    "unsubscribe_token",
    "unsubscribe_url",
    "verify_unsubscribe_token",
]
