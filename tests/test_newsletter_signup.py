"""Signing up, as a reader meets it: the pitch's words, the thank-you page the provider
sends them to, the email's "Sign up" link, and moving between past issues."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest
from byline.lint import lint_site
from byline.newsletter.wording import columns_phrase, signup_wording
from conftest import ROOT, page
from pelican.settings import read_settings

AUTHORS = '["Ann Lee"]\nrole = "Ann Lee runs a shop."\nbio = "Bio."\n'
POST = (
    "Title: {title}\nDate: 2026-02-03 10:00\nAuthor: Ann Lee\nCategory: Money\n"
    "Summary: About {title}.\n{extra}\nThe text of {title}.\n"
)


def _post(title: str, extra: str = "") -> str:
    return POST.format(title=title, extra=extra)


def _resolves(output, at: str, href: str) -> bool:
    """Whether a relative link on the page at ``at`` reaches a built file."""
    target = urlsplit(urljoin(f"http://site/{at}", href)).path.lstrip("/")
    path = output / target
    return (path / "index.html").is_file() if target.endswith("/") or not target else path.is_file()


# The pitch follows the period


@pytest.mark.parametrize(
    "period, phrase",
    [
        ("weekly", "the week\u2019s columns"),
        ("fortnightly", "the fortnight\u2019s columns"),
        ("monthly", "the month\u2019s columns"),
    ],
)
def test_the_pitch_names_the_newsletters_own_period_with_a_curly_apostrophe(period, phrase):
    wording = signup_wording("Shop Notes", period)
    assert columns_phrase(period) == phrase
    assert wording.heading == f"Get {phrase} by email"
    assert wording.blurb.startswith(f"Shop Notes: {phrase} in one short email.")
    assert "'" not in wording.blurb + wording.heading


def test_an_unknown_period_is_refused_naming_the_setting():
    with pytest.raises(ValueError, match="BYLINE_NEWSLETTER_PERIOD is 'daily'; use one of"):
        columns_phrase("daily")


def test_a_monthly_newsletter_never_promises_the_weeks_columns(site):
    output = site(
        {"authors.toml": AUTHORS, "one.md": _post("One column")},
        BYLINE_NEWSLETTER_PERIOD="monthly",
        BYLINE_NEWSLETTER_NAME="Shop Notes",
    )
    home = page(output, "index.html")
    article = page(output, "one/")
    assert (
        home.xpath("string(//section[@class='signup']/h2)")
        == "Get the month\u2019s columns by email"
    )
    for built in (home, article):
        blurb = built.xpath("string(//section[@class='signup']/p)")
        assert blurb.startswith("Shop Notes: the month\u2019s columns in one short email.")
        assert "week" not in built.xpath("string(//section[@class='signup'])")


def test_the_demo_pitch_stays_weekly(demo_site):
    blurb = page(demo_site, "index.html").xpath("string(//section[@class='signup']/p)")
    assert blurb.startswith("The Counter Weekly: the week\u2019s columns in one short email.")


# The thank-you page


def test_the_thank_you_page_says_what_to_do_next_and_links_back(demo_site):
    thanks = page(demo_site, "newsletter/thanks/")
    assert thanks.xpath("string(//h1)") == "Thanks \u2013 check your inbox to confirm"
    assert "confirm" in thanks.xpath("string(//div[@class='story-body'])")
    assert thanks.xpath("//meta[@name='robots']/@content") == ["noindex"]
    links = {a.text_content(): a.get("href") for a in thanks.xpath("//main//a")}
    assert set(links) == {"Back to the home page", "Read past issues"}
    assert _resolves(demo_site, "newsletter/thanks/", links["Back to the home page"])
    assert _resolves(demo_site, "newsletter/thanks/", links["Read past issues"])
    assert urljoin("http://site/newsletter/thanks/", links["Read past issues"]).endswith(
        "/newsletter/"
    )
    # in the theme's style: the same stylesheet, masthead and footer as every page
    assert thanks.xpath("//link[@rel='stylesheet']/@href") == ["../../theme/css/byline.css"]
    assert thanks.xpath("//header[@class='masthead']") and thanks.xpath("//footer")


def test_the_thank_you_page_is_in_no_sitemap_and_no_feed(demo_site, demo_publish):
    for output in (demo_site, demo_publish):
        assert (output / "newsletter/thanks/index.html").is_file()
        sitemap = (output / "sitemap.xml").read_text()
        assert "/newsletter/13/" in sitemap  # the sitemap lists the newsletter's pages...
        assert "thanks" not in sitemap  # ...but not this one
        for feed in [*output.glob("feeds/**/*.xml"), *output.glob("newsletter/*.xml")]:
            assert "thanks" not in feed.read_text(), feed


def test_a_site_without_a_newsletter_page_links_only_home(site):
    output = site({"authors.toml": AUTHORS, "one.md": _post("One column")})
    thanks = page(output, "newsletter/thanks/")
    assert [a.text_content() for a in thanks.xpath("//main//a")] == ["Back to the home page"]


def test_a_post_at_the_thank_you_address_is_left_out_with_a_clear_error(site, warnings_log):
    files = {
        "authors.toml": AUTHORS,
        "real.md": _post("A real column"),
        "welcome.md": _post("Welcome aboard", "Slug: newsletter/thanks\n"),
    }
    output = site(files)

    assert page(output, "newsletter/thanks/").xpath("string(//h1)").startswith("Thanks")
    [message] = [m for m in warnings_log() if "E211" in m]
    assert "welcome.md" in message and "/newsletter/thanks/" in message
    assert "thank-you page" in message and "Slug:" in message
    # `invoke lint` says the same before anything is built
    content = output.parent / "content"
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={"PATH": str(content)})
    findings = [f for f in lint_site(str(content), settings) if f.code == "E211"]
    assert len(findings) == 1 and "thank-you page" in findings[0].message


def test_a_site_with_its_own_landing_page_gets_no_thank_you_page(site, warnings_log):
    output = site(
        {
            "authors.toml": AUTHORS,
            "welcome.md": _post("Welcome aboard", "Slug: newsletter/thanks\n"),
        },
        BYLINE_NEWSLETTER_THANKS_URL="https://shop.example.org/welcome/",
    )
    assert page(output, "newsletter/thanks/").xpath("string(//h1)") == "Welcome aboard"
    assert not [m for m in warnings_log() if "E211" in m]


# The email's "Sign up" link and the issue pages


def test_the_emails_sign_up_link_goes_to_the_newsletter_page(demo_site):
    html = page(demo_site, "newsletter/13/email.html")
    [link] = html.xpath("//a[starts-with(normalize-space(.), 'Sign up for')]")
    assert link.get("href").startswith("http://127.0.0.1:8000/newsletter/?utm_source=newsletter")
    text = (demo_site / "newsletter/13/email.txt").read_text()
    assert re.search(
        r"Sign up for The Counter Weekly:\nhttp://127\.0\.0\.1:8000/newsletter/\?", text
    )
    assert (demo_site / "newsletter/index.html").is_file()  # where the form is


def _issue_nav(output, number: int) -> dict[str, tuple[str, str]]:
    issue = page(output, f"newsletter/{number}/")
    [nav] = issue.xpath("//nav[@class='issue-nav']")
    assert nav.get("aria-label")
    return {a.get("rel"): (a.text_content().strip(), a.get("href")) for a in nav.xpath(".//a")}


def test_issue_pages_link_to_the_previous_and_next_issue(demo_site):
    assert _issue_nav(demo_site, 7) == {
        "prev": ("\u2190 Issue 6", "../../newsletter/6/"),
        "next": ("Issue 8 \u2192", "../../newsletter/8/"),
    }
    assert list(_issue_nav(demo_site, 1)) == ["next"]
    assert list(_issue_nav(demo_site, 13)) == ["prev"]
    for number in range(1, 14):
        for _text, href in _issue_nav(demo_site, number).values():
            assert _resolves(demo_site, f"newsletter/{number}/", href), (number, href)


def test_issue_links_are_absolute_in_the_production_build(demo_publish):
    assert _issue_nav(demo_publish, 2)["prev"][1] == "https://thecounter.example.com/newsletter/1/"
