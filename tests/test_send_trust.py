"""The sender checks what it sends, and what was sent stays sent.

Real Pelican builds (the local one into output/, the production one into public/), a
real aiosmtpd server on 127.0.0.1 and the real send ledger. Covers: links that are not
public (a local build, the shipped placeholder) refused for a live send but fine for a
dry run or a test copy; the override; an issue the build marked unsendable; names and
subjects with line breaks; a row whose message cannot be built; the frozen copy of a
sent issue and the committed send record that stops a second machine.
"""

from __future__ import annotations

import json
import shutil
from email import message_from_bytes, policy
from pathlib import Path

import pytest
import sendkit as kit
from byline.sending import (
    AlreadySentError,
    AuthenticationFailed,
    ExitCode,
    SendCancelled,
    SendOptions,
    SendRefused,
    read_records,
    send_issue,
)
from byline.sending.exitcodes import for_summary
from conftest import build, write_site

FIXTURES = Path(__file__).parent / "fixtures" / "send"

PUBLIC_SITE = "https://thecounter.news"  # a public-looking name; nothing ever fetches it
POST = """\
Title: Raise your prices before you need to
Date: 2026-01-06 09:00
Author: Maya Okafor
Summary: Price rises, done kindly.

Tell your regulars first.
"""
READERS = ["ada@example.com", "bob@example.org"]


