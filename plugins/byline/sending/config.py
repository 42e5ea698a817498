"""Sender settings (every BYLINE_SEND_* key's check; defaults: byline.settings), secrets.

Settings come from a plain dict (Pelican's settings, or JSON for ``python -m
byline.sending``); secrets come only from environment variables whose *names* are settings,
so pelicanconf.py never holds a password. Secrets are kept out of ``repr`` and are listed by
``SendConfig.secrets()`` so every text we write or log can be scrubbed of them.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from ..settings import (
    SPECS,
    SendingSettings,
    SubscriptionSettings,
    default,
    nearest,
    read_section,
)
from ..textclean import clean_text
from .errors import SendConfigError

PREFIX = "BYLINE_SEND_"
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
BUILTIN_PROVIDERS = ("smtp", "buttondown")
_D = SendingSettings()  # the defaults, from byline.settings
#: The newsletter's setting for the frozen copies of sent issues (read here, defined there).
SENT_DIR_KEY = "BYLINE_NEWSLETTER_SENT_DIR"


@dataclass(frozen=True)
class SendConfig:
    """Everything a send needs, with paths resolved and secrets read from the environment."""

    provider: str = _D.provider
    subscribers: Path = Path(_D.subscribers)
    ledger: Path = Path(_D.ledger)
    dry_run_dir: Path = Path(_D.dry_run_dir)
    sent_dir: Path = Path(default(SENT_DIR_KEY))  # frozen copies and send records, committed
    from_address: str = _D.from_address
    from_name: str = _D.from_name
    reply_to: str = _D.reply_to
    unsubscribe_url: str = _D.unsubscribe_url
    unsubscribe_mailto: str = _D.unsubscribe_mailto
    unsubscribe_secret_env: str = _D.unsubscribe_secret_env
    smtp_host: str = _D.smtp_host
    smtp_port: int = DEFAULT_PORTS[_D.smtp_security]  # the setting's 0 means "by security"
    smtp_security: str = _D.smtp_security
    smtp_username: str = _D.smtp_username
    smtp_password_env: str = _D.smtp_password_env
    smtp_timeout: float = float(_D.smtp_timeout)
    smtp_helo: str = _D.smtp_helo
    rate: float = float(_D.rate)
    retries: int = _D.retries
    retry_delay: float = _D.retry_delay
    max_consecutive_failures: int = _D.max_consecutive_failures
    buttondown_api_url: str = _D.buttondown_api_url
    buttondown_api_key_env: str = _D.buttondown_api_key_env
    buttondown_timeout: float = float(_D.buttondown_timeout)
    # The subscription service (byline.subscriptions): when its URL is set, an SMTP send
    # reads its readers from the database and links to the service to unsubscribe.
    subscriptions_url: str = ""
    database: str = field(default="", repr=False)  # a URL; may hold a password from the env
    # Secrets: never in repr, never written anywhere.
    smtp_password: str | None = field(default=None, repr=False)
    buttondown_api_key: str | None = field(default=None, repr=False)
    unsubscribe_secret: str | None = field(default=None, repr=False)

    def __repr__(self) -> str:  # belt and braces: never show a secret, even if set
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.repr)
        return f"SendConfig({shown})"

    def secrets(self) -> list[str]:
        """The secret values in use, so every text we write can be scrubbed of them."""
        values = (self.smtp_password, self.buttondown_api_key, self.unsubscribe_secret)
        found = [value for value in values if value]
        if "@" in self.database:  # a database URL with credentials, from the environment
            found.append(self.database)
        return found

    @property
    def from_domain(self) -> str:
        return self.from_address.rpartition("@")[2]

    def mailto(self) -> str:
        """The mailto: half of List-Unsubscribe."""
        return self.unsubscribe_mailto or f"mailto:{self.from_address}?subject=unsubscribe"


def scrub(text: str, secrets: list[str]) -> str:
    """``text`` with every secret value replaced by '***' (server replies may echo input)."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _path(
    settings: Mapping[str, Any],
    key: str,
    base: Path,
    output: Path | None,
) -> Path:
    written = str(settings.get(key) or default(key))
    path = Path(written).expanduser()
    path = (path if path.is_absolute() else base / path).resolve()
    if output is not None and path.is_relative_to(output):
        raise SendConfigError(
            f"{key} ({written}) is inside the output folder {output}: it would be published "
            "with the site, or wiped by the next build. Keep subscriber data, the ledger "
            "and the sent issues outside the output folder."
        )
    return path


