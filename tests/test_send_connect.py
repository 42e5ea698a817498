"""Connecting to the SMTP server: each way it can fail stops the send with the setting to fix.

Real sockets on 127.0.0.1: aiosmtpd where a server is needed, a bare listener for a server
that greets with a refusal, and a port nothing listens on.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sendkit as kit
from byline.sending import AuthenticationFailed, SendOptions, SendStopped, read_records, send_issue


def run(root: Path, port: int, sleeps: list[float] | None = None, **settings):
    """A live send; the back-off between connection attempts goes into ``sleeps``."""
    sleeps = [] if sleeps is None else sleeps
    return send_issue(
        root / kit.MANIFEST,
        kit.settings(port, **settings),
        kit.ENV,
        SendOptions(yes=True, progress=False, sleep=sleeps.append),
        base_dir=root,
    )


def sent_or_pending(root: Path) -> list[dict]:
    path = root / "data" / "send-ledger.jsonl"
    records = read_records(path) if path.exists() else []
    return [r for r in records if r["state"] in ("sent", "pending")]


@contextmanager
def greeting(line: bytes) -> Iterator[int]:
    """A server that answers every connection with ``line`` and hangs up; yields its port."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.05)
    done = threading.Event()

    def serve() -> None:
        while not done.is_set():
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            with client:
                client.sendall(line)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        done.set()
        thread.join(5)
        listener.close()


def test_no_server_on_the_port_says_it_cannot_connect(tmp_path):
    root = kit.project(tmp_path)
    port = kit.free_port()
    sleeps: list[float] = []
    with pytest.raises(SendStopped) as caught:
        run(root, port, sleeps)
    assert str(caught.value).startswith(f"cannot connect to 127.0.0.1:{port}:")
    assert "port 465" not in str(caught.value)
    assert caught.value.summary.sent == [] and sent_or_pending(root) == []
    assert sleeps == [0.5, 1.0, 2.0]  # a server coming back gets three more chances


def test_port_465_without_implicit_tls_names_the_setting(tmp_path):
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", 465)) == 0:
            pytest.skip("something listens on port 465 of this machine")
    root = kit.project(tmp_path)
    with pytest.raises(SendStopped) as caught:
        run(root, 465, BYLINE_SEND_SMTP_SECURITY="starttls")
    assert "cannot connect to 127.0.0.1:465" in str(caught.value)
    assert "port 465 is implicit TLS" in str(caught.value)
    assert 'set BYLINE_SEND_SMTP_SECURITY = "tls"' in str(caught.value)


def test_a_server_without_auth_refuses_the_login_by_name(tmp_path):
    root = kit.project(tmp_path)
    handler = kit.Recorder()
    with kit.Server(handler) as server:  # no AUTH offered
        with pytest.raises(AuthenticationFailed) as caught:
            run(root, server.port, BYLINE_SEND_SMTP_USERNAME="news")
    assert f"127.0.0.1:{server.port} does not offer AUTH on this connection" in str(caught.value)
    assert "BYLINE_SEND_SMTP_SECURITY" in str(caught.value)
    assert handler.messages == [] and sent_or_pending(root) == []


def test_a_busy_server_stops_the_send_with_its_own_words(tmp_path):
    root = kit.project(tmp_path)
    with greeting(b"421 4.3.2 Too busy, come back later\r\n") as port:
        with pytest.raises(SendStopped) as caught:
            run(root, port)
    assert f"127.0.0.1:{port} answered 421 4.3.2 Too busy, come back later" in str(caught.value)
    assert sent_or_pending(root) == []


def test_a_server_that_wants_a_login_first_is_an_authentication_problem(tmp_path):
    root = kit.project(tmp_path)
    with greeting(b"530 5.7.0 Authentication required\r\n") as port:
        with pytest.raises(AuthenticationFailed) as caught:
            run(root, port)
    assert f"127.0.0.1:{port}: 530 5.7.0 Authentication required" in str(caught.value)
