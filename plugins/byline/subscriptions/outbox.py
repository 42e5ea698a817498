"""Confirmation emails, sent from the database's queue by one background thread.

A sign-up request only queues its email, so every sign-up is answered in the same time
whether the address is new, pending or already a reader (nobody can probe who subscribes),
and a slow or failing SMTP server never slows the form. The queue is in the database: a
killed service sends what was queued when it comes back. The email goes through the same
SMTP settings and sender code as the newsletter (``byline.sending.smtp``).
"""

from __future__ import annotations

import html
import logging
import threading
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import quote

from ..retry import backoff_delay
from ..sending.errors import DeliveryError, PermanentFailure, ProviderStop, SendError
from ..sending.message import _FOLDED, new_message_id
from ..sending.provider import Outgoing
from ..sending.smtp import SmtpProvider
from ..sending.subscribers import Subscriber
from ..signing import masked, without_addresses
from .store import confirmation_token

if TYPE_CHECKING:
    from .config import ServiceConfig
    from .store import QueuedConfirmation, Store

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
RETRY_BASE = 30.0  # seconds before the first retry; doubled each time


def confirm_link(config: ServiceConfig, token: str) -> str:
    return f"{config.service_url}/confirm?token={quote(token, safe='')}"


def confirmation_message(config: ServiceConfig, queued: QueuedConfirmation) -> EmailMessage:
    """The double opt-in email: one link, what it is for, what to do if it was not you."""
    name = config.newsletter_name
    token = confirmation_token(config.secret, queued.reader.id, queued.nonce)
    link = confirm_link(config, token)
    hours = round(config.confirm_ttl.total_seconds() / 3600)
    send = config.send
    message = EmailMessage(policy=_FOLDED)
    message["From"] = Address(display_name=send.from_name or name, addr_spec=send.from_address)
    message["To"] = Address(display_name=queued.reader.name, addr_spec=queued.reader.email)
    message["Subject"] = f"Confirm your subscription to {name}"
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = new_message_id(send)
    message["Auto-Submitted"] = "auto-generated"
    if send.reply_to:
        message["Reply-To"] = send.reply_to
    text = (
        f"Please confirm that you want to receive {name} by email:\n\n{link}\n\n"
        f"The link works once, for {hours} hours. If you did not sign up, ignore this "
        "email: you will not hear from us again.\n"
    )
    body = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Confirm your subscription</title></head><body>"
        f"<p>Please confirm that you want to receive {html.escape(name)} by email.</p>"
        f'<p><a href="{html.escape(link)}">Yes, subscribe me</a></p>'
        f"<p>The link works once, for {hours} hours. If you did not sign up, ignore this "
        "email: you will not hear from us again.</p></body></html>"
    )
    message.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(body, subtype="html", charset="utf-8", cte="quoted-printable")
    return message


def send_due(store: Store, config: ServiceConfig) -> int:
    """Send every confirmation that is due; returns how many went out."""
    due = store.due_confirmations()
    if not due:
        return 0
    provider = SmtpProvider(config.send)
    sent = 0
    try:
        for queued in due:
            sent += _send_one(store, config, provider, queued)
    except (ProviderStop, SendError) as error:  # the server refused us: try again later
        logger.warning("confirmation emails wait: %s", without_addresses(str(error)))
        for queued in due[sent:]:
            store.confirmation_later(queued.id, backoff_delay(RETRY_BASE, 1), str(error))
    finally:
        provider.close()
    return sent


def _send_one(
    store: Store, config: ServiceConfig, provider: SmtpProvider, queued: QueuedConfirmation
) -> int:
    message = confirmation_message(config, queued)
    recipient = Subscriber(email=queued.reader.email, name=queued.reader.name, line=0)
    outgoing = Outgoing(cast(Any, None), recipient, message, str(message["Message-ID"]), "confirm")
    who = masked(queued.reader.email)
    try:
        provider.deliver(outgoing)
    except PermanentFailure as error:
        logger.warning(
            "confirmation to %s refused for good: %s", who, without_addresses(str(error))
        )
        store.confirmation_done(queued.id)
        return 0
    except DeliveryError as error:
        attempts = queued.attempts + 1
        if attempts >= MAX_ATTEMPTS:
            logger.warning(
                "confirmation to %s dropped after %d tries: %s",
                who,
                attempts,
                without_addresses(str(error)),
            )
            store.confirmation_done(queued.id)
        else:
            store.confirmation_later(queued.id, backoff_delay(RETRY_BASE, attempts), str(error))
        return 0
    store.confirmation_done(queued.id)
    logger.info("confirmation sent to %s", who)
    return 1


class OutboxWorker:
    """A thread that sends due confirmations when woken (after a sign-up) or every few
    seconds (for retries and anything queued before a restart)."""

    def __init__(self, store: Store, config: ServiceConfig, interval: float = 5.0) -> None:
        self.store = store
        self.config = config
        self.interval = interval
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="byline-outbox", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.interval)
            self._wake.clear()
            try:
                while send_due(self.store, self.config) and not self._stop.is_set():
                    pass  # a full batch went out: there may be more
            except Exception:  # noqa: BLE001 - the worker must outlive one bad round
                logger.exception("the confirmation queue failed; trying again shortly")
