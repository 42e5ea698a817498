"""Messages per second of a live SMTP send, ledger on, to a local aiosmtpd server.

Sends the fixture issue (tests/fixtures/send) to 10,000 synthetic subscribers through
``send_issue`` exactly as ``invoke newsletter.send`` does: one reused connection, one
transaction in flight, a pending and a sent ledger line per recipient, each fsynced, and
no rate limit. The server (aiosmtpd on 127.0.0.1, in this process's background thread)
only counts what it accepts. Goal: >= 100 messages per second.

    .venv/bin/python benchmarks/send_smtp.py [--count 10000]
"""

from __future__ import annotations

import argparse
import shutil
import socket
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from aiosmtpd.controller import Controller  # noqa: E402
from byline.sending import read_records, send_issue  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "send"


class Counting:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += len(envelope.rcpt_tos)
        return "250 OK"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        shutil.copytree(FIXTURE / "output", root / "output")
        (root / "data").mkdir()
        rows = "".join(
            f"reader{i:05d}@example.com,Reader {i},subscribed\n" for i in range(args.count)
        )
        (root / "data" / "subscribers.csv").write_text("email,name,status\n" + rows)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        handler = Counting()
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        settings = {
            "OUTPUT_PATH": "output",
            "BYLINE_SEND_FROM_ADDRESS": "news@example.com",
            "BYLINE_SEND_UNSUBSCRIBE_URL": "https://example.com/u?email={email}&token={token}",
            "BYLINE_SEND_SMTP_HOST": "127.0.0.1",
            "BYLINE_SEND_SMTP_PORT": port,
            "BYLINE_SEND_SMTP_SECURITY": "none",
            "BYLINE_SEND_RATE": 0,
        }
        environ = {"BYLINE_UNSUBSCRIBE_SECRET": "benchmark-secret"}
        start = time.perf_counter()
        try:
            summary = send_issue(
                root / "output/newsletter/7/manifest.json",
                settings,
                environ,
                base_dir=root,
                yes=True,
            )
        finally:
            elapsed = time.perf_counter() - start
            controller.stop()
        lines = read_records(root / "data" / "send-ledger.jsonl")
    assert handler.count == args.count == len(summary.sent), (handler.count, len(summary.sent))
    assert len(lines) == 2 * args.count + 1
    print(f"sent {len(summary.sent)} messages in {elapsed:.1f} s, ledger lines {len(lines)}")
    print(f"{len(summary.sent) / elapsed:.0f} messages per second (goal >= 100)")


if __name__ == "__main__":
    main()