def project(tmp_path: Path, *, local: bool = False, site: str = PUBLIC_SITE, readers=None) -> Path:
    """A project with one post, built as the user builds it, and a subscriber list."""
    root = tmp_path / "site"
    content = write_site(root, {"raise-your-prices.md": POST})
    if local:  # `invoke build`: links to http://127.0.0.1:8000
        build(root / "public", "pelicanconf.py", content=content)
    else:  # `invoke preview`
        build(root / "public", "publishconf.py", content=content, SITEURL=site)
    rows = readers if readers is not None else [f"{a},,subscribed" for a in READERS]
    (root / "data").mkdir(exist_ok=True)
    (root / "data" / "subscribers.csv").write_text(
        "email,name,status\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    return root


def rebuild(root: Path, post: str) -> None:
    (root / "content" / "raise-your-prices.md").write_text(post, encoding="utf-8")
    build(root / "public", "publishconf.py", content=root / "content", SITEURL=PUBLIC_SITE)


def manifest(root: Path) -> Path:
    return root / "public" / "newsletter" / "1" / "manifest.json"


def settings(port: int, **overrides) -> dict:
    values = kit.settings(port, OUTPUT_PATH="public", BYLINE_ALLOW_NON_PUBLIC_URL=False)
    values.update(overrides)
    return values


def send(root: Path, port: int, env: dict | None = None, conf: dict | None = None, **kw):
    kw.setdefault("yes", True)
    kw.setdefault("progress", False)
    return send_issue(
        manifest(root), conf or settings(port), env or kit.ENV, SendOptions(**kw), base_dir=root
    )


def everything_under(folder: Path) -> str:
    return "\n".join(p.read_bytes().decode("utf-8", "replace") for p in folder.rglob("*"))


# --- Item 3: links that readers cannot open never go out


def test_a_local_build_is_refused_naming_the_url_and_the_command(tmp_path):
    root = project(tmp_path, local=True)
    handler = kit.Recorder()
    with kit.Server(handler) as server, pytest.raises(SendRefused) as caught:
        send(root, server.port)
    message = str(caught.value)
    assert "http://127.0.0.1:8000" in message and "loopback" in message
    assert "invoke preview" in message and "public/" in message
    assert "BYLINE_ALLOW_NON_PUBLIC_URL" in message
    assert handler.received() == {}
    assert not (root / "data" / "send-ledger.jsonl").exists()
    assert not (root / "data" / "newsletter").exists()  # nothing frozen either


def test_the_shipped_placeholder_is_refused(tmp_path):
    root = project(tmp_path, site="https://thecounter.example.com")
    with pytest.raises(SendRefused, match="thecounter.example.com.*placeholder"):
        send(root, 1)


def test_a_dry_run_still_works_and_says_the_links_are_not_public(tmp_path):
    root = project(tmp_path, local=True)
    summary = send(root, 1, dry_run=True, yes=False)
    assert len(summary.files) == 2 and all(p.suffix == ".eml" for p in summary.files)
    text = "\n".join(summary.lines())
    assert "LINKS NOT PUBLIC" in text and "http://127.0.0.1:8000" in text
    assert "a live send would be refused" in text and "invoke preview" in text
    assert for_summary(summary) == ExitCode.OK


def test_a_test_copy_goes_out_with_a_loud_warning(tmp_path):
    root = project(tmp_path, local=True)
    handler = kit.Recorder()
    with kit.Server(handler) as server:
        summary = send(root, server.port, test_to="me@example.com", yes=False)
    assert handler.received() == {"me@example.com": 1}
    warning = next(line for line in summary.lines() if line.startswith("WARNING:"))
    assert "LINKS NOT PUBLIC" in warning and "http://127.0.0.1:8000" in warning


@pytest.mark.parametrize("how", ["setting", "environment"])
def test_the_override_lets_a_staging_address_through(tmp_path, how):
    root = project(tmp_path, site="http://10.1.2.3")
    handler = kit.Recorder()
    with kit.Server(handler) as server:
        if how == "setting":
            conf = settings(server.port, BYLINE_ALLOW_NON_PUBLIC_URL=True)
            summary = send(root, server.port, conf=conf)
        else:
            env = {**kit.ENV, "BYLINE_ALLOW_NON_PUBLIC_URL": "1"}
            summary = send(root, server.port, env=env)
    assert handler.received() == {a: 1 for a in READERS}
    assert summary.complete
    assert any("10.1.2.3" in line and "not public" in line for line in summary.lines())


def test_the_override_is_named_in_the_confirmation(tmp_path):
    root = project(tmp_path, site="http://10.1.2.3")
    env = {**kit.ENV, "BYLINE_ALLOW_NON_PUBLIC_URL": "1"}
    asked = []
    with pytest.raises(SendCancelled):
        send(root, 1, env=env, yes=False, confirm=lambda text: asked.append(text) or False)
    assert "WARNING" in asked[0] and "http://10.1.2.3" in asked[0]


def test_a_public_production_build_is_sent_with_its_links(tmp_path):
    root = project(tmp_path)
    handler = kit.Recorder()
    with kit.Server(handler) as server:
        summary = send(root, server.port)
    assert summary.complete and not summary.warnings
    assert handler.received() == {a: 1 for a in READERS}
    body = handler.parsed()[0].get_body(("plain",)).get_content()
    assert f"{PUBLIC_SITE}/raise-your-prices/" in body and "127.0.0.1" not in body


def test_the_manifest_site_url_is_what_is_checked(tmp_path):
    root = kit.project(tmp_path)
    path = root / kit.MANIFEST
    data = json.loads(path.read_text())
    data.update(archive_url=f"{PUBLIC_SITE}/newsletter/7/", site_url="http://localhost:8000")
    path.write_text(json.dumps(data))
    conf = kit.settings(1, BYLINE_ALLOW_NON_PUBLIC_URL=False)
    with pytest.raises(SendRefused, match="http://localhost:8000"):
        send_issue(path, conf, kit.ENV, SendOptions(yes=True), base_dir=root)


def test_an_unsendable_issue_is_refused_with_its_problems(tmp_path):
    root = kit.project(tmp_path)
    path = root / kit.MANIFEST
    data = json.loads(path.read_text())
    data["sendable"] = False
    data["problems"] = [
        "the introduction in content/newsletter/7.md makes the email 131 KB (budget 90 KB); "
        "shorten it",
        {"message": "an image in the introduction has no alt text", "fix": "add alt text"},
    ]
    path.write_text(json.dumps(data))
    handler = kit.Recorder()
    with kit.Server(handler) as server:
        conf = kit.settings(server.port)
        with pytest.raises(SendRefused) as caught:
            send_issue(path, conf, kit.ENV, SendOptions(yes=True), base_dir=root)
        message = str(caught.value)
        assert "unsendable" in message and "131 KB" in message and "no alt text" in message
        assert handler.received() == {}
        summary = send_issue(
            path, conf, kit.ENV, SendOptions(dry_run=True, progress=False), base_dir=root
        )
    assert summary.files  # the dry run still writes the messages to look at
    text = "\n".join(summary.lines())
    assert "UNSENDABLE" in text and "131 KB" in text and "add alt text" in text


# --- Item 5: one bad row never stops the readers after it


def test_names_with_line_breaks_are_cleaned_and_everyone_gets_the_issue(tmp_path):
    rows = [
        'ada@example.com,"Ada\r\nBcc: victim@example.net",subscribed',
        "bob@example.org,Bob\u2028Builder,subscribed",
        "cy@example.com,Cy\u0085Young,subscribed",
        "dee@example.com,Dee,subscribed",
    ]
    root = project(tmp_path, readers=rows)
    handler = kit.Recorder()
    with kit.Server(handler) as server:
        summary = send(root, server.port)
    assert handler.received() == {
        "ada@example.com": 1,
        "bob@example.org": 1,
        "cy@example.com": 1,
        "dee@example.com": 1,
    }
    names = {m["To"].addresses[0].display_name for m in handler.parsed()}
    assert names == {"Ada Bcc: victim@example.net", "Bob Builder", "Cy Young", "Dee"}
    for _, raw in handler.messages:
        headers = raw.split(b"\r\n\r\n")[0]
        assert not any(line.startswith(b"Bcc") for line in headers.split(b"\r\n"))
    text = "\n".join(summary.lines())
    assert "ada@example.com: control characters (U+000D, U+000A) removed from the name" in text
    assert "U+2028" in text and "U+0085" in text


def test_a_subject_with_a_line_separator_is_cleaned(tmp_path):
    root = kit.project(tmp_path, ["ada@example.com"])
    path = root / kit.MANIFEST
    data = json.loads(path.read_text())
    data["subject"] = "The Counter Weekly #7:\u2028prices\r\nBcc: x@example.net"
    path.write_text(json.dumps(data))
    handler = kit.Recorder()
    with kit.Server(handler) as server:
        summary = send_issue(
            path, kit.settings(server.port), kit.ENV, SendOptions(yes=True), base_dir=root
        )
    assert summary.complete
    (message,) = handler.parsed()
    assert message["Subject"] == "The Counter Weekly #7: prices Bcc: x@example.net"
    assert message["Bcc"] is None


def test_a_row_whose_message_cannot_be_built_fails_alone(tmp_path):
    # An unsubscribe template that reads past the end of short addresses: it only breaks
    # for some readers, so it is found when their message is built, not before.
    template = kit.UNSUB_URL + "&ref={email[20]}"
    readers = ["a@example.com", "long.reader.one@example.com", "long.reader.two@example.com"]
    root = project(tmp_path, readers=[f"{a},,subscribed" for a in readers])
    handler = kit.Recorder()
    with kit.Server(handler) as server:
        conf = settings(server.port, BYLINE_SEND_UNSUBSCRIBE_URL=template)
        summary = send(root, server.port, conf=conf)
    assert handler.received() == {readers[1]: 1, readers[2]: 1}
    (failed,) = summary.failed
    assert failed[0] == "a@example.com"
    assert "could not be built" in failed[1] and "line 2" in failed[1]
    assert "--retry-failed" in failed[1]
    assert for_summary(summary) == ExitCode.FAILED
    last = {r["address"]: r["state"] for r in read_records(root / "data/send-ledger.jsonl")}
    assert last["a@example.com"] == "failed"


# --- Item 11: what was sent stays what was sent


def test_a_live_send_freezes_the_issue_and_writes_a_record_without_addresses(tmp_path):
    root = project(tmp_path)
    handler = kit.Recorder()
    with kit.Server(handler) as server:
        summary = send(root, server.port)
    frozen = root / "data" / "newsletter" / "1"
    export = root / "public" / "newsletter" / "1"
    for name in ("manifest.json", "email.html", "email.txt"):
        assert (frozen / name).read_bytes() == (export / name).read_bytes(), name
    record = json.loads((frozen / "sent.json").read_text())
    issue_id = json.loads((export / "manifest.json").read_text())["id"]
    assert record["issue"] == issue_id and record["number"] == 1
    assert record["provider"] == "smtp" and record["recipients"] == 2
    assert record["sent_at"].endswith("+00:00")
    assert (
        record["content_hash"] == json.loads((export / "manifest.json").read_text())["content_hash"]
    )
    kept = everything_under(frozen)
    assert not any(address in kept for address in READERS)
    assert (frozen / "sent.json").stat().st_mode & 0o777 == 0o644
    text = "\n".join(summary.lines())
    assert "commit" in text and "data/newsletter/1" in text


def test_a_resumed_send_after_a_rebuild_sends_what_the_first_readers_got(tmp_path):
    root = project(tmp_path)
    handler = kit.Recorder()
    handler.rcpt = lambda index, address: "451 4.3.0 try later" if "bob" in address else None
    with kit.Server(handler) as server:
        conf = settings(server.port, BYLINE_SEND_RETRIES=0)
        first = send(root, server.port, conf=conf)
        assert first.sent == ["ada@example.com"] and not first.complete
        exported = root / "public/newsletter/1/email.txt"
        rebuild(root, POST.replace("Raise your prices", "Lower your prices"))
        # The build itself restores a frozen issue's email files ...
        assert "Raise your prices" in exported.read_text()
        # ... and the sender trusts the frozen copy even when public/ was built without
        # it (say, by a checkout that had not pulled data/newsletter/ yet).
        frozen, aside = root / "data/newsletter", root / "data/newsletter-aside"
        frozen.rename(aside)
        rebuild(root, POST.replace("Raise your prices", "Lower your prices"))
        aside.rename(frozen)
        assert "Lower your prices" in exported.read_text()
        handler.rcpt = None
        second = send(root, server.port, conf=conf)
    assert second.sent == ["bob@example.org"] and second.complete
    ada, bob = sorted(handler.parsed(), key=lambda m: str(m["To"]))
    assert str(ada["Subject"]) == str(bob["Subject"])
    assert "Raise your prices" in bob.get_body(("plain",)).get_content()
    assert "Lower your prices" not in bob.get_body(("plain",)).get_content()
    assert any("frozen" in line and "not used" in line for line in second.lines())


def test_the_committed_record_stops_a_second_machine(tmp_path):
    root = project(tmp_path)
    handler = kit.Recorder()
    with kit.Server(handler) as server:
        send(root, server.port)
        sent_at = json.loads((root / "data/newsletter/1/sent.json").read_text())["sent_at"]
        # Another laptop: the repository (with data/newsletter/), a fresh build, no ledger.
        other = tmp_path / "laptop"
        shutil.copytree(root, other)
        (other / "data" / "send-ledger.jsonl").unlink()
        shutil.rmtree(other / "public")
        rebuild(other, POST)
        with pytest.raises(AlreadySentError) as caught:
            send(other, server.port)
        message = str(caught.value)
        assert sent_at in message and "2 reader(s)" in message and "--force" in message
        assert handler.received() == {a: 1 for a in READERS}
        # --force (confirmed) is the one way to send it again: a new round for everyone.
        again = send(other, server.port, force=True)
    assert again.round == 2 and again.complete
    assert handler.received() == {a: 2 for a in READERS}
    assert json.loads((other / "data/newsletter/1/sent.json").read_text())["round"] == 2


def test_a_damaged_record_still_counts_as_sent(tmp_path):
    root = project(tmp_path)
    record = root / "data" / "newsletter" / "1" / "sent.json"
    record.parent.mkdir(parents=True)
    record.write_text("{not json")
    with pytest.raises(AlreadySentError, match="cannot be read"):
        send(root, 1)


def test_retry_failed_reaches_only_the_readers_refused_before(tmp_path):
    root = project(tmp_path)
    handler = kit.Recorder()
    handler.rcpt = lambda index, address: "550 5.1.1 no such user" if "bob" in address else None
    with kit.Server(handler) as server:
        first = send(root, server.port)
        assert first.complete and [a for a, _ in first.failed] == ["bob@example.org"]
        # A reader who subscribed since must wait for the next issue.
        with (root / "data" / "subscribers.csv").open("a") as csv:
            csv.write("new@example.com,,subscribed\n")
        with pytest.raises(AlreadySentError):
            send(root, server.port)
        handler.rcpt = None
        retry = send(root, server.port, retry_failed=True)
    assert retry.sent == ["bob@example.org"] and retry.complete
    assert handler.received() == {"ada@example.com": 1, "bob@example.org": 1}
    record = json.loads((root / "data/newsletter/1/sent.json").read_text())
    assert record["recipients"] == 2 and record["failed"] == 0


def test_an_eml_of_the_frozen_issue_is_what_a_dry_run_shows(tmp_path):
    root = project(tmp_path)
    handler = kit.Recorder()
    handler.rcpt = lambda index, address: "451 later" if "bob" in address else None
    with kit.Server(handler) as server:
        send(root, server.port, conf=settings(server.port, BYLINE_SEND_RETRIES=0))
    rebuild(root, POST.replace("Raise your prices", "Lower your prices"))
    summary = send(root, 1, dry_run=True, yes=False)
    (eml,) = summary.files
    message = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert "Raise your prices" in message.get_body(("plain",)).get_content()


def test_a_refused_login_freezes_nothing(tmp_path):
    root = project(tmp_path)
    handler = kit.Recorder()
    with kit.Server(handler, password=kit.SMTP_PASSWORD) as server:
        conf = settings(server.port, BYLINE_SEND_SMTP_USERNAME="news")
        env = {**kit.ENV, "BYLINE_SMTP_PASSWORD": "not-the-password"}
        with pytest.raises(AuthenticationFailed):
            send(root, server.port, env=env, conf=conf)
    assert not (root / "data" / "newsletter").exists()  # the next build may still change it


# --- Item 8: a "sent" line is final


def test_a_line_after_sent_never_makes_a_reader_due_again(tmp_path):
    root = kit.project(tmp_path, ["ada@example.com", "bob@example.org"])
    issue = json.loads((root / kit.MANIFEST).read_text())["id"]
    lines = [
        {"issue": issue, "round": 1, "address": "ada@example.com", "state": "pending"},
        {"issue": issue, "round": 1, "address": "ada@example.com", "state": "sent"},
        {"issue": issue, "round": 1, "address": "ada@example.com", "state": "deferred"},
        {"issue": issue, "round": 1, "address": "ada@example.com", "state": "pending"},
    ]
    (root / "data" / "send-ledger.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines))
    handler = kit.Recorder()
    with kit.Server(handler) as server:
        summary = send_issue(
            root / kit.MANIFEST,
            kit.settings(server.port),
            kit.ENV,
            SendOptions(yes=True),
            base_dir=root,
        )
    assert handler.received() == {"bob@example.org": 1}
    assert summary.uncertain == [] and summary.already_sent == 1 and summary.complete


def test_a_sent_issue_missing_from_the_build_is_read_from_its_frozen_copy(tmp_path):
    root = project(tmp_path)
    handler = kit.Recorder()
    handler.rcpt = lambda index, address: "451 later" if "bob" in address else None
    sent_dir = "archive/sent-issues"  # not the default, so no path happens to line up
    with kit.Server(handler) as server:
        conf = settings(server.port, BYLINE_SEND_RETRIES=0, BYLINE_NEWSLETTER_SENT_DIR=sent_dir)
        send(root, server.port, conf=conf)
        shutil.rmtree(root / "public")
        handler.rcpt = None
        frozen = root / sent_dir / "1" / "manifest.json"
        summary = send_issue(
            frozen, conf, kit.ENV, SendOptions(yes=True, progress=False), base_dir=root
        )
    assert summary.sent == ["bob@example.org"] and summary.complete
    assert handler.received() == {a: 1 for a in READERS}
    assert (root / sent_dir / "1" / "sent.json").is_file()
