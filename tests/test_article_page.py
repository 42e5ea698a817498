"""What a reader sees on an article page of the demo site, top to bottom."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from conftest import build, page

ARTICLE = "cash-flow-is-a-calendar/"


def _position(doc, xpath: str) -> int:
    elements = doc.xpath(xpath)
    assert elements, f"missing {xpath}"
    return list(doc.iter()).index(elements[0])


def test_article_parts_stand_in_newspaper_order(demo_site):
    doc = page(demo_site, "buy-the-good-chisel/")
    order = [
        "//p[@class='section-label']",
        "//h1[@class='headline']",
        "//div[@class='standfirst']",
        "//p[@class='byline']",
        "//figure[@class='hero']",
        "//div[@class='story-body']",
        "//nav[@class='tags']",
        "//nav[@class='share']",
        "//aside[@class='author-bio']",
        "//section[@class='signup']",
        "//section[contains(@class,'related-stories')]",
    ]
    positions = [_position(doc, xpath) for xpath in order]
    assert positions == sorted(positions)


def test_header_shows_section_headline_standfirst_and_byline(demo_site):
    doc = page(demo_site, "buy-the-good-chisel/")
    assert doc.xpath("string(//p[@class='section-label'])").strip() == "Tools"
    assert doc.xpath("string(//h1)") == "Buy the good chisel: tools that pay for themselves"
    assert doc.xpath("string(//div[@class='standfirst'])").strip()
    byline = doc.xpath("//p[@class='byline']")[0]
    author = byline.xpath(".//a[@rel='author']")[0]
    assert author.text == "Tomás Reyes" and author.get("href").endswith("author/tomas-reyes/")
    published, updated = byline.xpath(".//time")
    assert published.get("datetime").startswith("2026-11-10T09:00")
    assert published.text == "10 November 2026"
    assert updated.get("datetime").startswith("2026-11-12T08:15")
    assert re.fullmatch(r"\d+ min read", byline.xpath("string(.//*[@class='reading-time'])"))


def test_unmodified_article_shows_no_updated_date(demo_site):
    doc = page(demo_site, ARTICLE)
    assert not doc.xpath("//*[@class='byline-updated']")


def test_hero_has_alt_size_and_credit(demo_site):
    doc = page(demo_site, ARTICLE)
    img = doc.xpath("//figure[@class='hero']//img")[0]
    assert img.get("alt").startswith("Abstract illustration")
    assert (img.get("width"), img.get("height")) == ("1200", "675")
    # the widest JPEG variant; the <picture> offers WebP and smaller widths first
    src = img.get("src")
    assert re.search(r"images/variants/cash-flow-is-a-calendar-\w{8}-1200\.jpg$", src)
    assert (demo_site / src.removeprefix("../")).is_file()
    credit = doc.xpath("string(//figcaption[@class='hero-credit'])")
    assert credit == "Image: Illustration by The Counter"


def test_body_typography_has_curly_quotes_and_dashes(demo_site):
    body = page(demo_site, ARTICLE).xpath("//div[@class='story-body']")[0].text_content()
    assert "’" in body and "–" in body
    assert "'" not in body and '"' not in body and " -- " not in body


def test_tags_and_share_links_are_plain_links(demo_site):
    doc = page(demo_site, ARTICLE)
    assert [a.text for a in doc.xpath("//nav[@class='tags']//a")] == ["cash flow", "planning"]
    links = {a.text: a.get("href") for a in doc.xpath("//nav[@class='share']//a")}
    assert set(links) == {"LinkedIn", "X", "Facebook", "Email"}
    assert urlparse(links["LinkedIn"]).netloc == "www.linkedin.com"
    assert urlparse(links["X"]).netloc == "x.com"
    assert urlparse(links["Facebook"]).netloc == "www.facebook.com"
    assert links["Email"].startswith("mailto:?subject=Cash%20flow")
    # no third-party script: the one script is the theme's own copy-link helper, deferred
    scripts = doc.xpath("//script[not(@type='application/ld+json')]")
    assert [(s.get("src"), s.get("defer") is not None, s.text) for s in scripts] == [
        ("../theme/js/copy-link.js", True, None)
    ]


def test_share_links_carry_the_absolute_article_url_when_published(demo_publish):
    doc = page(demo_publish, ARTICLE)
    href = doc.xpath("//nav[@class='share']//a[.='LinkedIn']/@href")[0]
    assert parse_qs(urlparse(href).query)["url"] == [
        "https://thecounter.example.com/cash-flow-is-a-calendar/"
    ]


def test_author_bio_box_has_photo_bio_and_links(demo_site):
    bio = page(demo_site, ARTICLE).xpath("//aside[@class='author-bio']")[0]
    photo = bio.xpath(".//img")[0]
    assert photo.get("alt") and re.search(
        r"images/variants/priya-nair-\w{8}-96\.png$", photo.get("src")
    )
    # the role line stands after the body instead (test_role_line_comes_before_the_share_links)
    assert not bio.xpath(".//*[@class='author-role']")
    assert "ninety small businesses" in bio.xpath("string(.//*[@class='author-text'])")
    assert [a.text for a in bio.xpath(".//ul[@class='author-links']//a")] == [
        "Ledgerlight",
        "LinkedIn",
    ]


def test_newsletter_signup_posts_to_the_subscription_service(demo_site):
    signup = page(demo_site, ARTICLE).xpath("//section[@class='signup']")[0]
    assert (
        signup.xpath("string(.//h2)") == "If you enjoyed this article, why not join our newsletter?"
    )
    form = signup.xpath(".//form")[0]
    # The demo sends through SMTP, so its form posts to Byline's own service.
    assert form.get("action") == "http://127.0.0.1:8040/subscribe"
    assert form.get("method") == "post"
    assert form.xpath(".//input[@type='email' and @name='email' and @required]")
    label_for = form.xpath(".//label/@for")[0]
    assert form.xpath(f".//input[@id='{label_for}']")
    # The page the reader signed up on goes with their consent; the honeypot is out of
    # sight and out of the tab order.
    assert form.xpath(".//input[@name='page']/@value") == [f"http://127.0.0.1:8000/{ARTICLE}"]
    trap = form.xpath(".//div[@class='signup-trap']")[0]
    assert trap.get("aria-hidden") == "true"
    assert trap.xpath(".//input[@name='website']/@tabindex") == ["-1"]


def test_with_buttondown_the_form_posts_to_its_embed_form(tmp_path):
    embed = "https://buttondown.com/api/emails/embed-subscribe/thecounter"
    output = build(
        tmp_path / "out",
        BYLINE_SEND_PROVIDER="buttondown",
        BYLINE_NEWSLETTER_FORM_URL=embed,
        BYLINE_IMAGE_VARIANTS=False,
        BYLINE_SOCIAL_CARDS=False,
    )
    form = page(output, ARTICLE).xpath("//section[@class='signup']//form")[0]
    assert form.get("action") == embed
    assert not form.xpath(".//input[@name='website' or @name='page']")


def test_more_from_lists_the_authors_other_stories_not_already_related(demo_site):
    doc = page(demo_site, "say-no-to-friday-deadlines/")
    block = doc.xpath("//section[contains(@class,'more-from')]")[0]
    assert block.xpath("string(.//h2)") == "More from Maya Okafor"
    hrefs = [a.get("href") for a in block.xpath(".//h3/a")]
    # Maya's three other pieces, newest first, less the two Related stories lists already
    assert [h.strip("./").split("/")[-1] for h in hrefs] == ["stop-boosting-posts"]
    related = doc.xpath("//section[contains(@class,'related-stories')]//h3/a/@href")
    assert sum("case-for-a-boring-newsletter" in h for h in related) == 1
    assert sum("about-page-does-the-selling" in h for h in related) == 1
    # and the same section's stories (Clients) by others are all in Related too
    assert not doc.xpath("//section[contains(@class,'more-in-section')]")
