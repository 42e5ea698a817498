"""The subscription service as a real process on 127.0.0.1, for the tests to drive over
HTTP (and to kill): ``Service(root, smtp_port)`` runs ``python -m byline.subscriptions``
with the fixture project's settings, a SQLite file under ``root/data`` and the signing key
from sendkit."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from email.message import EmailMessage
from pathlib import Path

import requests
import sendkit as kit

SITE = "https://counter.example.com"


def settings(root: Path, smtp_port: int, service_port: int, **overrides) -> dict:
    values = kit.settings(
        smtp_port,
        SITEURL=SITE,
        BYLINE_NEWSLETTER_NAME="The Counter Weekly",
        BYLINE_SUBSCRIPTIONS_URL=f"http://127.0.0.1:{service_port}",
        BYLINE_SUBSCRIPTIONS_PORT=service_port,
        BYLINE_SUBSCRIPTIONS_DATABASE=str(root / "data" / "subscribers.sqlite3"),
    )
    values.pop("BYLINE_SEND_UNSUBSCRIBE_URL")  # the service's links replace it
    values.update(overrides)
    return values


class Service:
    """``with Service(root, smtp_port) as service:`` a running service; ``service.url``."""

    def __init__(self, root: Path, smtp_port: int, env: dict | None = None, **overrides) -> None:
        self.root = root
        self.port = int(overrides.pop("port", 0) or kit.free_port())
        self.settings = settings(root, smtp_port, self.port, **overrides)
        self.url = f"http://127.0.0.1:{self.port}"
        self.database = f"sqlite:///{root / 'data' / 'subscribers.sqlite3'}"
        self.env = {**os.environ, **kit.ENV, **(env or {})}
        self.process: subprocess.Popen | None = None
        self.log = root / f"service-{self.port}.log"

    def start(self) -> Service:
        path = self.root / "service-settings.json"
        path.write_text(json.dumps(self.settings), encoding="utf-8")
        command = [sys.executable, "-m", "byline.subscriptions", "--settings", str(path)]
        command += ["--base-dir", str(self.root)]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, env=self.env, stdout=log, stderr=log)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the service stopped: {self.log.read_text()}")
            try:
                if requests.get(f"{self.url}/health", timeout=1).ok:
                    return self
            except requests.ConnectionError:
                time.sleep(0.1)
        raise AssertionError(f"the service did not start: {self.log.read_text()}")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()

    def __enter__(self) -> Service:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def sign_up(self, email: str, headers: dict | None = None, **fields) -> requests.Response:
        data = {"email": email, "page": f"{SITE}/some-column/", **fields}
        return requests.post(
            f"{self.url}/subscribe", data=data, headers=headers, allow_redirects=False, timeout=30
        )


def links(message: EmailMessage) -> list[str]:
    text = message.get_body(("plain",)).get_content()
    return re.findall(r"https?://\S+", text)


def confirmation_for(handler: kit.Recorder, address: str, timeout: float = 20) -> EmailMessage:
    """The newest confirmation email the SMTP server got for ``address``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [
            m
            for m in handler.parsed()
            if m["To"].addresses[0].addr_spec.lower() == address.lower()
            and str(m["Subject"]).startswith("Confirm")
        ]
        if found:
            return found[-1]
        time.sleep(0.05)
    raise AssertionError(f"no confirmation email for {address}")
