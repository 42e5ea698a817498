"""The subscription service, driven over HTTP on 127.0.0.1 as a real process with a real
SQLite file and a real aiosmtpd server: double opt-in, one-click unsubscribe from the
message's own List-Unsubscribe header, the sender reading the database, and the attacks
and accidents a public form meets (tampered links, replays, spam, a kill mid-write)."""

from __future__ import annotations

import asyncio
import sqlite3
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
import requests
import sendkit as kit
import subskit
from byline.sending import SendOptions, read_records, send_issue
from byline.sending.errors import SubscriberFileError
from byline.sending.message import reader_url
from byline.subscriptions.store import Store

THANKS = f"{subskit.SITE}/newsletter/thanks/"


def database(root: Path) -> Path:
    return root / "data" / "subscribers.sqlite3"


def statuses(root: Path) -> dict[str, str]:
    with sqlite3.connect(database(root)) as db:
        return dict(db.execute("SELECT email_key, status FROM readers"))


def send(root: Path, service: subskit.Service, **options):
    options.setdefault("yes", True)
    options.setdefault("progress", False)
    return send_issue(
        root / kit.MANIFEST,
        service.settings,
        kit.ENV,
        SendOptions(**options),
        base_dir=root,
    )


def subscribe(service: subskit.Service, handler: kit.Recorder, address: str) -> None:
    """Sign up and follow the confirmation link, as a reader does."""
    assert service.sign_up(address).status_code == 303
    link = subskit.links(subskit.confirmation_for(handler, address))[0]
    assert requests.get(link, timeout=10).status_code == 200


def one_click_url(message) -> str:
    value = str(message["List-Unsubscribe"])
    return next(part.strip(" <>") for part in value.split(",") if "http" in part)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return kit.project(tmp_path, subscribers="email,name,status\n")


