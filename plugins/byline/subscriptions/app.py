"""The subscription service as an ASGI app (Starlette), served by uvicorn.

Routes:
- ``POST /subscribe`` (the site's sign-up form): store a pending reader, queue the
  confirmation email, redirect to the site's thank-you page. The same answer, in the same
  time, for a new, pending or existing address; a honeypot field and per-client and
  per-address limits keep form spam out. ``GET /subscribe`` is the same form on its own.
- ``GET /confirm?token=...``: activate the reader, once; links expire.
- ``GET /unsubscribe?r=ID&t=TOKEN``: a page with one button. ``POST`` to the same URL
  (the button, or a mail provider's RFC 8058 ``List-Unsubscribe=One-Click``) unsubscribes
  at once: no cookie, no login, no redirect, idempotent. A bad token changes nothing.
- ``GET /health``: the database answers.

Every answer is ``no-store`` and ``no-referrer`` (links carry tokens), with no script.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from ..sending.message import READER_PURPOSE
from ..sending.subscribers import address_problem, normalise
from ..signing import verify
from ..textclean import clean_text
from .limits import RateLimit
from .outbox import OutboxWorker
from .pages import button_form, esc, link, page, signup_form
from .store import Confirmed, Store

if TYPE_CHECKING:
    from .config import ServiceConfig

logger = logging.getLogger(__name__)

HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Robots-Tag": "noindex",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
}
HONEYPOT = "website"  # a field people never see; bots fill it in
MAX_NAME = 200
MAX_PAGE = 500
MAX_FORM = 8192  # bytes: a sign-up form is an address, a page and a name


class LogRequests:
    """One log line per request: method, path and status, never the query string (it
    holds confirmation tokens and reader ids) or anything the form sent."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = [0]

        async def sending(message: Any) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        await self.app(scope, receive, sending)
        logger.info("%s %s %d", scope["method"], scope["path"], status[0])


def _html(body: str, status: int = 200, headers: dict[str, str] | None = None) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers={**HEADERS, **(headers or {})})


