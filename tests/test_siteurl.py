"""The public-URL rule names what is wrong with an address, in the order a person would check."""

from __future__ import annotations

import pytest
from byline.siteurl import is_this_machine, non_public_reason


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("  ", "no site URL is set"),
        ("ftp://files.fernhill.com", "'ftp://files.fernhill.com' is not an http(s) address"),
        ("https://:443", "'https://:443' has no host name"),
        (
            "https://thecounter.example.com/",
            "https://thecounter.example.com/ is the placeholder Byline ships with",
        ),
        ("http://[::1]:8080", "http://[::1]:8080 is a loopback address (this machine only)"),
        ("https://0.0.0.0", "https://0.0.0.0 is the unspecified address"),
        (
            "http://169.254.10.1",
            "http://169.254.10.1 is a private address, not reachable from the internet",
        ),
        (
            "http://LOCALHOST.:8000",
            "http://LOCALHOST.:8000 uses a reserved name (localhost) that no reader can reach",
        ),
        (
            "https://home.arpa",
            "https://home.arpa uses a reserved name (home.arpa) that no reader can reach",
        ),
        ("https://example.org", "https://example.org uses a reserved example domain (example.org)"),
        ("https://intranet", "https://intranet has a host name (intranet) without a domain"),
    ],
)
def test_each_non_public_address_gets_its_own_reason(url, reason):
    assert non_public_reason(url) == reason


@pytest.mark.parametrize("url", ["http://[2606:4700::1]", "HTTPS://Fernhill.COM/columns/"])
def test_public_ipv6_and_upper_case_addresses_pass(url):
    assert non_public_reason(url) is None


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("http://127.0.0.1:8000", True),
        ("http://localhost:8001/", True),
        ("http://[::1]:8000", True),
        ("http://0.0.0.0:8000", True),
        ("", False),
        ("https://thecounter.example.com", False),
        ("http://192.168.1.20", False),  # a staging server on the office network is a site
        ("https://shop.fernhill.co.uk/blog", False),
    ],
)
def test_a_local_builds_address_is_told_from_a_sites(url, local):
    """Most read ignores the host of a local build's SITEURL, and only of that."""
    assert is_this_machine(url) is local