def config_from_settings(
    settings: Mapping[str, Any],
    environ: Mapping[str, str],
    *,
    base_dir: Path | str | None = None,
) -> SendConfig:
    """Build a ``SendConfig`` from settings and the environment; fail early naming the key.

    Checks that need to know the mode (a password is only needed to really send) are made
    by ``SendConfig`` users through ``require_*`` below, not here.
    """
    unknown = sorted(k for k in settings if k.startswith(PREFIX) and k not in SPECS)
    if unknown:
        guesses = [f"{k} (did you mean {nearest(k)}?)" if nearest(k) else k for k in unknown]
        raise SendConfigError(f"unknown setting(s): {', '.join(guesses)}")
    read: SendingSettings = read_section(SendingSettings, settings, SendConfigError)
    service: SubscriptionSettings = read_section(SubscriptionSettings, settings, SendConfigError)
    base = Path(base_dir or ".").resolve()
    output_setting = settings.get("OUTPUT_PATH")
    output = (base / str(output_setting)).resolve() if output_setting else None

    provider = read.provider.strip()
    if provider not in BUILTIN_PROVIDERS and ":" not in provider:
        raise SendConfigError(
            f"BYLINE_SEND_PROVIDER must be one of {', '.join(BUILTIN_PROVIDERS)} "
            f"or 'package.module:Class', not {provider!r}"
        )
    security = read.smtp_security  # starttls, tls or none: checked by read_section
    port = read.smtp_port or DEFAULT_PORTS[security]
    host = read.smtp_host.strip()
    if security == "none" and host and not _is_loopback(host):
        raise SendConfigError(
            f"BYLINE_SEND_SMTP_SECURITY 'none' sends mail and passwords unencrypted; it is only "
            f"allowed for a server on this machine (localhost), not {host!r}"
        )
    from_address = read.from_address.strip()
    if from_address:
        from .subscribers import address_problem

        problem = address_problem(from_address)
        if problem:
            raise SendConfigError(f"BYLINE_SEND_FROM_ADDRESS {from_address!r}: {problem}")
    unsubscribe_url = read.unsubscribe_url.strip()
    if unsubscribe_url:
        if not unsubscribe_url.startswith("https://"):
            raise SendConfigError(
                "BYLINE_SEND_UNSUBSCRIBE_URL must be an https:// URL (RFC 8058 one-click "
                f"unsubscribe needs HTTPS), not {unsubscribe_url!r}"
            )
        if "{token}" not in unsubscribe_url or "{email}" not in unsubscribe_url:
            raise SendConfigError(
                "BYLINE_SEND_UNSUBSCRIBE_URL must contain {email} and {token}, e.g. "
                "https://example.com/unsubscribe?email={email}&token={token}"
            )
    mailto = read.unsubscribe_mailto.strip()
    if mailto and not mailto.startswith("mailto:"):
        raise SendConfigError(f"BYLINE_SEND_UNSUBSCRIBE_MAILTO must start with mailto:, {mailto!r}")
    api_url = read.buttondown_api_url.rstrip("/")
    if not api_url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
        raise SendConfigError(f"BYLINE_SEND_BUTTONDOWN_API_URL must be https://, not {api_url!r}")

    password_env = read.smtp_password_env
    key_env = read.buttondown_api_key_env
    secret_env = read.unsubscribe_secret_env
    return SendConfig(
        provider=provider,
        subscribers=_path(settings, "BYLINE_SEND_SUBSCRIBERS", base, output),
        ledger=_path(settings, "BYLINE_SEND_LEDGER", base, output),
        dry_run_dir=_path(settings, "BYLINE_SEND_DRY_RUN_DIR", base, output),
        sent_dir=_path(settings, SENT_DIR_KEY, base, output),
        from_address=from_address,
        from_name=clean_text(read.from_name, single_line=True),
        reply_to=read.reply_to.strip(),
        unsubscribe_url=unsubscribe_url,
        unsubscribe_mailto=mailto,
        unsubscribe_secret_env=secret_env,
        smtp_host=host,
        smtp_port=port,
        smtp_security=security,
        smtp_username=read.smtp_username.strip(),
        smtp_password_env=password_env,
        smtp_timeout=float(read.smtp_timeout),
        smtp_helo=read.smtp_helo.strip(),
        rate=float(read.rate),
        retries=read.retries,
        retry_delay=float(read.retry_delay),
        max_consecutive_failures=read.max_consecutive_failures,
        buttondown_api_url=api_url,
        buttondown_api_key_env=key_env,
        buttondown_timeout=float(read.buttondown_timeout),
        smtp_password=environ.get(password_env) or None,
        buttondown_api_key=environ.get(key_env) or None,
        unsubscribe_secret=environ.get(secret_env) or None,
        subscriptions_url=_service_url(service),
        database=database_url(service, environ, base),
    )


def _service_url(read: SubscriptionSettings) -> str:
    """BYLINE_SUBSCRIPTIONS_URL, checked: https (RFC 8058), or http on this machine."""
    url = read.url.strip().rstrip("/")
    if url and not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
        raise SendConfigError(
            "BYLINE_SUBSCRIPTIONS_URL must be an https:// address (one-click unsubscribe "
            f"needs HTTPS; http only for 127.0.0.1 while trying it out), not {url!r}"
        )
    return url


def database_url(read: SubscriptionSettings, environ: Mapping[str, str], base: Path) -> str:
    """The readers' database as a SQLAlchemy URL: the environment variable named by
    BYLINE_SUBSCRIPTIONS_DATABASE_URL_ENV when set (PostgreSQL, with its password kept out
    of the settings), else the SQLite file BYLINE_SUBSCRIPTIONS_DATABASE."""
    from_env = (environ.get(read.database_url_env) or "").strip()
    if from_env:
        return from_env
    path = Path(read.database).expanduser()
    path = path if path.is_absolute() else base / path
    return f"sqlite:///{path.resolve()}"


def require_personal_mail(config: SendConfig) -> None:
    """Checks for building per-recipient messages (SMTP, dry runs, test sends)."""
    if not config.from_address:
        raise SendConfigError("BYLINE_SEND_FROM_ADDRESS is not set (e.g. news@example.com)")
    if not (config.unsubscribe_url or config.subscriptions_url):
        raise SendConfigError(
            "BYLINE_SEND_UNSUBSCRIBE_URL is not set: every message needs a one-click "
            "unsubscribe link: set BYLINE_SUBSCRIPTIONS_URL to Byline's subscription service, "
            "or this to your own, e.g. https://example.com/unsubscribe?email={email}&token={token}"
        )
    if not config.unsubscribe_secret:
        raise SendConfigError(
            f"environment variable {config.unsubscribe_secret_env} is not set: it is the key "
            "that signs unsubscribe links (BYLINE_SEND_UNSUBSCRIBE_SECRET_ENV names it)"
        )
