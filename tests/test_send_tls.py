"""SMTP over TLS, as every real provider uses it, against a real aiosmtpd with a real certificate.

A test certificate authority (trustme) signs the servers' certificates; the sender trusts it
the standard OpenSSL way, through SSL_CERT_FILE, never by turning checks off. STARTTLS
(587-style: plain, then upgraded; the server refuses mail and logins before TLS) and
implicit TLS (465-style) each deliver real messages; a certificate from an unknown
authority or for another host stops the send before anything is sent, naming the host,
the port and the reason.
"""

from __future__ import annotations

import os
import shutil
import ssl
import subprocess
import sys
import warnings
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sendkit as kit
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from byline.sending import SendOptions, SendStopped, read_records, send_issue
from conftest import ROOT

FIXTURES = Path(__file__).parent / "fixtures" / "send"

GOOD = ["ada@example.com", "bob@example.org", "dan@example.com", "grace@example.co.uk"]
INVOKE = Path(sys.executable).parent / "invoke"
# The fixture issue links to a reserved example domain: the documented override lets a
# deliberate non-public URL through (these tests are about TLS, not about links).
ENV = {**kit.ENV, "BYLINE_ALLOW_NON_PUBLIC_URL": "1"}


@pytest.fixture(scope="session")
def ca() -> trustme.CA:
    return trustme.CA(organization_name="Byline test authority")


@pytest.fixture(scope="session")
def ca_file(ca, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("ca") / "byline-test-ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return path


@pytest.fixture
def trusted(monkeypatch, ca_file) -> Path:
    """Trust the test authority as a user would trust a relay's private one."""
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))
    return ca_file


class TlsRecorder(kit.Recorder):
    """Keeps, for every accepted message, the TLS version it arrived under."""

    def __init__(self) -> None:
        super().__init__()
        self.tls: list[str | None] = []

    async def handle_DATA(self, server, session, envelope):
        tls = server.transport.get_extra_info("ssl_object")
        self.tls.append(tls.version() if tls is not None else None)
        return await super().handle_DATA(server, session, envelope)


class TlsServer:
    """aiosmtpd on 127.0.0.1 with ``certificate``: STARTTLS required, or implicit TLS."""

    def __init__(self, handler, certificate: trustme.LeafCert, *, implicit: bool, login=None):
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        certificate.configure_cert(context)
        self.port = kit.free_port()
        self.logins: list[tuple[str, bool]] = []
        options: dict = {"hostname": "127.0.0.1", "port": self.port}
        if implicit:
            options["ssl_context"] = context
        else:  # like port 587: MAIL and AUTH are refused until STARTTLS
            options.update(tls_context=context, require_starttls=True)
        if login is not None:

            def authenticator(server, session, envelope, mechanism, auth_data):
                given = (auth_data.login.decode(), auth_data.password.decode())
                encrypted = server.transport.get_extra_info("ssl_object") is not None
                self.logins.append((given[0], encrypted))
                return AuthResult(success=given == login, handled=False)

            # aiosmtpd only sees STARTTLS as TLS; on implicit TLS the check is ours, above.
            options.update(authenticator=authenticator, auth_require_tls=not implicit)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.controller = Controller(handler, **options)

    def __enter__(self) -> TlsServer:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()


def send(root: Path, port: int, security: str, **settings):
    values = kit.settings(port, BYLINE_SEND_SMTP_SECURITY=security, **settings)
    return send_issue(
        root / kit.MANIFEST, values, ENV, SendOptions(yes=True, progress=False), base_dir=root
    )


def ledger_states(root: Path) -> list[str]:
    path = root / "data" / "send-ledger.jsonl"
    return [line["state"] for line in read_records(path)] if path.exists() else []


@pytest.mark.parametrize("security, implicit", [("starttls", False), ("tls", True)])
def test_each_mode_delivers_every_message_over_tls(tmp_path, ca, trusted, security, implicit):
    root = kit.project(tmp_path)
    handler = TlsRecorder()
    certificate = ca.issue_cert("127.0.0.1", "localhost")
    with TlsServer(handler, certificate, implicit=implicit, login=("news", kit.SMTP_PASSWORD)) as s:
        summary = send(root, s.port, security, BYLINE_SEND_SMTP_USERNAME="news")
    assert handler.received() == {address: 1 for address in GOOD}
    assert summary.complete and not summary.failed
    assert all(version in ("TLSv1.2", "TLSv1.3") for version in handler.tls), handler.tls
    assert len(handler.tls) == len(GOOD)
    assert s.logins == [("news", True)]  # one login, inside TLS
    for message in handler.parsed():
        assert "café edition" in str(message["Subject"])
    assert ledger_states(root).count("sent") == len(GOOD)


