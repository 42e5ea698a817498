"""Safety rails: dry runs, test copies, secrets that never leak, and bad input.

The secret test sets recognisable values for the SMTP password, the Buttondown key and the
unsubscribe secret, runs dry, live, failing and test sends, then searches every file the
project folder holds (output, ledger, .eml files), the captured logs and the console.
"""

from __future__ import annotations

import logging
from email import message_from_bytes, policy
from pathlib import Path

import pytest
import sendkit as kit
from byline.sending import (
    AuthenticationFailed,
    LedgerError,
    ManifestError,
    SendConfigError,
    SendError,
    SendOptions,
    SubscriberFileError,
    config_from_settings,
    read_records,
    send_issue,
)
from byline.sending.ledger import Ledger

FIXTURES = Path(__file__).parent / "fixtures" / "send"


LEDGER = "data/send-ledger.jsonl"


@pytest.fixture(scope="session")
def httpserver_listen_address():
    return ("127.0.0.1", 0)


def run(root: Path, settings: dict, env: dict | None = None, **kw):
    kw.setdefault("progress", False)
    env = kit.ENV if env is None else env
    return send_issue(root / kit.MANIFEST, settings, env, SendOptions(**kw), base_dir=root)


def test_dry_run_writes_eml_files_and_sends_nothing(tmp_path):
    root = kit.project(tmp_path)
    settings = kit.settings(1, BYLINE_SEND_SMTP_HOST="")  # no server needed
    summary = run(root, settings, dry_run=True)
    folder = root / "data" / "send-dry-run" / "2026-07-03-7"
    assert sorted(p.name for p in folder.iterdir()) == [
        "00001-ada@example.com.eml",
        "00002-Bob@Example.org.eml",
        "00003-dan@example.com.eml",
        "00004-grace@example.co.uk.eml",
    ]
    message = message_from_bytes(
        (folder / "00003-dan@example.com.eml").read_bytes(), policy=policy.default
    )
    assert message["To"].addresses[0].display_name == "Dan Ünïcode-Person"
    assert message["List-Unsubscribe"].startswith("<https://counter.example.com/unsubscribe?")
    assert not (root / LEDGER).exists()  # a dry run records nothing
    assert "written (dry run) 4" in summary.lines()[0]


def test_test_copy_goes_to_one_address_and_is_not_recorded(tmp_path):
    root = kit.project(tmp_path)
    handler = kit.Recorder()
    with kit.Server(handler) as server:
        summary = run(root, kit.settings(server.port), test_to="me@example.com")
    assert handler.received() == {"me@example.com": 1}
    assert summary.mode == "test" and summary.sent == ["me@example.com"]
    assert read_records(root / LEDGER) == []
    assert "not recorded as a subscriber send" in "\n".join(summary.lines())


def test_secrets_never_leak(tmp_path, httpserver, caplog, capsys):
    caplog.set_level(logging.DEBUG)
    root = kit.project(tmp_path)
    env = {**kit.ENV, "BUTTONDOWN_API_KEY": kit.API_KEY}
    secrets = [kit.SMTP_PASSWORD, kit.UNSUB_SECRET, kit.API_KEY]
    handler = kit.Recorder()
    with kit.Server(handler, password=kit.SMTP_PASSWORD) as server:
        settings = kit.settings(server.port, BYLINE_SEND_SMTP_USERNAME="news")
        run(root, settings, env, dry_run=True)
        with pytest.raises(AuthenticationFailed) as caught:
            run(root, settings, {**env, "BYLINE_SMTP_PASSWORD": kit.SMTP_PASSWORD + "x"}, yes=True)
        printed = [str(caught.value), *caught.value.summary.lines()]
        summary = run(root, settings, env, yes=True, progress=True)
        printed += summary.lines()
        run(root, settings, env, test_to="me@example.com")
    assert len(handler.messages) == 5
    httpserver.expect_request("/v1/emails", method="POST").respond_with_json(
        {"detail": f"Invalid token {kit.API_KEY}"},
        status=401,  # even if a server echoes it
    )
    bd = {**settings, "BYLINE_SEND_PROVIDER": "buttondown"}
    bd["BYLINE_SEND_BUTTONDOWN_API_URL"] = httpserver.url_for("/v1")
    run(root, bd, env, dry_run=True, force=True)  # force: the ledger says the issue went out
    with pytest.raises(AuthenticationFailed) as caught:
        run(root, bd, env, yes=True, force=True)
    printed.append(str(caught.value))
    config = config_from_settings(settings, env, base_dir=root)
    printed += [repr(config), str(config)]
    out = capsys.readouterr()
    texts = {
        "logs": caplog.text,
        "stdout": out.out,
        "stderr": out.err,
        "printed": "\n".join(printed),
    }
    files = [p for p in root.rglob("*") if p.is_file()]
    assert any(p.suffix == ".eml" for p in files) and (root / LEDGER).exists()
    for path in files:
        texts[str(path)] = path.read_bytes().decode("utf-8", "replace")
    for where, text in texts.items():
        for secret in secrets:
            assert secret not in text, f"{secret} found in {where}"


