"""The small shared helpers: control-character cleaning, the public-URL rule, atomic writes."""

from __future__ import annotations

import os
import stat

import pytest
from byline.durable import write_atomic
from byline.siteurl import allows_non_public, non_public_reason
from byline.textclean import clean_text, control_characters


@pytest.mark.parametrize(
    "url",
    [
        "https://thecounter.example.com",
        "https://news.example.org/",
        "http://127.0.0.1:8000",
        "http://[::1]:8080",
        "http://10.0.0.5",
        "http://192.168.1.20",
        "https://0.0.0.0",
        "https://staging.test",
        "http://nas.local",
        "https://site.localhost",
        "https://wiki.internal",
        "https://box.home.arpa",
        "http://localhost:8000",
        "https://bad.invalid",
        "",
        "/relative/",
    ],
)
def test_non_public_addresses_are_named(url):
    assert non_public_reason(url)


@pytest.mark.parametrize(
    "url", ["https://thecounter.co.uk", "https://news.fernhill.com/", "https://93.184.215.14"]
)
def test_public_addresses_pass(url):
    assert non_public_reason(url) is None


def test_override_by_setting_or_environment():
    assert not allows_non_public({}, {})
    assert allows_non_public({"BYLINE_ALLOW_NON_PUBLIC_URL": True}, {})
    assert allows_non_public({}, {"BYLINE_ALLOW_NON_PUBLIC_URL": "1"})
    assert not allows_non_public({}, {"BYLINE_ALLOW_NON_PUBLIC_URL": "0"})


def test_word_soft_return_and_separators_become_spaces():
    title = "Cash flow\x0bis a\u2028calendar\x85now\x00!"
    assert clean_text(title, single_line=True) == "Cash flow is a calendar now!"
    assert control_characters(title) == ["U+000B", "U+2028", "U+0085", "U+0000"]


def test_multi_line_text_keeps_tabs_and_newlines():
    assert clean_text("one\ttwo\nthree\x0cfour") == "one\ttwo\nthree four"
    assert clean_text("plain text") == "plain text"


def test_atomic_write_replaces_whole_file_with_normal_permissions(tmp_path):
    target = tmp_path / "data" / "snapshot.json"
    write_atomic(target, "first")
    write_atomic(target, b"second")
    assert target.read_text() == "second"
    mask = os.umask(0o022)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask
    assert [p.name for p in target.parent.iterdir()] == ["snapshot.json"]
