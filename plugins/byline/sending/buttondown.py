"""Buttondown through its REST API (requests): a draft first, the send only once confirmed.

Buttondown keeps the subscriber list and the unsubscribe links itself (it fills in
``{{unsubscribe_url}}``, which its template language reads like ``{{ unsubscribe_url }}``),
so this provider sends one broadcast per issue and the subscribers CSV is not used.

Shapes implemented (https://docs.buttondown.com, API v1):

- create: ``POST /v1/emails`` with ``Authorization: Token KEY``, ``X-Idempotency-Key`` (the
  same key replays the first answer, so a retried create never makes a second email) and
  ``{"subject", "body", "status": "draft"}`` -> 201 ``{"id", "status": "draft", ...}``.
- send: ``PATCH /v1/emails/{id}`` ``{"status": "about_to_send"}`` with
  ``X-Buttondown-Live-Dangerously: true`` (required for a real send through the API).
- look up: ``GET /v1/emails/{id}`` -> ``{"status": "draft" | "about_to_send" | "in_flight" |
  "sent" | "scheduled" | ...}``, used to settle a send whose answer was lost.
- test copy: ``POST /v1/emails/{id}/send-draft`` ``{"recipients": [address]}``.
- errors: ``{"code": "...", "detail": "..."}`` (older validation errors:
  ``{"field": ["message"]}``). 401/403: bad or under-privileged key (stop at once);
  400/422: validation, e.g. ``email_duplicate`` (an email with the same identifiers exists);
  409: conflict (a request with this idempotency key is still in progress); 429 with
  ``Retry-After``; 5xx: Buttondown trouble. 429, 409 and 5xx are retried with back-off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from ..retry import parse_retry_after
from .config import scrub
from .errors import (
    PermanentFailure,
    ProviderStop,
    SendConfigError,
    TemporaryFailure,
    UncertainDelivery,
)
from .provider import Outgoing, Provider

if TYPE_CHECKING:
    import requests

    from .config import SendConfig

SENT_STATUSES = frozenset(
    {"about_to_send", "in_flight", "sent", "scheduled", "throttled", "resending", "imported"}
)


def _detail(response: requests.Response) -> tuple[str, str]:
    """(code, human text) from Buttondown's error body, whichever shape it has."""
    try:
        body: Any = response.json()
    except ValueError:
        return "", " ".join(response.text.split())[:200]
    if isinstance(body, dict):
        code = str(body.get("code") or "")
        detail = body.get("detail")
        if detail is None:
            parts = []
            for field, value in body.items():
                if field == "code":
                    continue
                text = "; ".join(map(str, value)) if isinstance(value, list) else str(value)
                parts.append(f"{field}: {text}")
            detail = ", ".join(parts)
        return code, str(detail)[:300]
    return "", str(body)[:200]


