"""Who a send goes to: the subscribers CSV, or the subscription service's database.

With ``BYLINE_SUBSCRIPTIONS_URL`` set, readers come from the database (active ones only,
each with the opaque id its unsubscribe link carries), a reader who unsubscribes while a
send runs is not sent to after that moment, and a permanent refusal marks the reader
bounced. Without it the CSV is read as before and these checks have nothing to ask.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import SubscriberFileError
from .subscribers import Subscriber, SubscriberList, read_subscribers

if TYPE_CHECKING:
    from .config import SendConfig


class CsvAudience:
    """The subscribers CSV (BYLINE_SEND_SUBSCRIBERS)."""

    source = "csv"

    def __init__(self, config: SendConfig) -> None:
        self.config = config

    def load(self) -> SubscriberList:
        return read_subscribers(self.config.subscribers)

    def describe(self) -> str:
        return self.config.subscribers.name

    def still_subscribed(self, subscriber: Subscriber) -> bool:
        return True

    def bounced(self, subscriber: Subscriber, reason: str) -> None:
        """A CSV is the editor's to change; the ledger already records the refusal."""


class DatabaseAudience(CsvAudience):
    """The subscription service's readers (needs ``byline[subscriptions]``)."""

    source = "database"

    def __init__(self, config: SendConfig) -> None:
        super().__init__(config)
        try:
            from ..subscriptions.store import Store
        except ModuleNotFoundError as error:
            raise SubscriberFileError(
                f"BYLINE_SUBSCRIPTIONS_URL is set, so the readers come from the subscription "
                f"database, which needs {error.name}: install the optional part with "
                '.venv/bin/pip install -c requirements.lock -e ".[subscriptions]"'
            ) from None
        self.store = Store(config.database, create=False)

    def load(self) -> SubscriberList:
        readers = self.store.active_readers()
        if not readers:
            raise SubscriberFileError(self._nobody())
        return SubscriberList(
            recipients=[Subscriber(r.email, r.name, 0, reader_id=r.id) for r in readers]
        )

    def describe(self) -> str:
        return "the subscription database"

    def _nobody(self) -> str:
        """Why an empty list stops the send (an issue "sent" to nobody would be closed)."""
        csv = self.config.subscribers
        counts = self.store.counts()
        if not counts and csv.is_file():
            return (
                f"the subscription database has no readers yet, but {csv.name} has a list: "
                f"bring it in once with `invoke subscribers.import {csv}` (or set "
                'BYLINE_SUBSCRIPTIONS_URL to "" to keep sending to the CSV)'
            )
        return (
            "nobody to send to: the subscription database has no confirmed readers "
            f"({counts.get('pending', 0)} waiting to confirm); nothing was sent or recorded"
        )

    def still_subscribed(self, subscriber: Subscriber) -> bool:
        return self.store.is_active(subscriber.reader_id)

    def bounced(self, subscriber: Subscriber, reason: str) -> None:
        self.store.mark_bounced(subscriber.reader_id, reason)


def audience_for(config: SendConfig) -> CsvAudience:
    """The database when the subscription service keeps the list, else the CSV. Only for
    providers that send one message per reader ("list"): a broadcast provider such as
    Buttondown keeps its own list and never asks."""
    if config.subscriptions_url:
        return DatabaseAudience(config)
    return CsvAudience(config)
