"""Where the theme's sign-up form posts.

Sending through SMTP (or a provider module of your own that sends one message per
reader) with Byline's subscription service (``BYLINE_SUBSCRIPTIONS_URL``), the form
posts to the service's ``/subscribe`` with two extra fields: the page it was on
(recorded with the reader's consent) and a honeypot that people never see. Otherwise it
posts to ``BYLINE_NEWSLETTER_FORM_URL`` (Buttondown's embed form, or any other), and with
neither the form is left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SignupForm:
    action: str  # "" leaves the form out
    own_service: bool  # Byline's service: add the page field and the honeypot
    site_url: str = ""  # absolute, for the page field (templates may see a relative SITEURL)


def signup_form(settings: Mapping[str, Any]) -> SignupForm:
    service = str(settings.get("BYLINE_SUBSCRIPTIONS_URL") or "").strip().rstrip("/")
    provider = str(settings.get("BYLINE_SEND_PROVIDER") or "smtp").strip()
    if service and provider != "buttondown":  # SMTP, or a provider module of your own
        site = str(settings.get("SITEURL") or "").rstrip("/")
        return SignupForm(f"{service}/subscribe", True, site)
    return SignupForm(str(settings.get("BYLINE_NEWSLETTER_FORM_URL") or "").strip(), False)