@pytest.mark.parametrize(
    "security, implicit", [("starttls", False), ("tls", True)], ids=["starttls", "implicit"]
)
@pytest.mark.parametrize(
    "problem, reason, hint",
    [
        ("unknown-authority", "unable to get local issuer certificate", "SSL_CERT_FILE"),
        ("other-host", "mismatch, certificate is not valid for", "BYLINE_SEND_SMTP_HOST"),
        ("expired", "certificate has expired", "out of date"),
    ],
    ids=["unknown-authority", "other-host", "expired"],
)
def test_a_refused_certificate_stops_before_anything_is_sent(
    tmp_path, ca, trusted, security, implicit, problem, reason, hint
):
    root = kit.project(tmp_path)
    handler = TlsRecorder()
    if problem == "unknown-authority":  # e.g. a hijacked connection, or a typo'd host
        certificate = trustme.CA().issue_cert("127.0.0.1")
    elif problem == "other-host":  # signed by a trusted authority, but for someone else
        certificate = ca.issue_cert("mail.provider.test")
    else:
        last_year = datetime.now(UTC) - timedelta(days=365)
        certificate = ca.issue_cert(
            "127.0.0.1", not_before=last_year, not_after=last_year + timedelta(days=90)
        )
    with TlsServer(handler, certificate, implicit=implicit) as server:
        with pytest.raises(SendStopped) as caught:
            send(root, server.port, security, BYLINE_SEND_SMTP_USERNAME="news")
    message = str(caught.value)
    assert f"127.0.0.1:{server.port}" in message
    assert "certificate" in message and "refused" in message
    assert reason in message and hint in message
    assert kit.SMTP_PASSWORD not in message
    assert handler.messages == [] and handler.tls == []
    assert caught.value.summary.sent == []
    assert "sent" not in ledger_states(root) and "pending" not in ledger_states(root)


def test_a_server_without_starttls_is_refused_not_used_in_the_clear(tmp_path, trusted):
    root = kit.project(tmp_path)
    handler = kit.Recorder()
    with kit.Server(handler) as server:  # plain SMTP only
        with pytest.raises(SendStopped, match="does not offer STARTTLS"):
            send(root, server.port, "starttls")
    assert handler.messages == []


def test_implicit_tls_against_a_plain_port_says_which_setting(tmp_path, trusted):
    root = kit.project(tmp_path)
    handler = kit.Recorder()
    with kit.Server(handler) as server:  # a 587-style port, asked for implicit TLS
        with pytest.raises(SendStopped) as caught:
            send(root, server.port, "tls")
    assert f"127.0.0.1:{server.port}" in str(caught.value)
    assert "BYLINE_SEND_SMTP_SECURITY" in str(caught.value)
    assert handler.messages == []


# --- as the user runs it ----------------------------------------------------------------


def test_invoke_newsletter_send_over_tls_exit_codes(tmp_path, ca, ca_file):
    project = tmp_path / "project"
    project.mkdir()
    for name in ("tasks.py", "pelicanconf.py", "publishconf.py"):
        shutil.copy(ROOT / name, project / name)
    for name in ("theme", "plugins"):
        os.symlink(ROOT / name, project / name)
    (project / "content").mkdir()
    shutil.copytree(FIXTURES / "output", project / "public")  # the production build's folder
    (project / "data").mkdir()
    (project / "data" / "subscribers.csv").write_text(
        "email,name,status\nada@example.com,Ada,subscribed\nbob@example.org,Bob,subscribed\n"
    )
    handler = TlsRecorder()
    certificate = ca.issue_cert("127.0.0.1")
    login = ("news@thecounter.example.com", kit.SMTP_PASSWORD)  # pelicanconf.py's user
    with TlsServer(handler, certificate, implicit=True, login=login) as server:
        with open(project / "pelicanconf.py", "a", encoding="utf-8") as conf:
            conf.write(
                f'\nBYLINE_SEND_FROM_ADDRESS = "{kit.FROM}"\n'
                f'BYLINE_SEND_UNSUBSCRIBE_URL = "{kit.UNSUB_URL}"\n'
                'BYLINE_SEND_SMTP_HOST = "127.0.0.1"\n'
                f"BYLINE_SEND_SMTP_PORT = {server.port}\n"
                'BYLINE_SEND_SMTP_SECURITY = "tls"\n'
                "BYLINE_SEND_RATE = 0\n"
            )
        with open(project / "publishconf.py", "a", encoding="utf-8") as conf:
            conf.write('BYLINE_SUBSCRIPTIONS_URL = ""  # this send reads the CSV\n')
        env = {
            "PATH": os.environ["PATH"],
            "HOME": os.environ.get("HOME", "/root"),
            "BYLINE_UNSUBSCRIBE_SECRET": kit.UNSUB_SECRET,
            "BYLINE_SMTP_PASSWORD": kit.SMTP_PASSWORD,
            "BYLINE_ALLOW_NON_PUBLIC_URL": "1",
        }

        def run(extra_env):
            return subprocess.run(
                [str(INVOKE), "newsletter.send", "--issue", "7", "--yes"],
                cwd=project,
                capture_output=True,
                text=True,
                timeout=120,
                env={**env, **extra_env},
                stdin=subprocess.DEVNULL,
            )

        # The machine does not trust the server's authority: refused, nothing sent.
        refused = run({})
        assert refused.returncode != 0
        assert f"127.0.0.1:{server.port}" in refused.stderr
        assert "certificate" in refused.stderr and "refused" in refused.stderr
        assert "Traceback" not in refused.stderr and kit.SMTP_PASSWORD not in refused.stderr
        assert handler.messages == [] and server.logins == []  # no password went out
        ledger = project / "data" / "send-ledger.jsonl"
        assert not ledger.exists() or '"sent"' not in ledger.read_text()

        # Trusted the standard way: delivered, exit 0.
        sent = run({"SSL_CERT_FILE": str(ca_file)})
        assert sent.returncode == 0, sent.stderr
    assert handler.received() == {"ada@example.com": 1, "bob@example.org": 1}
    assert handler.tls and all(handler.tls)
    assert server.logins == [(login[0], True)]
