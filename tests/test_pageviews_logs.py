"""Access-log counting: real plain and .gz files, rotation, bots, repeats, garbage, privacy."""

from __future__ import annotations

import gzip
import ipaddress
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from byline.pageviews import PageviewSourceError, count_log_lines, read_access_logs
from byline.pageviews.logs import is_bot, log_files, page_path
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FIXTURES = Path(__file__).parent / "fixtures" / "pageviews"
NOW = datetime(2026, 5, 31, 12, 0, tzinfo=UTC)
START = datetime(2026, 5, 2, tzinfo=UTC)
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0"
CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)
SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
BOT_AGENTS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; YandexBot/3.0)",
    "Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)",
    "Sogou web spider/4.0",
    "CCBot/2.0 (https://commoncrawl.org/faq/)",
    "curl/8.5.0",
    "Wget/1.21.4",
    "python-requests/2.32.3",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/126.0.0.0",
    "Mozilla/5.0 (Linux; Android 11) Chrome-Lighthouse",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Go-http-client/1.1",
    "",
    "-",
]


def line(
    addr: str,
    when: datetime,
    target: str,
    *,
    method: str = "GET",
    status: int = 200,
    agent: str = FIREFOX,
) -> str:
    """One combined-format line, as nginx writes it."""
    stamp = when.strftime("%d/%b/%Y:%H:%M:%S %z")
    return (
        f'{addr} - - [{stamp}] "{method} {target} HTTP/1.1" {status} 5120 '
        f'"https://www.example.org/" "{agent}"\n'
    )


def test_sample_log_counts_each_kind_of_line():
    result = read_access_logs(str(FIXTURES / "access-sample.log"), START, NOW)
    assert result.views == {
        "/cash-flow-is-a-calendar/": 1,
        "/raise-your-prices-early/": 1,
        "/say-no-to-friday-deadlines/index.html": 1,
        "/hire-for-the-second-year/": 1,
    }
    stats = result.stats
    assert (stats.lines, stats.counted, stats.repeats, stats.bots) == (14, 4, 1, 2)
    assert (stats.not_page, stats.not_ok, stats.not_get) == (2, 1, 1)
    assert (stats.garbage, stats.outside_window, stats.files) == (2, 1, 1)
    assert "4 views counted" in stats.describe()


def test_rotated_plain_and_gz_files_garbage_and_bots(tmp_path):
    day = datetime(2026, 5, 20, 8, 0, tzinfo=UTC)
    older = [
        line("203.0.113.1", day, "/cash-flow-is-a-calendar/"),
        "\x00\x01 binary junk \xff\n",
        line("203.0.113.2", day, "/cash-flow-is-a-calendar/", agent=BOT_AGENTS[0]),
        line("203.0.113.3", day, "/theme/css/main.css"),
        line("203.0.113.4", day, "/images/photo.JPG"),
        line("203.0.113.5", day, "/theme/fonts/body.woff2"),
        line("203.0.113.6", day, "/robots.txt"),
        line("203.0.113.7", day, "/favicon.ico"),
        line("203.0.113.8", day, "/sitemap.xml"),
    ]
    middle = [
        line("203.0.113.1", day + timedelta(days=1), "/cash-flow-is-a-calendar/"),
        '203.0.113.9 - - [21/May/2026:08:00:00 +0000] "GET /half-a-line\n',
        line("203.0.113.9", day + timedelta(days=1), "/raise-your-prices-early/", agent=CHROME),
    ]
    newest = [
        line("203.0.113.9", day + timedelta(days=2), "/raise-your-prices-early/", agent=CHROME),
        line("203.0.113.10", day + timedelta(days=2), "/raise-your-prices-early/", status=500),
        line("203.0.113.11", day + timedelta(days=2), "/raise-your-prices-early/", method="HEAD"),
        "\n",
    ]
    with gzip.open(tmp_path / "access.log.2.gz", "wt", encoding="utf-8") as handle:
        handle.writelines(older)
    (tmp_path / "access.log.1").write_text("".join(middle), encoding="utf-8")
    (tmp_path / "access.log").write_text("".join(newest), encoding="utf-8")

    assert [p.name for p in log_files(str(tmp_path / "access.log*"))] == [
        "access.log.2.gz",
        "access.log.1",
        "access.log",
    ]
    result = read_access_logs(str(tmp_path / "access.log*"), START, NOW)
    assert result.views == {"/cash-flow-is-a-calendar/": 2, "/raise-your-prices-early/": 2}
    stats = result.stats
    assert stats.files == 3
    assert stats.bots == 1
    assert stats.not_page == 6
    assert stats.garbage == 3  # the junk, the half line and the empty line
    assert stats.not_ok == 1 and stats.not_get == 1


