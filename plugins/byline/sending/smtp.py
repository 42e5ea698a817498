"""SMTP delivery through smtplib: one connection reused for the whole list, one transaction
in flight at a time, and an honest answer about every message.

The transaction is driven command by command (MAIL, RCPT, DATA, the message, the final
reply) rather than through ``sendmail`` because the difference matters for "exactly once":
a connection lost *before* the final dot is sent means the message was certainly not
accepted (safe to retry), while a connection lost *after* it, while waiting for the reply,
means nobody knows (``UncertainDelivery``: never retried blindly).

Reply codes: 4xx is temporary (retried with back-off); 5xx at RCPT or after the data is a
permanent refusal of that recipient; 5xx at MAIL FROM refuses the sender, so the run stops;
530/534/535/538 are authentication problems and stop the run at once; 421 closes the
connection (reconnect and retry).

TLS is what every provider uses: STARTTLS (port 587) or implicit TLS (port 465), with the
certificate checked against the system's trusted authorities and the host name. A relay
with a private authority is trusted the standard OpenSSL way, through the ``SSL_CERT_FILE``
(or ``SSL_CERT_DIR``) environment variable. A refused certificate stops the run before
anything is sent, with a message naming the host, the port and the reason.
"""

from __future__ import annotations

import contextlib
import re
import smtplib
import ssl
from typing import TYPE_CHECKING

from .config import scrub
from .errors import (
    ConnectionFailure,
    PermanentFailure,
    ProviderStop,
    SendConfigError,
    TemporaryFailure,
    UncertainDelivery,
)
from .message import as_bytes
from .provider import Outgoing, Provider

if TYPE_CHECKING:
    from .config import SendConfig

AUTH_CODES = frozenset({530, 534, 535, 538})
_DOTS = re.compile(rb"(?m)^\.")

# OpenSSL verify codes worth a specific hint (X509_V_ERR_*).
_UNTRUSTED = frozenset({2, 18, 19, 20, 21, 27})  # unknown or self-signed authority
_EXPIRED = frozenset({9, 10})  # not yet valid, expired
_WRONG_HOST = frozenset({62, 64})  # host name or IP address mismatch


def tls_context() -> ssl.SSLContext:
    """Certificates checked against the trusted authorities, host names checked.

    ``ssl.create_default_context`` loads the system's authorities, or the ones named by
    ``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` when set: the standard way to trust a mail relay
    signed by a private authority, without turning checks off.
    """
    return ssl.create_default_context()


def refused_certificate(where: str, host: str, error: ssl.SSLCertVerificationError) -> str:
    """Why the server's certificate was refused, and what to do about it, in plain words."""
    reason = error.verify_message or error.reason or str(error)
    code = error.verify_code
    if code in _WRONG_HOST:
        hint = (
            f"the certificate is not for {host}: set BYLINE_SEND_SMTP_HOST to the host name "
            "your provider gives (the one on its certificate), not an address or alias"
        )
    elif code in _EXPIRED:
        hint = "the certificate is out of date: tell whoever runs the mail server"
    elif code in _UNTRUSTED:
        hint = (
            "it is not signed by an authority this machine trusts: check BYLINE_SEND_SMTP_HOST; "
            "if the server really uses a private authority, point the SSL_CERT_FILE "
            "environment variable at that authority's certificate file"
        )
    else:
        hint = "check BYLINE_SEND_SMTP_HOST and the server's certificate"
    return (
        f"the TLS certificate of {where} was refused ({reason}); {hint}. "
        "Nothing was sent; certificate checks are never turned off"
    )


def _text(response: bytes | str) -> str:
    if isinstance(response, bytes):
        response = response.decode("utf-8", "replace")
    return " ".join(response.split())


