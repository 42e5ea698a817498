"""SMTP sends against a real aiosmtpd server on 127.0.0.1, with injected faults.

Checks what readers get (one well-formed multipart/alternative message each, with Date,
Message-ID and a per-reader, HMAC-signed one-click unsubscribe header) and what the ledger
says after temporary refusals, dropped connections, permanent refusals and bad logins.
"""

from __future__ import annotations

import json
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import sendkit as kit
from byline.sending import (
    AlreadySentError,
    AuthenticationFailed,
    ConfirmationRequired,
    SendCancelled,
    SendOptions,
    confirmation_text,
    plan_send,
    read_records,
    send_issue,
    verify_unsubscribe_token,
)

FIXTURES = Path(__file__).parent / "fixtures" / "send"


GOOD = ["ada@example.com", "bob@example.org", "dan@example.com", "grace@example.co.uk"]


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def run(root: Path, port: int, *, settings=None, env=None, **kw):
    kw.setdefault("yes", True)
    kw.setdefault("progress", False)
    return send_issue(
        root / kit.MANIFEST,
        settings or kit.settings(port),
        env or kit.ENV,
        SendOptions(**kw),
        base_dir=root,
    )


def ledger(root: Path) -> list[dict]:
    return read_records(root / "data" / "send-ledger.jsonl")


def states(root: Path) -> dict[str, str]:
    out = {}
    for line in ledger(root):
        out[line["address"]] = line["state"]
    return out


def test_each_reader_gets_one_well_formed_message(tmp_path):
    root = kit.project(tmp_path)
    handler = kit.Recorder()
    with kit.Server(handler) as server:
        summary = run(root, server.port)
    assert sorted(summary.sent) == sorted(["ada@example.com", "Bob@Example.org", *GOOD[2:]])
    assert handler.received() == {a: 1 for a in GOOD}
    seen_ids = set()
    for message in handler.parsed():
        to = message["To"].addresses[0].addr_spec.lower()
        assert message.get_content_type() == "multipart/alternative"
        parts = list(message.iter_parts())
        assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
        assert all(p.get_content_charset() == "utf-8" for p in parts)
        assert message["From"].addresses[0].addr_spec == kit.FROM
        assert message["From"].addresses[0].display_name == "The Counter"
        assert "café edition" in str(message["Subject"])
        assert parsedate_to_datetime(str(message["Date"])).tzinfo is not None
        message_id = str(message["Message-ID"])
        assert message_id.startswith("<") and message_id.endswith("@counter.example.com>")
        seen_ids.add(message_id)
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        # Unfolded and unencoded on the wire.
        raw = next(r for rcpts, r in handler.messages if rcpts[0].lower() == to)
        header = next(line for line in raw.split(b"\r\n") if line.startswith(b"List-Unsubscribe:"))
        assert b"=?" not in header
        value = header.decode().partition(": ")[2]
        https, mailto = [part.strip().strip("<>") for part in value.split(",")]
        assert mailto == f"mailto:{kit.FROM}?subject=unsubscribe"
        query = parse_qs(urlsplit(https).query)
        assert https.startswith("https://counter.example.com/unsubscribe?")
        assert query["email"] == [to] or query["email"][0].lower() == to
        assert verify_unsubscribe_token(kit.UNSUB_SECRET, to, query["token"][0])
        assert not verify_unsubscribe_token("other-secret", to, query["token"][0])
        # The same URL replaces the placeholder in both parts.
        text, html = (p.get_content() for p in parts)
        assert "{{unsubscribe_url}}" not in text + html
        assert https in text.splitlines()
        assert https.replace("&", "&amp;") in html
        assert "Raise your prices — before you need to" in text
        assert "\n.A line that starts with a dot" in text
    assert len(seen_ids) == 4
    # Ledger: pending then sent for each, then the round is complete.
    lines = ledger(root)
    assert [line["state"] for line in lines] == ["pending", "sent"] * 4 + ["complete"]
    assert all(line["issue"] == "2026-07-03-7" and line["provider"] == "smtp" for line in lines)
    text = "\n".join(summary.lines())
    assert "line 5 'not-an-address': not a valid email address" in text
    assert "line 9 BOB@example.org: duplicate address" in text
    assert "line 10 eve@example.com: status 'unsubscribed'" in text
    assert "line 11 frank@example.com: status 'bounced'" in text
    assert "line 4 'chloé@example.com'" in text