def test_repeats_within_thirty_minutes_count_once(tmp_path):
    t0 = datetime(2026, 5, 10, 9, 0, tzinfo=UTC)
    lines = [
        line("198.51.100.1", t0, "/a/"),
        line("198.51.100.1", t0 + timedelta(minutes=5), "/a/?utm_source=x"),  # same path
        line("198.51.100.1", t0 + timedelta(minutes=29, seconds=59), "/a/"),
        line("198.51.100.1", t0 + timedelta(minutes=6), "/b/"),  # another path counts
        line("198.51.100.2", t0 + timedelta(minutes=7), "/a/"),  # another client counts
        line("198.51.100.1", t0 + timedelta(minutes=8), "/a/", agent=CHROME),  # other browser
        line("198.51.100.1", t0 + timedelta(minutes=30), "/a/"),  # 30 min after: counts
        line("198.51.100.1", t0 + timedelta(hours=5), "/a/"),  # long after eviction
    ]
    result = count_log_lines(lines, START, NOW)
    assert result.views == {"/a/": 5, "/b/": 1}
    assert result.stats.repeats == 2


def test_repeats_are_matched_on_the_article_not_the_raw_path():
    # One reader, one article, five spellings within half an hour: one view (issue 11).
    t0 = datetime(2026, 5, 10, 9, 0, tzinfo=UTC)
    reader = "198.51.100.1"
    lines = [
        line(reader, t0, "/x/"),
        line(reader, t0 + timedelta(minutes=1), "/x/index.html"),
        line(reader, t0 + timedelta(minutes=2), "/x"),
        line(reader, t0 + timedelta(minutes=3), "/x/?utm_source=newsletter"),
        line(reader, t0 + timedelta(minutes=4), "/x?ref=home"),
        line(reader, t0 + timedelta(minutes=5), "https://thecounter.example.com/x/"),
        line(reader, t0 + timedelta(minutes=6), "/y/index.html"),  # another article counts
        line("198.51.100.2", t0 + timedelta(minutes=7), "/x/index.html"),  # another reader
        line(reader, t0 + timedelta(minutes=40), "/x/index.html"),  # after the window
    ]
    result = count_log_lines(lines, START, NOW)
    assert result.views == {"/x/": 1, "/y/index.html": 1, "/x/index.html": 2}
    assert result.stats.repeats == 5 and result.stats.counted == 4


def test_window_edges_and_timezones():
    lines = [
        line("192.0.2.1", START - timedelta(seconds=1), "/a/"),
        line("192.0.2.2", START, "/a/"),
        line("192.0.2.3", NOW, "/a/"),
        line("192.0.2.4", NOW + timedelta(seconds=1), "/a/"),
        # 13:59 in +02:00 is 11:59 UTC: inside; 14:01 is after NOW: outside.
        '192.0.2.5 - - [31/May/2026:13:59:00 +0200] "GET /a/ HTTP/1.1" 200 1 "-" "' + SAFARI + '"',
        '192.0.2.6 - - [31/May/2026:14:01:00 +0200] "GET /a/ HTTP/1.1" 200 1 "-" "' + SAFARI + '"',
    ]
    result = count_log_lines(lines, START, NOW)
    assert result.views == {"/a/": 3}
    assert result.stats.outside_window == 3


