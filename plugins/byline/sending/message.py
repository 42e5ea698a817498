"""One reader's message: multipart/alternative (text first, then HTML), UTF-8, with the
headers mailbox providers demand and a signed one-click unsubscribe link.

``List-Unsubscribe`` holds long URLs with no spaces; folded at 78 characters by
``email.policy.SMTP`` it would be RFC 2047-encoded and break. The policy below is SMTP's
cloned with ``max_line_length=998`` (the RFC 5322 hard limit) so those headers stay on one
line, unencoded, while the headers that may need encoded-words (Subject, From, To) are still
folded at 78, which keeps each encoded-word within RFC 2047's 75 characters.
"""

from __future__ import annotations

import html
from email import policy as email_policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import formatdate, make_msgid
from urllib.parse import quote

from ..signing import sign, verify
from .config import SendConfig
from .issue import Issue
from .subscribers import Subscriber

#: Headers written on one line, however long (they are plain ASCII by construction).
UNFOLDED = frozenset({"list-unsubscribe", "list-unsubscribe-post", "message-id"})
_FOLDED = email_policy.SMTP  # 78 columns, CRLF


class NewsletterPolicy(EmailPolicy):
    """SMTP policy with max_line_length=998 for the unfolded headers, 78 for the rest."""

    def fold(self, name: str, value: str) -> str:
        if name.lower() in UNFOLDED:
            return super().fold(name, value)
        return _FOLDED.fold(name, value)

    def fold_binary(self, name: str, value: str) -> bytes:
        if name.lower() in UNFOLDED:
            return super().fold_binary(name, value)
        return _FOLDED.fold_binary(name, value)


#: The reader id in a test copy's unsubscribe link (no reader has it).
TEST_COPY = "test-copy"
#: What a reader-id signature is for (a token for one job is void for another).
READER_PURPOSE = "unsubscribe"

POLICY = NewsletterPolicy(linesep="\r\n", max_line_length=998, utf8=False)


def unsubscribe_token(secret: str, address: str) -> str:
    """HMAC-SHA256 of the lower-cased address: proves the link was ours, without a database."""
    return sign(secret, address.strip().lower())


def verify_unsubscribe_token(secret: str, address: str, token: str) -> bool:
    """For an unsubscribe endpoint of your own: constant-time check of a link's token."""
    return verify(secret, address.strip().lower(), token)


def reader_url(service_url: str, secret: str, reader_id: str) -> str:
    """The subscription service's unsubscribe link for one reader: an opaque id and its
    signature, never the address (links end up in server logs)."""
    token = sign(secret, reader_id, READER_PURPOSE)
    return f"{service_url.rstrip('/')}/unsubscribe?r={quote(reader_id, safe='')}&t={token}"


def unsubscribe_url(config: SendConfig, subscriber: Subscriber) -> str:
    """The reader's https unsubscribe URL: the subscription service's link when the reader
    came from its database, else BYLINE_SEND_UNSUBSCRIBE_URL filled in."""
    secret = config.unsubscribe_secret or ""
    if config.subscriptions_url:
        # A test copy has no reader behind it: its link works and changes nobody.
        return reader_url(config.subscriptions_url, secret, subscriber.reader_id or TEST_COPY)
    token = unsubscribe_token(secret, subscriber.email)
    return config.unsubscribe_url.format(email=quote(subscriber.email, safe=""), token=token)


def new_message_id(config: SendConfig) -> str:
    return make_msgid(domain=config.from_domain)


def build_message(
    issue: Issue,
    subscriber: Subscriber,
    config: SendConfig,
    *,
    message_id: str | None = None,
    date: str | None = None,
) -> EmailMessage:
    """The message for one reader; ``message_id`` is reused when resending the same attempt."""
    url = unsubscribe_url(config, subscriber)
    # Bodies are encoded with the 78-column policy (quoted-printable lines of 76, as RFC 2045
    # requires); headers are folded by POLICY when the message is written out.
    message = EmailMessage(policy=_FOLDED)
    message["From"] = Address(
        display_name=config.from_name or issue.from_name, addr_spec=config.from_address
    )
    message["To"] = Address(display_name=subscriber.name, addr_spec=subscriber.email)
    message["Subject"] = issue.subject
    message["Date"] = date or formatdate(usegmt=True)
    message["Message-ID"] = message_id or new_message_id(config)
    if config.reply_to:
        message["Reply-To"] = config.reply_to
    message["List-Unsubscribe"] = f"<{url}>, <{config.mailto()}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    text = issue.text.replace(issue.placeholder, url)
    body = issue.html.replace(issue.placeholder, html.escape(url, quote=True))
    message.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(body, subtype="html", charset="utf-8", cte="quoted-printable")
    return message


def as_bytes(message: EmailMessage) -> bytes:
    """The wire form (CRLF line ends), as written to SMTP and to .eml files."""
    return message.as_bytes(policy=POLICY)
