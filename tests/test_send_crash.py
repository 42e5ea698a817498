"""A send process killed with SIGKILL mid-list, then resumed: nobody gets the issue twice.

The sender runs as a real subprocess (``python -m byline.sending``) against a real aiosmtpd
server; the test kills it with SIGKILL (no cleanup, no flush) and resumes in-process.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from byline.sending import read_records, send_issue
from conftest import fixture_module

FIXTURES = Path(__file__).parent / "fixtures" / "send"


kit = fixture_module("send_test_kit", FIXTURES / "sendkit.py")


def start_sender(root: Path, settings: dict) -> subprocess.Popen:
    (root / "settings.json").write_text(json.dumps(settings))
    env = {**os.environ, **kit.ENV}
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
        base_dir=root,
        yes=True,
        progress=False,
        **kw,
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