def test_sign_up_confirm_send_and_one_click_unsubscribe(root):
    handler = kit.Recorder()
    with kit.Server(handler) as smtp, subskit.Service(root, smtp.port) as service:
        answer = service.sign_up("ada@example.com")
        assert answer.status_code == 303
        assert answer.headers["Location"] == THANKS
        assert "set-cookie" not in answer.headers
        confirmation = subskit.confirmation_for(handler, "ada@example.com")
        assert "The Counter Weekly" in str(confirmation["Subject"])
        link = subskit.links(confirmation)[0]
        assert "ada@" not in link and "ada%40" not in link  # no address in a URL
        assert statuses(root) == {"ada@example.com": "pending"}
        page = requests.get(link, timeout=10)
        assert page.status_code == 200 and "You are subscribed" in page.text
        replay = requests.get(link, timeout=10)
        assert replay.status_code == 400 and "not valid" in replay.text
        subscribe(service, handler, "bob@example.org")
        assert set(statuses(root).values()) == {"active"}

        handler.messages.clear()
        summary = send(root, service)
        assert sorted(summary.sent) == ["ada@example.com", "bob@example.org"]
        issue = next(m for m in handler.parsed() if m["To"].addresses[0].username == "ada")
        assert issue["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        url = one_click_url(issue)
        assert url.startswith(service.url + "/unsubscribe?r=") and "ada%40" not in url
        assert "ada@" not in url
        # The footer link in the body is the same reader's link.
        assert url in issue.get_body(("plain",)).get_content()

        # What Gmail does (RFC 8058): a POST with that body, no cookie, no redirect.
        left = requests.post(
            url,
            data="List-Unsubscribe=One-Click",
            allow_redirects=False,
            timeout=10,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert left.status_code == 200 and "set-cookie" not in left.headers
        again = requests.post(url, data="List-Unsubscribe=One-Click", timeout=10)
        assert again.status_code == 200  # idempotent
        assert statuses(root)["ada@example.com"] == "unsubscribed"

        handler.messages.clear()
        summary = send(root, service, force=True)
        assert summary.sent == ["bob@example.org"]
        assert handler.received() == {"bob@example.org": 1}
    # The service's log names requests and masked addresses, never an address or a token.
    log = service.log.read_text()
    assert "confirmation sent to a***@example.com" in log and "POST /subscribe 303" in log
    assert "ada@example.com" not in log and "bob@example.org" not in log
    assert "token=" not in log and "&t=" not in log


def test_the_answer_says_nothing_about_who_subscribes(root):
    class SlowServer(kit.Recorder):
        async def handle_DATA(self, server, session, envelope):
            await asyncio.sleep(1.0)  # a slow mail server: the form must not wait for it
            return await super().handle_DATA(server, session, envelope)

    handler = SlowServer()
    with kit.Server(handler) as smtp, subskit.Service(root, smtp.port) as service:
        subscribe(service, handler, "known@example.com")
        timings: dict[str, list[float]] = {"known": [], "new": []}
        answers = set()
        for n in range(12):
            for kind, address in (("known", "known@example.com"), ("new", f"new{n}@example.com")):
                started = time.perf_counter()
                answer = service.sign_up(address)
                timings[kind].append(time.perf_counter() - started)
                answers.add((answer.status_code, answer.headers["Location"], answer.text))
        assert answers == {(303, THANKS, "")}
        known, new = (statistics.median(timings[k]) for k in ("known", "new"))
        # Queued, not sent inside the request: far below the mail server's one second.
        assert new < 0.5 and known < 0.5
        assert abs(known - new) < 0.05, (known, new)
    assert statuses(root)["known@example.com"] == "active"


def test_tampered_links_change_nothing_and_say_so(root):
    handler = kit.Recorder()
    with kit.Server(handler) as smtp, subskit.Service(root, smtp.port) as service:
        subscribe(service, handler, "ada@example.com")
        subscribe(service, handler, "bob@example.org")
        store = Store(service.database)
        ada, bob = (store.find(a).id for a in ("ada@example.com", "bob@example.org"))
        good = reader_url(service.url, kit.UNSUB_SECRET, ada)
        token = good.rsplit("t=", 1)[1]
        forged = [
            good[:-1] + ("0" if good[-1] != "0" else "1"),  # one character changed
            f"{service.url}/unsubscribe?r={bob}&t={token}",  # Ada's token on Bob's id
            reader_url(service.url, "another-key", bob),  # signed with the wrong key
            f"{service.url}/unsubscribe?r={bob}",  # no token
        ]
        for url in forged:
            assert requests.get(url, timeout=10).status_code == 400, url
            answer = requests.post(url, data="List-Unsubscribe=One-Click", timeout=10)
            assert answer.status_code == 400 and "not valid" in answer.text, url
        assert requests.get(f"{service.url}/confirm?token=made-up", timeout=10).status_code == 400
        assert set(statuses(root).values()) == {"active"}
        page = requests.get(good, timeout=10)
        assert page.status_code == 200 and "<button" in page.text


def test_form_spam_is_turned_away(root):
    handler = kit.Recorder()
    with (
        kit.Server(handler) as smtp,
        subskit.Service(
            root,
            smtp.port,
            BYLINE_SUBSCRIPTIONS_CLIENT_LIMIT=7,
            BYLINE_SUBSCRIPTIONS_ADDRESS_LIMIT=2,
        ) as service,
    ):
        bot = service.sign_up("bot@example.com", website="http://spam.example")
        assert bot.status_code == 303  # answered like anyone...
        for _ in range(4):  # ...one address hammered: two emails at most
            assert service.sign_up("target@example.com").status_code == 303
        for n in range(2):
            assert service.sign_up(f"r{n}@example.com").status_code == 303
        limited = service.sign_up("late@example.com")  # the 8th from this client
        assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
        assert service.sign_up("not an address").status_code in (400, 429)
        handler.wait_for(4)  # target twice, r0, r1: the queue sends them soon after
        time.sleep(0.5)  # and nothing more follows
    known = statuses(root)
    assert "bot@example.com" not in known and "late@example.com" not in known
    assert handler.received() == {
        "target@example.com": 2,
        "r0@example.com": 1,
        "r1@example.com": 1,
    }


def test_a_trusted_proxy_header_gives_each_reader_their_own_limit(root):
    with subskit.Service(
        root,
        kit.free_port(),
        BYLINE_SUBSCRIPTIONS_CLIENT_LIMIT=2,
        BYLINE_SUBSCRIPTIONS_TRUSTED_HEADER="X-Forwarded-For",
    ) as service:
        for n in range(6):
            forwarded = {"X-Forwarded-For": f"198.51.100.{n}"}
            assert service.sign_up(f"p{n}@example.com", forwarded).status_code == 303
        # The proxy appends the real client; what the client wrote before it is ignored.
        spoofed = [
            service.sign_up(f"s{n}@example.com", {"X-Forwarded-For": f"10.0.0.{n}, 203.0.113.9"})
            for n in range(4)
        ]
        spoofed = [answer.status_code for answer in spoofed]
        assert spoofed == [303, 303, 429, 429]


def test_links_expire_and_a_reader_can_come_back(root):
    handler = kit.Recorder()
    with (
        kit.Server(handler) as smtp,
        subskit.Service(root, smtp.port, BYLINE_SUBSCRIPTIONS_CONFIRM_HOURS=1 / 3600) as service,
    ):
        service.sign_up("slow@example.com")
        link = subskit.links(subskit.confirmation_for(handler, "slow@example.com"))[0]
        time.sleep(2.2)
        assert requests.get(link, timeout=10).status_code == 410
        assert statuses(root)["slow@example.com"] == "pending"
    with kit.Server(handler) as smtp, subskit.Service(root, smtp.port) as service:
        subscribe(service, handler, "back@example.com")
        reader = Store(service.database).find("back@example.com")
        url = reader_url(service.url, kit.UNSUB_SECRET, reader.id)
        assert requests.post(url, timeout=10).status_code == 200
        assert statuses(root)["back@example.com"] == "unsubscribed"
        handler.messages.clear()
        service.sign_up("back@example.com")  # a new confirmation, not an instant return
        assert statuses(root)["back@example.com"] == "pending"
        link = subskit.links(subskit.confirmation_for(handler, "back@example.com"))[0]
        assert requests.get(link, timeout=10).status_code == 200
        assert statuses(root)["back@example.com"] == "active"


def test_a_reader_who_leaves_mid_send_gets_nothing_after_and_a_refusal_bounces(root):
    handler = kit.Recorder()
    with kit.Server(handler) as smtp, subskit.Service(root, smtp.port) as service:
        readers = ["a1@example.com", "a2@example.com", "gone@example.com", "a3@example.com"]
        for address in readers:
            subscribe(service, handler, address)
        store = Store(service.database)
        leaving = reader_url(service.url, kit.UNSUB_SECRET, store.find("a2@example.com").id)
        handler.messages.clear()
        handler.transactions = 0

        def during_send(index: int, address: str):
            if index == 0:  # while the first message is handed over, a2 clicks unsubscribe
                requests.post(leaving, data="List-Unsubscribe=One-Click", timeout=10)
            return

        handler.data = during_send
        handler.rcpt = lambda _i, a: "550 5.1.1 no such mailbox" if a.startswith("gone") else None
        summary = send(root, service)
    assert set(handler.received()) == {"a1@example.com", "a3@example.com"}
    assert ("a2@example.com", "unsubscribed during the send") in summary.skipped
    assert statuses(root)["gone@example.com"] == "bounced"
    assert statuses(root)["a2@example.com"] == "unsubscribed"


def test_ten_thousand_sign_ups_lose_nothing_and_let_nobody_in(root):
    with subskit.Service(
        root, kit.free_port(), BYLINE_SUBSCRIPTIONS_CLIENT_LIMIT=100_000
    ) as service:

        def one(n: int) -> int:
            return service.sign_up(f"reader{n}@example.com").status_code

        with ThreadPoolExecutor(8) as pool:
            codes = list(pool.map(one, range(10_000)))
    assert codes.count(303) == 10_000
    with sqlite3.connect(database(root)) as db:
        assert db.execute("SELECT count(DISTINCT email_key) FROM readers").fetchone()[0] == 10_000
        assert db.execute("SELECT count(DISTINCT id) FROM readers").fetchone()[0] == 10_000
        assert (
            db.execute("SELECT count(*) FROM readers WHERE status != 'pending'").fetchone()[0] == 0
        )
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_killed_service_loses_no_sign_up_it_answered(root):
    handler = kit.Recorder()
    with kit.Server(handler) as smtp:
        service = subskit.Service(root, smtp.port).start()
        answered: list[str] = []
        stop = threading.Event()

        def hammer(worker: int) -> None:
            n = 0
            while not stop.is_set():
                address = f"k{worker}-{n}@example.com"
                try:
                    code = service.sign_up(address).status_code
                except requests.RequestException:
                    return  # the service died under us: this one was never answered
                if code == 303:
                    answered.append(address)
                n += 1

        threads = [threading.Thread(target=hammer, args=(w,)) for w in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(1.5)
        service.kill()
        stop.set()
        for thread in threads:
            thread.join()
        assert len(answered) > 20
        with sqlite3.connect(database(root)) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        known = statuses(root)
        assert [a for a in answered if a not in known] == []
        assert set(known.values()) == {"pending"}  # nobody in without confirming
        # Back up again, the queue is still there: every answered sign-up gets its email.
        with subskit.Service(root, smtp.port, port=service.port):
            deadline = time.monotonic() + 60
            while set(answered) - set(handler.received()) and time.monotonic() < deadline:
                time.sleep(0.2)
        assert set(answered) <= set(handler.received())


def test_a_send_with_nobody_to_send_to_refuses_and_records_nothing(root):
    settings = subskit.settings(root, kit.free_port(), kit.free_port())

    def attempt():
        return send_issue(
            root / kit.MANIFEST,
            settings,
            kit.ENV,
            SendOptions(yes=True, progress=False),
            base_dir=root,
        )

    # On a machine without the service's database: an error, never "sent to nobody".
    with pytest.raises(SubscriberFileError, match="no readers' database at"):
        attempt()
    assert not database(root).exists()
    store = Store(f"sqlite:///{database(root)}", kit.UNSUB_SECRET)
    store.sign_up("waiting@example.com", "", "", timedelta(hours=1))
    with pytest.raises(SubscriberFileError, match=r"no confirmed readers \(1 waiting"):
        attempt()
    assert read_records(root / "data" / "send-ledger.jsonl") == []  # nothing recorded


def test_a_test_copy_links_to_the_service_and_unsubscribes_nobody(root):
    handler = kit.Recorder()
    with kit.Server(handler) as smtp, subskit.Service(root, smtp.port) as service:
        subscribe(service, handler, "ada@example.com")
        handler.messages.clear()
        summary = send(root, service, test_to="editor@example.com")
        assert summary.sent == ["editor@example.com"]
        url = one_click_url(handler.parsed()[0])
        assert url.startswith(f"{service.url}/unsubscribe?r=test-copy&t=")
        assert requests.post(url, data="List-Unsubscribe=One-Click", timeout=10).ok
    assert statuses(root) == {"ada@example.com": "active"}
