"""A send process killed with SIGKILL mid-list, then resumed: nobody gets the issue twice.

The sender runs as a real subprocess (``python -m byline.sending``) against a real aiosmtpd
server or a real HTTP server answering as Buttondown; it is killed with SIGKILL (no
cleanup, no flush), either by the test at a moment it waits for or by the sender itself
at an exact ledger line (the test-only seam ``BYLINE_TEST_SEND_KILL_AFTER``), then resumed.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import sendkit as kit
from byline.sending import ExitCode, SendOptions, read_records, send_issue
from byline.sending.ledger import KILL_AFTER_ENV

FIXTURES = Path(__file__).parent / "fixtures" / "send"


@pytest.fixture(scope="session")
def httpserver_listen_address():
    return ("127.0.0.1", 0)


def start_sender(root: Path, settings: dict, **env_extra: str) -> subprocess.Popen:
    (root / "settings.json").write_text(json.dumps(settings))
    env = {**os.environ, **kit.ENV, **env_extra}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "byline.sending",
            str(root / kit.MANIFEST),
            "--settings",
            str(root / "settings.json"),
            "--base-dir",
            str(root),
            "--yes",
            "--no-progress",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=10)
    assert process.returncode == -signal.SIGKILL


def resume(root: Path, port: int, **kw):
    return send_issue(
        root / kit.MANIFEST,
        kit.settings(port),
        kit.ENV,
        SendOptions(yes=True, progress=False, **kw),
        base_dir=root,
    )


def test_killed_while_the_server_holds_the_reply(tmp_path):
    """Killed between hand-over and answer: the one in flight is uncertain, never resent."""
    addresses = [f"r{i:02d}@example.com" for i in range(30)]
    root = kit.project(tmp_path, addresses)
    handler = kit.Recorder()
    handler.data = lambda index, address: kit.HOLD if address == "r12@example.com" else None
    with kit.Server(handler) as server:
        process = start_sender(root, kit.settings(server.port))
        assert handler.held.wait(20), process.stderr.read1().decode() if process.poll() else ""
        kill(process)
        handler.data = None
        summary = resume(root, server.port)
        assert summary.uncertain == ["r12@example.com"]
        assert "r12@example.com" in "\n".join(summary.lines())
        assert not summary.complete
        assert len(summary.sent) == 17  # r13..r29
        received = handler.received()
        assert received == {a: 1 for a in addresses}
        # The ledger shows the crash: r12's last line is still "pending".
        last = {}
        for line in read_records(root / "data" / "send-ledger.jsonl"):
            last[line["address"]] = line["state"]
        assert last["r12@example.com"] == "pending"
        # Running again changes nothing until the user decides.
        assert resume(root, server.port).sent == []
    assert sum(handler.received().values()) == 30


def test_killed_at_an_arbitrary_moment_then_resumed(tmp_path):
    addresses = [f"r{i:02d}@example.com" for i in range(60)]
    root = kit.project(tmp_path, addresses)
    handler = kit.Recorder()
    with kit.Server(handler) as server:
        process = start_sender(root, kit.settings(server.port, BYLINE_SEND_RATE=150))
        handler.wait_for(20)
        kill(process)
        summary = resume(root, server.port)
    received = handler.received()
    assert len(summary.uncertain) <= 1
    for address in addresses:
        if address in summary.uncertain:
            assert received[address] <= 1
        else:
            assert received[address] == 1, address
    assert set(received) <= set(addresses)


def states(root: Path) -> list[tuple[str, str]]:
    return [(r["address"], r["state"]) for r in read_records(root / "data/send-ledger.jsonl")]


def test_smtp_killed_between_a_sent_line_and_the_next_pending(tmp_path):
    addresses = [f"r{i}@example.com" for i in range(6)]
    root = kit.project(tmp_path, addresses)
    handler = kit.Recorder()
    with kit.Server(handler) as server:
        process = start_sender(root, kit.settings(server.port), **{KILL_AFTER_ENV: "sent:3"})
        process.communicate(timeout=60)
        assert process.returncode == -signal.SIGKILL
        assert states(root)[-1] == ("r2@example.com", "sent")  # died right there
        summary = resume(root, server.port)
    assert summary.sent == addresses[3:] and summary.complete
    assert summary.uncertain == [] and summary.already_sent == 3
    assert handler.received() == {a: 1 for a in addresses}
    # what the editor reads: the three delivered before the crash counted, not one line
    head, *rest = summary.lines()
    assert ": sent 3, skipped 3, failed 0 in " in head
    assert "skipped: 3 recipient(s): already sent earlier" in rest


def bd_settings(httpserver) -> dict:
    return {
        "BYLINE_ALLOW_NON_PUBLIC_URL": True,  # the fixture's links are on example.com
        "OUTPUT_PATH": "output",
        "BYLINE_SEND_PROVIDER": "buttondown",
        "BYLINE_SEND_BUTTONDOWN_API_URL": httpserver.url_for("/v1"),
        "BYLINE_SEND_BUTTONDOWN_TIMEOUT": 5,
    }


def test_buttondown_killed_between_sent_and_complete_never_sends_twice(tmp_path, httpserver):
    """The broadcast went out, the process died before "complete": no second PATCH, ever."""
    root = kit.project(tmp_path)
    httpserver.expect_request("/v1/emails", method="POST").respond_with_json(
        {"id": "em_123", "status": "draft"}, status=201
    )
    httpserver.expect_request("/v1/emails/em_123", method="PATCH").respond_with_json(
        {"id": "em_123", "status": "about_to_send"}
    )
    httpserver.expect_request("/v1/emails/em_123", method="GET").respond_with_json(
        {"id": "em_123", "status": "sent"}
    )
    key = {"BUTTONDOWN_API_KEY": kit.API_KEY}
    process = start_sender(root, bd_settings(httpserver), **key, **{KILL_AFTER_ENV: "sent"})
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL
    assert states(root)[-1] == ("@list", "sent")
    assert [r.method for r, _ in httpserver.log] == ["POST", "PATCH"]

    again = start_sender(root, bd_settings(httpserver), **key)
    out, err = again.communicate(timeout=60)
    assert again.returncode == ExitCode.OK, err.decode()
    assert [r.method for r, _ in httpserver.log] == ["POST", "PATCH"]  # nothing more asked
    assert states(root)[-1] == ("", "complete")
    assert "without sending again" in out.decode()
    record = json.loads((root / "data/newsletter/7/sent.json").read_text())
    assert record["provider"] == "buttondown" and record["provider_id"] == "em_123"
    # And from now on the issue is sent, on this machine and any with the record.
    third = start_sender(root, bd_settings(httpserver), **key)
    _, err = third.communicate(timeout=60)
    assert third.returncode == ExitCode.REFUSED and "already sent" in err.decode()
    assert len(httpserver.log) == 2