def test_temporary_refusal_is_retried_with_backoff(tmp_path):
    root = kit.project(tmp_path)
    handler = kit.Recorder()
    refused = []

    def data(index, address):
        if address == "dan@example.com" and len(refused) < 2:
            refused.append(index)
            return "451 4.3.0 try again later"
        return None

    handler.data = data
    sleeps = Sleeps()
    with kit.Server(handler) as server:
        summary = run(root, server.port, sleep=sleeps)
    assert handler.received() == {a: 1 for a in GOOD}
    assert sleeps == [0.5, 1.0]  # BYLINE_SEND_RETRY_DELAY, doubled
    assert summary.ok and not summary.failed
    assert states(root)["dan@example.com"] == "sent"


def test_dropped_connection_mid_list_reconnects(tmp_path):
    root = kit.project(tmp_path, [f"r{i}@example.com" for i in range(10)])
    handler = kit.Recorder()
    dropped = []

    def rcpt(index, address):
        if address == "r4@example.com" and not dropped:
            dropped.append(address)
            return kit.DROP
        return None

    handler.rcpt = rcpt
    with kit.Server(handler) as server:
        summary = run(root, server.port, sleep=Sleeps())
    assert dropped
    assert handler.received() == {f"r{i}@example.com": 1 for i in range(10)}
    assert summary.ok and len(summary.sent) == 10


def test_drop_after_the_data_is_uncertain_and_not_resent(tmp_path):
    root = kit.project(tmp_path, [f"r{i}@example.com" for i in range(6)])
    handler = kit.Recorder()
    handler.data = lambda index, address: kit.DROP if address == "r2@example.com" else None
    with kit.Server(handler) as server:
        summary = run(root, server.port, sleep=Sleeps())
        assert summary.uncertain == ["r2@example.com"]
        assert not summary.complete
        assert "r2@example.com" in summary.lines()[-1]
        assert states(root)["r2@example.com"] == "pending"
        handler.data = None
        again = run(root, server.port)  # left out without --resend-uncertain
        assert again.uncertain == ["r2@example.com"] and again.sent == []
        third = run(root, server.port, resend_uncertain=True)
    assert third.sent == ["r2@example.com"] and third.complete
    assert handler.received()["r2@example.com"] == 1  # the dropped one was never kept
    assert sum(handler.received().values()) == 6
    lines = [x for x in ledger(root) if x["address"] == "r2@example.com"]
    assert len({x["message_id"] for x in lines}) == 1  # the resend reuses the Message-ID


def test_permanent_refusal_is_recorded_and_reported(tmp_path):
    root = kit.project(tmp_path)
    handler = kit.Recorder()
    handler.rcpt = lambda i, a: "550 5.1.1 no such user" if a.startswith("dan@") else None
    with kit.Server(handler) as server:
        summary = run(root, server.port)
        assert handler.received() == {a: 1 for a in GOOD if a != "dan@example.com"}
        assert summary.failed == [("dan@example.com", "550 5.1.1 no such user (at RCPT TO)")]
        assert "failed: dan@example.com: 550 5.1.1 no such user (at RCPT TO)" in summary.lines()
        record = [x for x in ledger(root) if x["address"] == "dan@example.com"][-1]
        assert record["state"] == "failed" and "550" in record["error"]
        assert summary.complete  # refused for good is handled: the issue is done
        with pytest.raises(AlreadySentError):
            run(root, server.port)


