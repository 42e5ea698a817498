"""Send an exported newsletter issue exactly once (``invoke newsletter.send``).

The sender reads only what the production build exported
(``public/newsletter/<n>/manifest.json`` and the email files it names), the frozen copy of
an issue once it went out (``data/newsletter/<n>/``), the subscribers CSV and the send
ledger; it never runs Pelican. ``send_issue`` does the work; ``cli.run`` is the command
line both ``invoke newsletter.send`` and ``python -m byline.sending`` call, and
``ExitCode`` is what they exit with; ``plan_send`` and ``confirmation_text`` preview a
send; ``byline.settings.SendingSettings`` lists every BYLINE_SEND_* setting.
Providers: SMTP (one message per reader) and Buttondown (one broadcast per issue); see
``provider.py`` for how to add another. ``python -m byline.sending --help`` runs it without
invoke.
"""

from __future__ import annotations

from .config import SendConfig, config_from_settings
from .errors import (
    AlreadySentError,
    AuthenticationFailed,
    ConfirmationRequired,
    LedgerError,
    ManifestError,
    SendCancelled,
    SendConfigError,
    SendError,
    SendRefused,
    SendStopped,
    SubscriberFileError,
)
from .exitcodes import ExitCode
from .issue import Issue, load_issue
from .ledger import State, issue_state, read_records
from .message import build_message, unsubscribe_token, unsubscribe_url, verify_unsubscribe_token
from .provider import Outgoing, Provider, load_provider
from .send import SendOptions, SendPlan, confirmation_text, plan_send, send_issue
from .subscribers import SubscriberList, read_subscribers
from .summary import SendSummary

__all__ = [
    "AlreadySentError",
    "AuthenticationFailed",
    "ConfirmationRequired",
    "ExitCode",
    "Issue",
    "LedgerError",
    "ManifestError",
    "Outgoing",
    "Provider",
    "SendCancelled",
    "SendConfig",
    "SendConfigError",
    "SendError",
    "SendOptions",
    "SendRefused",
    "SendPlan",
    "SendStopped",
    "SendSummary",
    "State",
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
