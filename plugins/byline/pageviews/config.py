"""Pageview settings from pelicanconf.py (BYLINE_PAGEVIEWS_*) and secrets from the environment.

API keys are read only from the environment variable named by BYLINE_PAGEVIEWS_API_KEY_ENV;
the key is kept out of ``repr`` so it cannot end up in a log line or a traceback.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..settings import PAGEVIEW_SOURCES as SOURCES
from ..settings import UMAMI_AUTHS, PageviewSettings, default
from .errors import PageviewConfigError
from .http import MAX_ATTEMPTS

PREFIX = "BYLINE_PAGEVIEWS_"
API_SOURCES = ("plausible", "goatcounter", "umami")
DEFAULT_KEY_ENV = {
    "plausible": "PLAUSIBLE_API_KEY",
    "goatcounter": "GOATCOUNTER_API_KEY",
    "umami": "UMAMI_API_KEY",
}
_D = PageviewSettings()  # the defaults, from byline.settings


@dataclass(frozen=True)
class PageviewConfig:
    """Everything a refresh needs; paths are resolved against ``base_dir`` when given."""

    source: str = _D.source
    snapshot: Path = Path(_D.snapshot)
    file: Path = Path(_D.file)
    logs: str | None = None
    window_days: int = _D.window_days
    site_id: str | None = None
    api_url: str | None = None
    api_key_env: str | None = None
    api_key: str | None = field(default=None, repr=False)
    umami_auth: str = _D.umami_auth
    timeout: float = float(_D.timeout)
    max_attempts: int = MAX_ATTEMPTS

    def __repr__(self) -> str:  # belt and braces: never show the key, even if set
        shown = ", ".join(
            f"{name}={getattr(self, name)!r}"
            for name in self.__dataclass_fields__
            if name != "api_key"
        )
        return f"PageviewConfig({shown})"


def _setting(settings: Mapping[str, Any], name: str, fallback: Any = None) -> Any:
    """BYLINE_PAGEVIEWS_<name>; unset or "" is its default (or ``fallback`` when that is "")."""
    key = PREFIX + name
    found = settings.get(key)
    if found is None or found == "":
        found = default(key)
    return fallback if found is None or found == "" else found


def _where(name: str) -> str:
    return f"BYLINE_PAGEVIEWS_{name} in pelicanconf.py"


def default_api_url(source: str, site_id: str | None) -> str | None:
    """The provider's public service URL (GoatCounter's needs the site code)."""
    if source == "plausible":
        return "https://plausible.io"
    if source == "goatcounter":
        return f"https://{site_id}.goatcounter.com" if site_id else None
    if source == "umami":
        return "https://api.umami.is"
    return None


def config_from_settings(
    settings: Mapping[str, Any],
    environ: Mapping[str, str],
    *,
    base_dir: Path | str | None = None,
    need_key: bool = True,
) -> PageviewConfig:
    """Build a ``PageviewConfig`` from Pelican settings and the environment.

    ``need_key=False`` skips the API-key check (a build only reads the snapshot). Relative
    SNAPSHOT/FILE/LOGS paths are joined to ``base_dir`` when given. Raises
    ``PageviewConfigError`` naming the setting or environment variable to fix.
    """
    source = _source(settings)
    root = Path(base_dir) if base_dir is not None else None
    snapshot = _resolve(root, _setting(settings, "SNAPSHOT"))
    export = _resolve(root, _setting(settings, "FILE"))
    logs = _setting(settings, "LOGS")
    if logs is not None:
        logs = str(_resolve(root, str(logs)))
    window_days = _window_days(settings)
    timeout = _timeout(settings)
    site_id = _setting(settings, "SITE_ID")
    site_id = str(site_id).strip() if site_id is not None else None
    umami_auth = _umami_auth(settings)
    if source == "logs" and not logs:
        raise PageviewConfigError(
            f"BYLINE_PAGEVIEWS_SOURCE is 'logs' but {_where('LOGS')} is not set; set it to "
            "a glob like '/var/log/nginx/access.log*'"
        )
    api_url = _setting(settings, "API_URL")
    key_env = _setting(settings, "API_KEY_ENV", DEFAULT_KEY_ENV.get(source))
    api_key = None
    if source in API_SOURCES:
        api_url = _api_url(source, site_id, api_url)
        api_key = _api_key(source, environ, str(key_env), need_key=need_key)
    return PageviewConfig(
        source=source,
        snapshot=snapshot,
        file=export,
        logs=logs,
        window_days=window_days,
        site_id=site_id,
        api_url=api_url,
        api_key_env=str(key_env) if key_env else None,
        api_key=api_key,
        umami_auth=umami_auth,
        timeout=timeout,
    )


def _resolve(root: Path | None, value: str | Path) -> Path:
    """``value`` with ``~`` expanded, joined to ``root`` when it is relative."""
    path = Path(value).expanduser()
    return root / path if root is not None and not path.is_absolute() else path


def _source(settings: Mapping[str, Any]) -> str:
    source = str(_setting(settings, "SOURCE")).strip().lower()
    if source not in SOURCES:
        raise PageviewConfigError(
            f"{_where('SOURCE')} is {source!r}; use one of {', '.join(SOURCES)}"
        )
    return source


def _window_days(settings: Mapping[str, Any]) -> int:
    try:
        window_days = int(_setting(settings, "WINDOW_DAYS"))
    except (TypeError, ValueError):
        raise PageviewConfigError(
            f"{_where('WINDOW_DAYS')} must be a whole number of days"
        ) from None
    if window_days < 1:
        raise PageviewConfigError(f"{_where('WINDOW_DAYS')} must be at least 1")
    return window_days


def _timeout(settings: Mapping[str, Any]) -> float:
    try:
        timeout = float(_setting(settings, "TIMEOUT"))
    except (TypeError, ValueError):
        raise PageviewConfigError(f"{_where('TIMEOUT')} must be a number of seconds") from None
    if timeout <= 0:
        raise PageviewConfigError(f"{_where('TIMEOUT')} must be more than 0 seconds")
    return timeout


def _umami_auth(settings: Mapping[str, Any]) -> str:
    umami_auth = str(_setting(settings, "UMAMI_AUTH")).strip().lower()
    if umami_auth not in UMAMI_AUTHS:
        raise PageviewConfigError(
            f"{_where('UMAMI_AUTH')} is {umami_auth!r}; use 'api-key' (Umami Cloud) or "
            "'bearer' (a self-hosted server's token)"
        )
    return umami_auth


_SITE_ID_MEANS = {
    "plausible": "the site's domain as in Plausible",
    "umami": "the website id (a UUID from Umami's website settings)",
}


def _api_url(source: str, site_id: str | None, api_url: Any) -> str:
    """The API's address: the setting, else the provider's service; checked for a scheme."""
    if source in _SITE_ID_MEANS and not site_id:
        raise PageviewConfigError(
            f"{_where('SITE_ID')} is required for {source}: {_SITE_ID_MEANS[source]}"
        )
    api_url = str(api_url).strip() if api_url else default_api_url(source, site_id)
    if not api_url:
        raise PageviewConfigError(
            f"goatcounter needs {_where('SITE_ID')} (your code, as in "
            "https://CODE.goatcounter.com) or BYLINE_PAGEVIEWS_API_URL"
        )
    if not api_url.lower().startswith(("http://", "https://")):
        raise PageviewConfigError(
            f"{_where('API_URL')} must start with https:// (found {api_url!r})"
        )
    return api_url


def _api_key(
    source: str, environ: Mapping[str, str], key_env: str, *, need_key: bool
) -> str | None:
    """The API key from the environment variable ``key_env``; required when ``need_key``."""
    api_key = (environ.get(key_env) or "").strip() or None
    if need_key and api_key is None:
        raise PageviewConfigError(
            f"the environment variable {key_env} is not set; put the {source} API key in "
            f"it (export {key_env}=... in your shell or CI secrets), never in pelicanconf.py"
            f" (or name another variable with {_where('API_KEY_ENV')})"
        )
    return api_key