def test_bad_login_stops_at_once_and_records_nothing(tmp_path):
    root = kit.project(tmp_path)
    handler = kit.Recorder()
    env = {**kit.ENV, "BYLINE_SMTP_PASSWORD": "wrong-password"}
    settings = kit.settings(0, BYLINE_SEND_SMTP_USERNAME="news")
    with kit.Server(handler, password=kit.SMTP_PASSWORD) as server:
        settings["BYLINE_SEND_SMTP_PORT"] = server.port
        with pytest.raises(AuthenticationFailed) as caught:
            run(root, server.port, settings=settings, env=env)
        # One login() (smtplib tries PLAIN, then LOGIN), never retried.
        assert [m for _, m in server.logins] == ["PLAIN", "LOGIN"]
        assert "535" in str(caught.value) and "BYLINE_SMTP_PASSWORD" in str(caught.value)
        assert "wrong-password" not in str(caught.value)
        assert caught.value.summary.sent == []
        assert handler.messages == []
        assert [x for x in ledger(root) if x["state"] in ("sent", "pending")] == []
        # The right password then sends to everyone.
        summary = run(root, server.port, settings=settings)
    assert handler.received() == {a: 1 for a in GOOD}
    assert summary.complete


def test_fully_sent_issue_is_refused_unless_forced(tmp_path):
    root = kit.project(tmp_path, ["a@example.com", "b@example.com"])
    handler = kit.Recorder()
    with kit.Server(handler) as server:
        run(root, server.port)
        with pytest.raises(AlreadySentError, match="force"):
            run(root, server.port)
        plan = plan_send(
            root / kit.MANIFEST,
            kit.settings(server.port),
            kit.ENV,
            SendOptions(force=True),
            base_dir=root,
        )
        assert "AGAIN" in confirmation_text(plan)
        summary = run(root, server.port, force=True)
    assert summary.round == 2 and len(summary.sent) == 2
    assert handler.received() == {"a@example.com": 2, "b@example.com": 2}


def test_live_send_needs_confirmation(tmp_path):
    root = kit.project(tmp_path, ["a@example.com", "b@example.com"])
    handler = kit.Recorder()
    asked = []
    with kit.Server(handler) as server:
        with pytest.raises(ConfirmationRequired) as caught:
            run(root, server.port, yes=False)
        text = caught.value.text
        assert "#7" in text and "café edition" in text and "2 recipient(s)" in text
        assert f"127.0.0.1:{server.port}" in text
        with pytest.raises(SendCancelled):
            run(root, server.port, yes=False, confirm=lambda t: asked.append(t) or False)
        assert (
            handler.messages == []
            and not (root / "data" / "send-ledger.jsonl").exists()
            or (ledger(root) == [])
        )
        summary = run(root, server.port, yes=False, confirm=lambda t: True)
    assert asked and len(summary.sent) == 2


def test_rate_limit_spaces_messages(tmp_path):
    root = kit.project(tmp_path, [f"r{i}@example.com" for i in range(5)])
    handler = kit.Recorder()
    sleeps = Sleeps()
    now = [100.0]

    def clock():
        return now[0]

    def sleep(seconds):
        sleeps.append(seconds)
        now[0] += seconds

    with kit.Server(handler) as server:
        settings = kit.settings(server.port, BYLINE_SEND_RATE=4)
        run(root, server.port, settings=settings, sleep=sleep, clock=clock)
    assert sleeps == [0.25] * 4
    assert sum(handler.received().values()) == 5


def test_progress_goes_to_stderr_stream(tmp_path):
    import io

    root = kit.project(tmp_path, [f"r{i}@example.com" for i in range(3)])
    stream = io.StringIO()
    with kit.Server(kit.Recorder()) as server:
        run(root, server.port, progress=True, progress_stream=stream)
    out = stream.getvalue()
    assert "3/3" in out and "sent 3" in out and "left" in out


def test_ledger_lines_are_json_with_no_secret(tmp_path):
    root = kit.project(tmp_path, ["a@example.com"])
    with kit.Server(kit.Recorder()) as server:
        run(root, server.port)
    raw = (root / "data" / "send-ledger.jsonl").read_text()
    for line in raw.splitlines():
        record = json.loads(line)
        assert {"time", "issue", "round", "provider", "address", "state"} <= record.keys()
    assert kit.UNSUB_SECRET not in raw and kit.SMTP_PASSWORD not in raw