def test_config_refuses_unsafe_settings(tmp_path):
    with pytest.raises(SendConfigError, match="inside the output folder"):
        config_from_settings({"OUTPUT_PATH": "output", "BYLINE_SEND_LEDGER": "output/l.jsonl"}, {})
    with pytest.raises(SendConfigError, match="only allowed for a server on this machine"):
        config_from_settings(
            {"BYLINE_SEND_SMTP_SECURITY": "none", "BYLINE_SEND_SMTP_HOST": "smtp.example.com"}, {}
        )
    with pytest.raises(SendConfigError, match="https"):
        config_from_settings({"BYLINE_SEND_UNSUBSCRIBE_URL": "http://x.example/u?e={email}"}, {})
    with pytest.raises(SendConfigError, match="unknown setting"):
        config_from_settings({"BYLINE_SEND_RATES": 3}, {})
    with pytest.raises(SendConfigError, match="BYLINE_SEND_PROVIDER"):
        config_from_settings({"BYLINE_SEND_PROVIDER": "carrier-pigeon"}, {})
    config = config_from_settings({"BYLINE_SEND_SMTP_SECURITY": "tls"}, {})
    assert config.smtp_port == 465 and config.rate == 10


def test_missing_secrets_are_named(tmp_path):
    root = kit.project(tmp_path)
    with pytest.raises(SendConfigError, match="BYLINE_UNSUBSCRIBE_SECRET"):
        run(root, kit.settings(1), {}, dry_run=True)
    settings = kit.settings(1, BYLINE_SEND_SMTP_USERNAME="news")
    with pytest.raises(SendConfigError, match="BYLINE_SMTP_PASSWORD"):
        run(root, settings, {"BYLINE_UNSUBSCRIBE_SECRET": "s"}, yes=True)


def test_bad_exports_and_lists_are_refused(tmp_path):
    root = kit.project(tmp_path)
    text = root / "output/newsletter/7/email.txt"
    text.write_text(text.read_text() + "tampered\n")
    with pytest.raises(ManifestError, match="content_hash"):
        run(root, kit.settings(1), dry_run=True)
    root2 = kit.project(tmp_path / "two", "address,name\nx@example.com,X\n")
    with pytest.raises(SubscriberFileError, match="'email'"):
        run(root2, kit.settings(1), dry_run=True)
    with pytest.raises(SendError):
        run(root2, kit.settings(1), dry_run=True, test_to="me@example.com")


def test_torn_ledger_line_and_a_second_sender(tmp_path):
    root = kit.project(tmp_path, ["a@example.com", "b@example.com"])
    handler = kit.Recorder()
    with kit.Server(handler) as server:
        settings = kit.settings(server.port)
        (root / "data").mkdir(exist_ok=True)
        (root / LEDGER).write_text(
            '{"time":"t","issue":"2026-07-03-7","round":1,"provider":"smtp",'
            '"address":"a@example.com","state":"sent","message_id":"<m@x>"}\n{"time":"t","iss'
        )
        with Ledger(root / LEDGER, provider="smtp"):  # another send holds the lock
            with pytest.raises(LedgerError, match="another send is running"):
                run(root, settings, yes=True)
        summary = run(root, settings, yes=True)
    assert summary.sent == ["b@example.com"] and summary.already_sent == 1
    assert handler.received() == {"b@example.com": 1}
    assert read_records(root / LEDGER)[-1]["state"] == "complete"
