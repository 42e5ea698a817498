"""Buttondown's API against a real HTTP server on 127.0.0.1 answering in its documented shapes.

Draft first (status "draft", X-Idempotency-Key from the manifest id), the send only after
confirmation (PATCH status "about_to_send" with X-Buttondown-Live-Dangerously), and the
errors users meet: 401, 429 with Retry-After, a duplicate email, a lost answer.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sendkit as kit
from byline.sending import (
    AlreadySentError,
    AuthenticationFailed,
    SendError,
    SendOptions,
    SendStopped,
    read_records,
    send_issue,
)
from byline.sending.ledger import Ledger

FIXTURES = Path(__file__).parent / "fixtures" / "send"


KEY = "byline-2026-07-03-7-r1"
ENV = {"BUTTONDOWN_API_KEY": kit.API_KEY}


@pytest.fixture(scope="session")
def httpserver_listen_address():
    return ("127.0.0.1", 0)


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def run(root: Path, httpserver, **kw):
    kw.setdefault("yes", True)
    kw.setdefault("progress", False)
    settings = {
        "BYLINE_ALLOW_NON_PUBLIC_URL": True,  # the fixture's links are on example.com
        "OUTPUT_PATH": "output",
        "BYLINE_SEND_PROVIDER": "buttondown",
        "BYLINE_SEND_BUTTONDOWN_API_URL": httpserver.url_for("/v1"),
        "BYLINE_SEND_BUTTONDOWN_TIMEOUT": 5,
    }
    return send_issue(root / kit.MANIFEST, settings, ENV, SendOptions(**kw), base_dir=root)


def issue_html(root: Path) -> str:
    return (root / "output/newsletter/7/email.html").read_text(encoding="utf-8")


def states(root: Path) -> list[tuple[str, str | None]]:
    return [(r["state"], r.get("stage")) for r in read_records(root / "data/send-ledger.jsonl")]


def expect_draft(httpserver, root, **respond):
    subject = json.loads((root / kit.MANIFEST).read_text())["subject"]
    httpserver.expect_ordered_request(
        "/v1/emails",
        method="POST",
        headers={"Authorization": f"Token {kit.API_KEY}", "X-Idempotency-Key": KEY},
        json={"subject": subject, "body": issue_html(root), "status": "draft"},
    ).respond_with_json(
        respond.get("body", {"id": "em_123", "status": "draft"}), status=respond.get("status", 201)
    )


def expect_send(httpserver):
    httpserver.expect_ordered_request(
        "/v1/emails/em_123",
        method="PATCH",
        headers={"Authorization": f"Token {kit.API_KEY}", "X-Buttondown-Live-Dangerously": "true"},
        json={"status": "about_to_send"},
    ).respond_with_json({"id": "em_123", "status": "about_to_send"})


def test_draft_then_send_after_confirmation(tmp_path, httpserver):
    root = kit.project(tmp_path)
    expect_draft(httpserver, root)
    expect_send(httpserver)
    asked = []

    def confirm(text):
        asked.append(text)
        assert states(root) == [("pending", "draft"), ("drafted", None)]  # draft exists first
        return True

    summary = run(root, httpserver, yes=False, confirm=confirm)
    httpserver.check_assertions()
    assert "draft em_123" in asked[0] and "every subscriber" in asked[0]
    assert summary.provider_ids == ["em_123"] and summary.complete
    assert states(root) == [
        ("pending", "draft"),
        ("drafted", None),
        ("pending", "send"),
        ("sent", None),
        ("complete", None),
    ]
    lines = read_records(root / "data/send-ledger.jsonl")
    assert lines[0]["key"] == KEY and lines[3]["provider_id"] == "em_123"
    with pytest.raises(AlreadySentError):
        run(root, httpserver)


def test_refused_key_stops_with_a_clear_message(tmp_path, httpserver):
    root = kit.project(tmp_path)
    httpserver.expect_request("/v1/emails", method="POST").respond_with_json(
        {"detail": "Invalid token."}, status=401
    )
    with pytest.raises(AuthenticationFailed) as caught:
        run(root, httpserver, sleep=Sleeps())
    message = str(caught.value)
    assert "401" in message and "Invalid token." in message and "BUTTONDOWN_API_KEY" in message
    assert kit.API_KEY not in message
    assert len(httpserver.log) == 1  # not retried
    assert ("sent", None) not in states(root)


def test_rate_limit_waits_for_retry_after(tmp_path, httpserver):
    root = kit.project(tmp_path)
    httpserver.expect_ordered_request("/v1/emails", method="POST").respond_with_json(
        {"detail": "Request was throttled."}, status=429, headers={"Retry-After": "7"}
    )
    expect_draft(httpserver, root)
    expect_send(httpserver)
    sleeps = Sleeps()
    summary = run(root, httpserver, sleep=sleeps)
    httpserver.check_assertions()
    assert sleeps == [7.0] and summary.complete
    # Both create attempts carried the same idempotency key, so at most one draft exists.
    keys = {request.headers["X-Idempotency-Key"] for request, _ in httpserver.log[:2]}
    assert keys == {KEY}


def test_duplicate_email_is_reported(tmp_path, httpserver):
    root = kit.project(tmp_path)
    httpserver.expect_request("/v1/emails", method="POST").respond_with_json(
        {"code": "email_duplicate", "detail": "An email with the same identifiers already exists."},
        status=400,
    )
    with pytest.raises(SendStopped) as caught:
        run(root, httpserver)
    message = str(caught.value)
    assert "email_duplicate" in message and "dashboard" in message
    assert caught.value.summary.failed[0][0] == "buttondown broadcast"
    assert states(root)[-1] == ("failed", None)


def test_server_error_is_retried(tmp_path, httpserver):
    root = kit.project(tmp_path)
    httpserver.expect_ordered_request("/v1/emails", method="POST").respond_with_json(
        {"detail": "boom"}, status=503
    )
    expect_draft(httpserver, root)
    expect_send(httpserver)
    sleeps = Sleeps()
    summary = run(root, httpserver, sleep=sleeps)
    assert summary.complete and sleeps == [2.0]


def test_lost_answer_is_settled_from_buttondown_records(tmp_path, httpserver):
    """A crash after the PATCH went out: the next run asks Buttondown instead of resending."""
    root = kit.project(tmp_path)
    with Ledger(root / "data/send-ledger.jsonl", provider="buttondown") as ledger:
        ledger.record("2026-07-03-7", "@list", "pending", round=1, stage="draft", key=KEY)
        ledger.record("2026-07-03-7", "@list", "drafted", round=1, provider_id="em_123", key=KEY)
        ledger.record(
            "2026-07-03-7", "@list", "pending", round=1, stage="send", provider_id="em_123", key=KEY
        )
    httpserver.expect_request("/v1/emails/em_123", method="GET").respond_with_json(
        {"id": "em_123", "status": "sent"}
    )
    summary = run(root, httpserver)
    assert summary.complete and summary.provider_ids == ["em_123"]
    assert [r.method for r, _ in httpserver.log] == ["GET"]  # no second send


def test_test_copy_uses_send_draft(tmp_path, httpserver):
    root = kit.project(tmp_path)
    expect_draft(httpserver, root)
    httpserver.expect_ordered_request(
        "/v1/emails/em_123/send-draft", method="POST", json={"recipients": ["me@example.com"]}
    ).respond_with_json({})
    summary = run(root, httpserver, test_to="me@example.com", yes=False)
    httpserver.check_assertions()
    assert summary.sent == ["me@example.com"] and summary.mode == "test"


def test_dry_run_writes_the_request_without_the_key(tmp_path, httpserver):
    root = kit.project(tmp_path)
    summary = run(root, httpserver, dry_run=True, yes=False)
    assert httpserver.log == []
    names = sorted(p.name for p in summary.files)
    assert names == ["2026-07-03-7.eml", "buttondown-request.json"]
    request = json.loads((summary.files[1]).read_text())
    assert request["headers"]["X-Idempotency-Key"] == KEY
    assert kit.API_KEY not in summary.files[1].read_text()


def _pending_send(root: Path, **drafted) -> None:
    """The ledger of a run that drafted em_123 and asked for the send, then lost the answer."""
    with Ledger(root / "data/send-ledger.jsonl", provider="buttondown") as ledger:
        ledger.record("2026-07-03-7", "@list", "pending", round=1, stage="draft", key=KEY)
        ledger.record(
            "2026-07-03-7", "@list", "drafted", round=1, provider_id="em_123", key=KEY, **drafted
        )
        ledger.record(
            "2026-07-03-7", "@list", "pending", round=1, stage="send", provider_id="em_123", key=KEY
        )


def test_a_lost_answer_buttondown_cannot_settle_is_left_to_the_user(tmp_path, httpserver):
    root = kit.project(tmp_path)
    _pending_send(root)
    httpserver.expect_request("/v1/emails/em_123", method="GET").respond_with_json(
        {"id": "em_123", "status": "in_flight_somewhere"}
    )
    summary = run(root, httpserver)
    assert summary.uncertain == ["buttondown email em_123"] and not summary.complete
    assert [r.method for r, _ in httpserver.log] == ["GET"]  # nothing sent again


def test_a_draft_buttondown_still_holds_is_sent_without_a_second_draft(tmp_path, httpserver):
    root = kit.project(tmp_path)
    _pending_send(root)
    httpserver.expect_ordered_request("/v1/emails/em_123", method="GET").respond_with_json(
        {"id": "em_123", "status": "draft"}
    )
    expect_send(httpserver)
    summary = run(root, httpserver)
    httpserver.check_assertions()
    assert summary.complete and summary.provider_ids == ["em_123"]
    assert [r.method for r, _ in httpserver.log] == ["GET", "PATCH"]


def test_an_issue_changed_since_its_draft_is_refused(tmp_path, httpserver):
    root = kit.project(tmp_path)
    with Ledger(root / "data/send-ledger.jsonl", provider="buttondown") as ledger:
        ledger.record("2026-07-03-7", "@list", "pending", round=1, stage="draft", key=KEY)
        ledger.record(
            "2026-07-03-7",
            "@list",
            "drafted",
            round=1,
            provider_id="em_123",
            key=KEY,
            content_hash="sha256:what-the-issue-was-before-the-edit",
        )
    with pytest.raises(SendError, match="changed since its buttondown draft em_123 was created"):
        run(root, httpserver)
    assert httpserver.log == []
