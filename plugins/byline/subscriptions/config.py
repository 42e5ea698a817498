"""The subscription service's settings (defaults: byline.settings) and its secret.

The service reads the same settings as ``newsletter.send`` (publishconf.py for the real
site) so the two agree on the database, the signing key and the SMTP server: a link the
sender signs is one the service accepts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from ..newsletter_layout import THANKS_URL
from ..sending.config import SendConfig, config_from_settings
from ..sending.errors import SendConfigError
from ..settings import SubscriptionSettings, read_section


@dataclass(frozen=True)
class ServiceConfig:
    send: SendConfig  # SMTP server, From address, signing key, database
    service_url: str  # the public address of this service, for the links it mails
    site_url: str
    thanks_url: str
    newsletter_name: str
    confirm_ttl: timedelta
    trusted_header: str
    address_limit: int
    client_limit: int
    host: str
    port: int
    secret: str = field(repr=False, default="")

    @property
    def database(self) -> str:
        return self.send.database


def service_config(
    settings: Mapping[str, Any], environ: Mapping[str, str], base_dir: Path | str
) -> ServiceConfig:
    """Everything the service needs, checked once: a missing key names its setting."""
    send = config_from_settings(settings, environ, base_dir=base_dir)
    read: SubscriptionSettings = read_section(SubscriptionSettings, settings, SendConfigError)
    if not send.subscriptions_url:
        raise SendConfigError(
            "BYLINE_SUBSCRIPTIONS_URL is not set: the address readers reach this service at, "
            "e.g. https://example.com/subscriptions (http://127.0.0.1:8040 to try it here)"
        )
    if not send.unsubscribe_secret:
        raise SendConfigError(
            f"environment variable {send.unsubscribe_secret_env} is not set: the key that "
            "signs unsubscribe links, the same one newsletter.send uses"
        )
    if len(send.unsubscribe_secret) < 16:
        raise SendConfigError(
            f"environment variable {send.unsubscribe_secret_env} is too short to sign links "
            'safely (at least 16 characters; make one with: python3 -c "import secrets; '
            'print(secrets.token_urlsafe(32))")'
        )
    if not send.from_address:
        raise SendConfigError(
            "BYLINE_SEND_FROM_ADDRESS is not set: the confirmation emails come from it"
        )
    site_url = str(settings.get("SITEURL") or "").rstrip("/")
    thanks = str(settings.get("BYLINE_NEWSLETTER_THANKS_URL") or "").strip()
    if not thanks:
        thanks = f"{site_url}/{THANKS_URL}"
    name = str(settings.get("BYLINE_NEWSLETTER_NAME") or settings.get("SITENAME") or "")
    return ServiceConfig(
        send=send,
        service_url=send.subscriptions_url,
        site_url=site_url,
        thanks_url=thanks,
        newsletter_name=name or "our newsletter",
        confirm_ttl=timedelta(hours=float(read.confirm_hours)),
        trusted_header=read.trusted_header.strip().lower(),
        address_limit=read.address_limit,
        client_limit=read.client_limit,
        host=read.host,
        port=read.port,
        secret=send.unsubscribe_secret,
    )