class ButtondownProvider(Provider):
    name = "buttondown"
    audience = "provider"

    def __init__(self, config: SendConfig) -> None:
        super().__init__(config)
        self._session: requests.Session | None = None

    def describe(self) -> str:
        return f"Buttondown ({self.config.buttondown_api_url})"

    def check(self, *, live: bool) -> None:
        if not self.config.buttondown_api_key:
            raise SendConfigError(
                f"environment variable {self.config.buttondown_api_key_env} is not set: it "
                "holds the Buttondown API key (BYLINE_SEND_BUTTONDOWN_API_KEY_ENV names it)"
            )

    def open(self) -> None:
        import requests

        session = requests.Session()
        session.headers.update(
            {
                "Authorization": f"Token {self.config.buttondown_api_key}",
                "Accept": "application/json",
                "User-Agent": "byline-newsletter-sender",
            }
        )
        self._session = session

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None

    def _url(self, path: str) -> str:
        return self.config.buttondown_api_url + path

    def _call(
        self,
        method: str,
        path: str,
        *,
        what: str,
        json: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        lost_is_uncertain: bool = False,
    ) -> dict[str, Any]:
        import requests

        if self._session is None:
            self.open()
        assert self._session is not None
        try:
            response = self._session.request(
                method,
                self._url(path),
                json=json,
                headers=headers,
                timeout=self.config.buttondown_timeout,
            )
        except requests.RequestException as error:
            text = scrub(
                f"{what}: no answer from Buttondown ({type(error).__name__})", self._secrets
            )
            if lost_is_uncertain and not isinstance(error, requests.ConnectTimeout):
                # The request may have arrived: only Buttondown's records can tell now.
                raise UncertainDelivery(text) from None
            raise TemporaryFailure(text) from None  # safe: the idempotency key dedupes
        status = response.status_code
        if 200 <= status < 300:
            try:
                body = response.json()
            except ValueError:
                body = {}
            return body if isinstance(body, dict) else {}
        code, detail = _detail(response)
        detail = scrub(detail, self._secrets)
        label = f"{what}: Buttondown answered {status}" + (f" {code}" if code else "")
        label += f" ({detail})" if detail else ""
        if status in (401, 403):
            raise ProviderStop(
                f"{label}; check the API key in {self.config.buttondown_api_key_env} "
                "(and that it may write emails)",
                status,
                auth=True,
            )
        if status == 429:
            retry = parse_retry_after(response.headers.get("Retry-After"))
            raise TemporaryFailure(f"{label}: rate limited", status, retry_after=retry)
        if status == 409:
            raise TemporaryFailure(
                f"{label}: a request with this idempotency key is still being processed", status
            )
        if status >= 500:
            raise TemporaryFailure(label, status)
        if code == "email_duplicate":
            raise PermanentFailure(
                f"{label}: Buttondown already has this email (created or sent outside this "
                "ledger?); check the Emails page of your Buttondown dashboard",
                status,
            )
        raise PermanentFailure(label, status)

    @property
    def _secrets(self) -> list[str]:
        return self.config.secrets()

    def _draft_body(self, outgoing: Outgoing) -> dict[str, Any]:
        return {"subject": outgoing.issue.subject, "body": outgoing.issue.html, "status": "draft"}

    def prepare(self, outgoing: Outgoing) -> str:
        body = self._call(
            "POST",
            "/emails",
            what="creating the draft",
            json=self._draft_body(outgoing),
            headers={"X-Idempotency-Key": outgoing.idempotency_key},
        )
        draft_id = body.get("id")
        if not draft_id:
            raise PermanentFailure("creating the draft: Buttondown's answer has no id")
        return str(draft_id)

    def deliver(self, outgoing: Outgoing) -> str:
        if not outgoing.draft_id:
            raise PermanentFailure("no Buttondown draft to send")
        body = self._call(
            "PATCH",
            f"/emails/{outgoing.draft_id}",
            what="sending the draft",
            json={"status": "about_to_send"},
            headers={
                "X-Buttondown-Live-Dangerously": "true",
                "X-Idempotency-Key": outgoing.idempotency_key + "-send",
            },
            lost_is_uncertain=True,
        )
        return str(body.get("id") or outgoing.draft_id)

    def lookup(self, provider_id: str) -> Literal["sent", "unsent", "unknown"]:
        if not provider_id:
            return "unknown"
        try:
            body = self._call("GET", f"/emails/{provider_id}", what="checking the email")
        except (TemporaryFailure, PermanentFailure, UncertainDelivery):
            return "unknown"
        status = str(body.get("status", ""))
        if status in SENT_STATUSES:
            return "sent"
        return "unsent" if status == "draft" else "unknown"

    def send_test(self, outgoing: Outgoing, address: str) -> str:
        if not outgoing.draft_id:
            raise PermanentFailure("no Buttondown draft to send a test copy of")
        self._call(
            "POST",
            f"/emails/{outgoing.draft_id}/send-draft",
            what="sending a test copy",
            json={"recipients": [address]},
        )
        return outgoing.draft_id

    def request_preview(self, outgoing: Outgoing) -> dict[str, Any]:
        return {
            "method": "POST",
            "url": self._url("/emails"),
            "headers": {
                "Authorization": "Token ***",
                "X-Idempotency-Key": outgoing.idempotency_key,
            },
            "json": self._draft_body(outgoing),
            "then": {
                "method": "PATCH",
                "url": self._url("/emails/{id}"),
                "headers": {"X-Buttondown-Live-Dangerously": "true"},
                "json": {"status": "about_to_send"},
            },
        }
