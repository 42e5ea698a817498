"""How many requests a second the subscription service answers on one core.

Starts the real service (``python -m byline.subscriptions``, uvicorn, one process) pinned
to core 0 with a SQLite file in a temporary folder, and drives it over HTTP on 127.0.0.1
from client threads pinned to the other cores (a sleeping mail server takes the
confirmations: the queue's thread runs inside the service, as in production). Prints
requests a second for sign-ups (``POST /subscribe``: a write, fsynced, per request),
one-click unsubscribes (``POST /unsubscribe``: an HMAC check and a write) and the
unsubscribe page (``GET``: an HMAC check, no database), and the median and 95th
percentile latencies.

    .venv/bin/python benchmarks/subscriptions.py [--requests 3000] [--clients 8]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))
SECRET = "benchmark-secret"


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(folder: Path, port: int) -> subprocess.Popen:
    settings = {
        "SITEURL": "https://site.example",
        "BYLINE_SUBSCRIPTIONS_URL": f"http://127.0.0.1:{port}",
        "BYLINE_SUBSCRIPTIONS_PORT": port,
        "BYLINE_SUBSCRIPTIONS_DATABASE": str(folder / "readers.sqlite3"),
        "BYLINE_SUBSCRIPTIONS_CLIENT_LIMIT": 10_000_000,
        "BYLINE_SEND_FROM_ADDRESS": "news@site.example",
        "BYLINE_SEND_SMTP_HOST": "127.0.0.1",
        "BYLINE_SEND_SMTP_PORT": free_port(),  # nobody listens: confirmations wait, cheaply
        "BYLINE_SEND_SMTP_SECURITY": "none",
    }
    path = folder / "settings.json"
    path.write_text(json.dumps(settings))
    env = {**os.environ, "BYLINE_UNSUBSCRIBE_SECRET": SECRET}
    command = [sys.executable, "-m", "byline.subscriptions", "--settings", str(path)]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(process.pid, {0})
    for _ in range(300):
        try:
            if requests.get(f"http://127.0.0.1:{port}/health", timeout=1).ok:
                return process
        except requests.ConnectionError:
            time.sleep(0.05)
    raise SystemExit("the service did not start")


def drive(label: str, calls: list, clients: int) -> None:
    local = threading.local()
    latencies: list[float] = []

    def one(call) -> None:
        session = getattr(local, "session", None) or requests.Session()
        local.session = session
        started = time.perf_counter()
        answer = call(session)
        latencies.append(time.perf_counter() - started)
        if answer.status_code >= 400:
            raise SystemExit(f"{label}: {answer.status_code}")

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(one, calls))
    elapsed = time.perf_counter() - started
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95)]
    print(
        f"{label:<28} {len(calls) / elapsed:>8.0f} req/s   median "
        f"{statistics.median(latencies) * 1000:.1f} ms   p95 {p95 * 1000:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity") and len(os.sched_getaffinity(0)) > 1:
        os.sched_setaffinity(0, os.sched_getaffinity(0) - {0})  # clients off the service's core
    from byline.sending.message import reader_url
    from byline.subscriptions.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        service = start(folder, port)
        try:
            n = args.requests
            print(f"{n} requests each, {args.clients} clients, the service on one core")
            drive(
                "sign-up (POST /subscribe)",
                [
                    (
                        lambda s, i=i: s.post(
                            f"{base}/subscribe",
                            data={"email": f"r{i}@example.com"},
                            allow_redirects=False,
                        )
                    )
                    for i in range(n)
                ],
                args.clients,
            )
            store = Store(f"sqlite:///{folder / 'readers.sqlite3'}")
            with store.engine.connect() as db:
                ids = [row[0] for row in db.exec_driver_sql("SELECT id FROM readers")]
            urls = [reader_url(base, SECRET, reader) for reader in ids]
            drive("unsubscribe page (GET)", [(lambda s, u=u: s.get(u)) for u in urls], args.clients)
            drive(
                "one-click (POST /unsubscribe)",
                [(lambda s, u=u: s.post(u, data="List-Unsubscribe=One-Click")) for u in urls],
                args.clients,
            )
        finally:
            service.terminate()
            service.wait(10)


if __name__ == "__main__":
    main()