class Service:
    """The app's state: config, database, limits, the confirmation worker."""

    def __init__(self, config: ServiceConfig, store: Store, *, worker: bool = True) -> None:
        self.config = config
        self.store = store
        self.per_client = RateLimit(config.client_limit)
        self.per_address = RateLimit(config.address_limit)
        self.worker = OutboxWorker(store, config) if worker else None

    # --- helpers

    def client(self, request: Request) -> str:
        """The reader's address: the trusted proxy's header when configured (its last
        entry, the one our own proxy added), else the connection's."""
        if self.config.trusted_header:
            forwarded = request.headers.get(self.config.trusted_header, "")
            last = forwarded.rsplit(",", 1)[-1].strip()
            if last:
                return last
        return request.client.host if request.client else "unknown"

    def thanks(self) -> Response:
        return RedirectResponse(self.config.thanks_url, status_code=303, headers=HEADERS)

    def back_to_site(self) -> str:
        return link(self.config.site_url + "/", "Back to the site") if self.config.site_url else ""

    def signup_link(self) -> str:
        return link(self.config.site_url + "/newsletter/", "sign up again")

    def signed(self, request: Request) -> str | None:
        """The reader id of a correctly signed unsubscribe link, else None."""
        reader = request.query_params.get("r", "")
        token = request.query_params.get("t", "")
        if reader and verify(self.config.secret, reader, token, READER_PURPOSE):
            return reader
        return None

    # --- routes

    async def subscribe_form(self, request: Request) -> Response:
        title = f"Subscribe to {self.config.newsletter_name}"
        intro = esc("We will email you a link to confirm.")
        return _html(page(title, [intro], form=signup_form(HONEYPOT)))

    async def subscribe(self, request: Request) -> Response:
        if int(request.headers.get("content-length") or 0) > MAX_FORM:
            return _html(page("Too much", [esc("A sign-up is one email address.")]), 413)
        form = await request.form()
        email = str(form.get("email") or "").strip()
        client = self.client(request)
        if not self.per_client.allow(client):
            wait = self.per_client.retry_after(client)
            body = page(
                "Too many sign-ups",
                [
                    esc(
                        "Too many sign-ups came from your network. Try again in "
                        f"{wait // 60 + 1} minutes."
                    )
                ],
            )
            return _html(body, 429, {"Retry-After": str(wait)})
        if str(form.get(HONEYPOT) or ""):
            return self.thanks()  # a bot: answered like anyone, nothing stored
        problem = address_problem(email)
        if problem:
            back = str(form.get("page") or self.config.site_url or "")
            said = esc(f"“{email[:254]}” cannot receive email: {problem}.")
            body = page("Check the email address", [said, link(back, "Go back") if back else ""])
            return _html(body, 400)
        if not self.per_address.allow(normalise(email)):
            return self.thanks()  # the earlier emails are on their way; nothing new to say
        name = clean_text(str(form.get("name") or ""), single_line=True)[:MAX_NAME]
        where = str(form.get("page") or request.headers.get("referer") or "")[:MAX_PAGE]
        if not where.startswith(("https://", "http://")):
            where = ""
        await run_in_threadpool(
            self.store.sign_up,
            email,
            name,
            clean_text(where, single_line=True),
            self.config.confirm_ttl,
        )
        if self.worker:
            self.worker.wake()
        return self.thanks()

    async def confirm(self, request: Request) -> Response:
        token = request.query_params.get("token", "")
        outcome = await run_in_threadpool(self.store.confirm, token) if token else Confirmed.INVALID
        name = self.config.newsletter_name
        signup = self.signup_link()
        if outcome == Confirmed.NOW:
            body = page(
                "You are subscribed",
                [esc(f"Thank you: {name} will reach your inbox."), self.back_to_site()],
            )
            return _html(body)
        if outcome == Confirmed.EXPIRED:
            body = page(
                "This link has expired",
                [f"Confirmation links last a short while for your safety: please {signup}."],
            )
            return _html(body, 410)
        body = page(
            "This link is not valid",
            [
                "It was used already, or a newer link replaced it. If you confirmed, you are "
                f"subscribed and need do nothing; if not, please {signup}."
            ],
        )
        return _html(body, 400)

    async def unsubscribe_page(self, request: Request) -> Response:
        if self.signed(request) is None:
            return self.bad_link()
        query = urlencode({"r": request.query_params["r"], "t": request.query_params["t"]})
        body = page(
            f"Unsubscribe from {self.config.newsletter_name}",
            [esc("One click and you will get no more issues. You can sign up again at any time.")],
            form=button_form(f"unsubscribe?{query}", "Unsubscribe"),
        )
        return _html(body)

    async def unsubscribe(self, request: Request) -> Response:
        reader = self.signed(request)
        if reader is None:
            return self.bad_link()
        form = await request.form()
        one_click = form.get("List-Unsubscribe") == "One-Click"
        source = "one-click (mail app)" if one_click else "unsubscribe page"
        await run_in_threadpool(self.store.unsubscribe, reader, source)
        body = page(
            "You are unsubscribed",
            [
                esc(f"You will get no more issues of {self.config.newsletter_name}."),
                f"Changed your mind? You can {self.signup_link()}." if self.config.site_url else "",
            ],
        )
        return _html(body)

    def bad_link(self) -> Response:
        body = page(
            "This unsubscribe link is not valid",
            [
                "It may have been cut short or changed on its way. Nothing was changed. "
                "Use the link at the foot of one of our emails, or reply to one with the "
                "word “unsubscribe”."
            ],
        )
        return _html(body, 400)

    async def health(self, request: Request) -> Response:
        queued = await run_in_threadpool(self.store.queued)
        return JSONResponse({"ok": True, "queued": queued}, headers=HEADERS)

    @contextlib.asynccontextmanager
    async def lifespan(self, _app: Starlette) -> AsyncIterator[None]:
        if self.worker:
            self.worker.start()
            self.worker.wake()  # anything queued before a restart goes out now
        try:
            yield
        finally:
            if self.worker:
                self.worker.stop()


def create_app(
    config: ServiceConfig, store: Store | None = None, *, worker: bool = True
) -> Starlette:
    """The ASGI app; ``store`` defaults to the configured database."""
    service = Service(config, store or Store(config.database, config.secret), worker=worker)
    routes = [
        Route("/subscribe", service.subscribe_form, methods=["GET"]),
        Route("/subscribe", service.subscribe, methods=["POST"]),
        Route("/confirm", service.confirm, methods=["GET"]),
        Route("/unsubscribe", service.unsubscribe_page, methods=["GET"]),
        Route("/unsubscribe", service.unsubscribe, methods=["POST"]),
        Route("/health", service.health, methods=["GET"]),
    ]
    app = Starlette(routes=routes, lifespan=service.lifespan, middleware=[Middleware(LogRequests)])
    app.state.service = service
    return app