def test_apache_and_nginx_variants():
    lines = [
        # Apache escapes quotes inside fields with a backslash.
        '192.0.2.1 - alice [10/May/2026:13:55:36 -0700] "GET /a/ HTTP/1.0" 200 2326 '
        '"http://x/\\"y\\"" "Mozilla/5.0 (\\"quoted\\") Firefox/127.0"\n',
        # nginx writes "-" for no bytes; extra fields after the agent are ignored.
        '192.0.2.2 - - [10/May/2026:13:55:36 +0000] "GET /b/ HTTP/2.0" 304 - "-" '
        '"' + CHROME + '" "extra" rt=0.001\n',
        # A proxy-style absolute target.
        '192.0.2.3 - - [10/May/2026:13:55:36 +0000] "GET https://thecounter.example.com/c/ '
        'HTTP/1.1" 200 12 "-" "' + SAFARI + '"\n',
        # Uppercase method only: "get" is not a method nginx logs for browsers.
        '192.0.2.4 - - [10/May/2026:13:55:36 +0000] "get /d/ HTTP/1.1" 200 12 "-" "' + SAFARI + '"',
    ]
    result = count_log_lines(lines, START, NOW)
    assert result.views == {"/a/": 1, "/b/": 1, "/c/": 1}
    assert result.stats.garbage == 1


@pytest.mark.parametrize("agent", BOT_AGENTS)
def test_bots_are_recognised(agent):
    assert is_bot(agent)


@pytest.mark.parametrize("agent", [FIREFOX, CHROME, SAFARI, "Mozilla/5.0 (Linux; Android 14)"])
def test_browsers_are_not_bots(agent):
    assert not is_bot(agent)


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/a/", "/a/"),
        ("/a/?q=1", "/a/"),
        ("/a/index.html", "/a/index.html"),
        ("/a.HTML", "/a.HTML"),
        ("/a", "/a"),
        ("/theme/css/main.css", None),
        ("/theme/js/app.js", None),
        ("/images/x.webp", None),
        ("/fonts/x.woff2", None),
        ("/feeds/all.atom.xml", None),
        ("/feeds/", None),
        ("/category/money/feed/", None),
        ("/robots.txt", None),
        ("/favicon.ico", None),
        ("/wp-login.php", None),
        ("*", None),
        ("http://example.com", "/"),
    ],
)
def test_page_path(target, expected):
    assert page_path(target) == expected