class SmtpProvider(Provider):
    name = "smtp"
    audience = "list"

    def __init__(self, config: SendConfig) -> None:
        super().__init__(config)
        self._conn: smtplib.SMTP | None = None

    def describe(self) -> str:
        c = self.config
        return f"SMTP {c.smtp_host}:{c.smtp_port} ({c.smtp_security})"

    def check(self, *, live: bool) -> None:
        c = self.config
        if not c.smtp_host:
            raise SendConfigError("BYLINE_SEND_SMTP_HOST is not set (e.g. smtp.example.com)")
        if c.smtp_username and not c.smtp_password:
            raise SendConfigError(
                f"environment variable {c.smtp_password_env} is not set: it holds the SMTP "
                f"password for {c.smtp_username} (BYLINE_SEND_SMTP_PASSWORD_ENV names it)"
            )

    def _say(self, text: str) -> str:
        return scrub(text, self.config.secrets())

    # --- connection

    def open(self) -> None:
        if self._conn is None:
            self._connect()

    def _connect(self) -> None:
        """Connect, greet, secure and log in; any failure closes the half-open connection
        and becomes a ProviderStop (fix a setting) or a ConnectionFailure (try later)."""
        c = self.config
        where = f"{c.smtp_host}:{c.smtp_port}"
        conn: smtplib.SMTP | None = None
        try:
            conn = self._dial()
            self._handshake(conn, where)
        except smtplib.SMTPAuthenticationError as error:
            self._discard(conn)
            raise ProviderStop(
                f"{where} refused the login for {c.smtp_username!r} "
                f"({error.smtp_code} {self._say(_text(error.smtp_error))}); check "
                f"BYLINE_SEND_SMTP_USERNAME and {c.smtp_password_env}",
                error.smtp_code,
                auth=True,
            ) from None
        except smtplib.SMTPNotSupportedError:
            self._discard(conn)
            raise ProviderStop(
                f"{where} does not offer AUTH on this connection; check "
                "BYLINE_SEND_SMTP_SECURITY (most servers only allow login after STARTTLS)",
                auth=True,
            ) from None
        except ssl.SSLCertVerificationError as error:
            self._discard(conn)
            raise ProviderStop(refused_certificate(where, c.smtp_host, error)) from None
        except ssl.SSLError as error:
            self._discard(conn)
            raise ProviderStop(
                f"TLS with {where} failed ({error.reason or error}); check "
                'BYLINE_SEND_SMTP_SECURITY and BYLINE_SEND_SMTP_PORT: "tls" is implicit TLS '
                '(usually port 465), "starttls" upgrades a plain connection (usually 587)'
            ) from None
        except ProviderStop:
            self._discard(conn)
            raise
        except smtplib.SMTPResponseException as error:
            self._discard(conn)
            code, text = error.smtp_code, self._say(_text(error.smtp_error))
            if code in AUTH_CODES:
                raise ProviderStop(f"{where}: {code} {text}", code, auth=True) from None
            raise ConnectionFailure(f"{where} answered {code} {text}", code) from None
        except (OSError, smtplib.SMTPException) as error:
            self._discard(conn)
            raise ConnectionFailure(
                f"cannot connect to {where}: {error}{self._port_hint()}"
            ) from None
        self._conn = conn

    def _dial(self) -> smtplib.SMTP:
        """The TCP connection: TLS from the first byte for "tls", plain for the others."""
        c = self.config
        helo = c.smtp_helo or None
        if c.smtp_security == "tls":
            return smtplib.SMTP_SSL(
                c.smtp_host,
                c.smtp_port,
                local_hostname=helo,
                timeout=c.smtp_timeout,
                context=tls_context(),
            )
        return smtplib.SMTP(c.smtp_host, c.smtp_port, local_hostname=helo, timeout=c.smtp_timeout)

    def _handshake(self, conn: smtplib.SMTP, where: str) -> None:
        """EHLO, the STARTTLS upgrade where asked for (never skipped), then the login."""
        c = self.config
        conn.ehlo()
        if c.smtp_security == "starttls":
            if not conn.has_extn("starttls"):
                raise ProviderStop(
                    f"{where} does not offer STARTTLS; check BYLINE_SEND_SMTP_PORT and "
                    'BYLINE_SEND_SMTP_SECURITY (587 is "starttls", 465 is "tls")'
                )
            conn.starttls(context=tls_context())
            conn.ehlo()
        if c.smtp_username:
            conn.login(c.smtp_username, c.smtp_password or "")

    def _port_hint(self) -> str:
        """Why a connection to port 465 without "tls" hears nothing, and the fix."""
        c = self.config
        if c.smtp_security != "tls" and c.smtp_port == 465:
            return (
                "; port 465 is implicit TLS, where the server says nothing until TLS "
                'starts: set BYLINE_SEND_SMTP_SECURITY = "tls"'
            )
        return ""

    @staticmethod
    def _discard(conn: smtplib.SMTP | None) -> None:
        if conn is not None:
            # closing a broken socket must not mask the cause
            with contextlib.suppress(Exception):
                conn.close()

    def _drop(self) -> None:
        self._discard(self._conn)
        self._conn = None

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):  # a server gone away needs no goodbye
                self._conn.quit()
            self._drop()

    # --- one transaction

    def deliver(self, outgoing: Outgoing) -> str:
        if outgoing.recipient is None or outgoing.message is None:
            raise ValueError("SMTP delivers one message per recipient")
        data = as_bytes(outgoing.message)
        data = _DOTS.sub(b"..", data)
        if not data.endswith(b"\r\n"):
            data += b"\r\n"
        data += b".\r\n"
        reused = self._conn is not None
        try:
            return self._transaction(outgoing.recipient.email, data, outgoing.message_id or "")
        except _Stale:
            if not reused:
                raise TemporaryFailure("the connection closed before MAIL FROM") from None
        # An idle connection the server has since closed: reconnect once, at no cost.
        try:
            return self._transaction(outgoing.recipient.email, data, outgoing.message_id or "")
        except _Stale:
            raise TemporaryFailure("the connection closed before MAIL FROM") from None

    def _transaction(self, address: str, data: bytes, message_id: str) -> str:
        if self._conn is None:
            self._connect()
        conn = self._conn
        assert conn is not None
        stage = "MAIL FROM"
        try:
            code, reply = conn.mail(self.config.from_address)
            if code != 250:
                self._refused(stage, code, reply, address)
            stage = "RCPT TO"
            code, reply = conn.rcpt(address)
            if code not in (250, 251):
                self._refused(stage, code, reply, address)
            stage = "DATA"
            code, reply = conn.docmd("data")
            if code != 354:
                self._refused(stage, code, reply, address)
            stage = "message"
            conn.send(data)
        except (smtplib.SMTPServerDisconnected, OSError) as error:
            self._drop()
            if stage == "MAIL FROM":
                raise _Stale() from None
            raise TemporaryFailure(
                f"connection lost at {stage} (message not complete, so not delivered): {error}"
            ) from None
        try:
            code, reply = conn.getreply()
        except (smtplib.SMTPServerDisconnected, OSError) as error:
            self._drop()
            raise UncertainDelivery(
                f"connection lost after the message was sent, before the server answered "
                f"({error}): it may or may not have been accepted"
            ) from None
        if code != 250:
            self._refused("end of data", code, reply, address)
        return message_id

    def _refused(self, stage: str, code: int, reply: bytes, address: str) -> None:
        text = f"{code} {self._say(_text(reply))} (at {stage})"
        if code == 421 or code == -1:
            self._drop()
            raise TemporaryFailure(f"server closing the connection: {text}", code)
        try:
            assert self._conn is not None
            self._conn.rset()
        except (smtplib.SMTPException, OSError, AssertionError):
            self._drop()
        if code in AUTH_CODES:
            raise ProviderStop(f"the server wants authentication: {text}", code, auth=True)
        if 400 <= code < 500:
            raise TemporaryFailure(text, code)
        if 500 <= code < 600:
            if stage == "MAIL FROM":
                raise ProviderStop(
                    f"the server refused the sender {self.config.from_address}: {text}", code
                )
            raise PermanentFailure(text, code)
        raise TemporaryFailure(f"unexpected reply {text}", code)


class _Stale(Exception):
    """The reused connection was already closed when MAIL FROM was sent."""