def test_truncated_gz_counts_what_it_can(tmp_path):
    body = "".join(
        line(f"192.0.2.{n}", datetime(2026, 5, 10, tzinfo=UTC), f"/p{n}/") for n in range(200)
    )
    data = gzip.compress(body.encode())
    (tmp_path / "access.log.1.gz").write_bytes(data[: len(data) // 2])
    result = read_access_logs(str(tmp_path / "access.log*"), START, NOW)
    assert 0 < result.stats.counted < 200
    assert "truncated" in result.stats.problems[0]


def test_no_matching_files_is_a_clear_error(tmp_path):
    with pytest.raises(PageviewSourceError, match="BYLINE_PAGEVIEWS_LOGS"):
        read_access_logs(str(tmp_path / "nothing*.log"), START, NOW)


def test_dedupe_state_stays_bounded():
    """A long time-ordered log: the repeat-check memory holds ~30 minutes, not the whole log."""
    from byline.pageviews.logs import AccessLogCounter

    counter = AccessLogCounter(START, NOW)
    t0 = datetime(2026, 5, 3, tzinfo=UTC)
    counter.feed(
        line(f"10.0.{n // 250}.{n % 250}", t0 + timedelta(seconds=60 * n), f"/p{n % 7}/")
        for n in range(5000)
    )
    assert counter.stats.counted == 5000
    assert len(counter._last) <= 31 and len(counter._queue) <= 31


# --- property tests -------------------------------------------------------------------

ARTICLES = ["/cash-flow-is-a-calendar/", "/raise-your-prices-early/", "/a/", "/b/index.html"]
HUMANS = [FIREFOX, CHROME, SAFARI]
times = st.integers(min_value=0, max_value=int((NOW - START).total_seconds())).map(
    lambda s: START + timedelta(seconds=s)
)
addresses = st.one_of(
    st.integers(min_value=0x01000000, max_value=0xDFFFFFFF).map(
        lambda n: str(ipaddress.IPv4Address(n))
    ),
    st.integers(min_value=1, max_value=2**64).map(
        lambda n: str(ipaddress.IPv6Address((0x20010DB8 << 96) + n))
    ),
)
human_hit = st.tuples(addresses, st.sampled_from(HUMANS), st.sampled_from(ARTICLES), times)
noise_line = st.one_of(
    st.builds(lambda a, t: line(a, t, "/a/", agent=BOT_AGENTS[0]), addresses, times),
    st.builds(
        lambda a, t, ua: line(a, t, "/b/index.html", agent=ua),
        addresses,
        times,
        st.sampled_from(BOT_AGENTS),
    ),
    st.builds(lambda a, t: line(a, t, "/theme/css/main.css"), addresses, times),
    st.builds(lambda a, t: line(a, t, "/a/", status=404), addresses, times),
    st.builds(lambda a, t: line(a, t, "/a/", method="POST"), addresses, times),
    st.builds(lambda a, t: line(a, t - timedelta(days=40), "/a/"), addresses, times),
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=120),
    # A valid human line cut short is garbage too.
    st.builds(
        lambda a, t, cut: line(a, t, "/a/")[: max(0, len(line(a, t, "/a/")) - 2 - cut)],
        addresses,
        times,
        st.integers(min_value=0, max_value=200),
    ),
)


@settings(max_examples=80, deadline=None)
@given(
    hits=st.lists(human_hit, max_size=40, unique_by=lambda hit: (hit[0], hit[1], hit[2])),
    noise=st.lists(noise_line, max_size=40),
    order=st.randoms(use_true_random=False),
)
def test_any_mix_counts_exactly_the_human_views(hits, noise, order):
    lines = [line(addr, when, path, agent=agent) for addr, agent, path, when in hits]
    lines += [text if text.endswith("\n") else text + "\n" for text in noise]
    order.shuffle(lines)
    result = count_log_lines(lines, START, NOW)
    expected: dict[str, int] = {}
    for _addr, _agent, path, _when in hits:
        expected[path] = expected.get(path, 0) + 1
    assert result.views == expected
    assert result.stats.lines == len(lines)
    shown = repr(result) + result.stats.describe()
    for addr, *_ in hits:
        assert addr not in shown


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    hits=st.lists(human_hit, min_size=1, max_size=30, unique_by=lambda h: (h[0], h[1], h[2])),
    noise=st.lists(noise_line, max_size=30),
    split=st.integers(min_value=0, max_value=60),
)
def test_real_gz_and_plain_files_match_the_in_memory_count(hits, noise, split):
    hits = sorted(hits, key=lambda hit: hit[3])
    lines = [line(addr, when, path, agent=agent) for addr, agent, path, when in hits]
    lines += [text + "\n" for text in noise]
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        with gzip.open(folder / "access.log.1.gz", "wt", encoding="utf-8") as handle:
            handle.writelines(lines[:split])
        (folder / "access.log").write_text("".join(lines[split:]), encoding="utf-8")
        from_files = read_access_logs(str(folder / "access.log*"), START, NOW)
    in_memory = count_log_lines(lines, START, NOW)
    assert from_files.views == in_memory.views
    assert sum(from_files.views.values()) == len(hits)
