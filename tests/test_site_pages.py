"""The other pages of the demo site: home, sections, authors, tags, archives and friends."""

from __future__ import annotations

from collections import Counter

from conftest import page


def _titles(output):
    titles = {}
    for path in output.rglob("*.html"):
        if path.name == "email.html":  # newsletter emails are not site pages
            continue
        doc = page(output, str(path.relative_to(output)))
        titles[str(path.relative_to(output))] = doc.findtext(".//title")
    return titles


def test_every_page_has_a_unique_title_and_a_description(demo_site):
    titles = _titles(demo_site)
    duplicates = {t: n for t, n in Counter(titles.values()).items() if n > 1}
    assert not duplicates
    for relative in titles:
        doc = page(demo_site, relative)
        assert doc.xpath("//meta[@name='description']/@content")[0].strip(), relative
        assert len(doc.xpath("//link[@rel='canonical']")) == 1, relative


def test_home_has_lead_story_latest_stories_and_signup(demo_site):
    doc = page(demo_site, "index.html")
    lead = doc.xpath("//article[@class='lead-story']")[0]
    # the newest demo article leads, with its hero image
    assert lead.xpath("string(.//h2)") == "Buy the good chisel: tools that pay for themselves"
    assert lead.xpath(".//img/@alt")[0]
    latest = doc.xpath("//section[@class='latest']//h3/a/text()")
    assert latest[0] == "Keep the spreadsheet a little longer"
    assert "Buy the good chisel: tools that pay for themselves" not in latest
    assert doc.xpath("//section[@class='signup']//form")
    assert doc.xpath("//nav[@class='pagination']//a[@rel='next']")


def test_pagination_reaches_the_oldest_story(demo_site):
    doc = page(demo_site, "page/2/")
    assert "page 2" in doc.findtext(".//title")
    stories = doc.xpath("//ol[contains(@class,'listing')]//h2/a/text()")
    assert "Stop boosting posts and start answering questions" in stories
    assert doc.xpath("//nav[@class='pagination']//a[@rel='prev']")


def test_section_page_lists_only_that_section(demo_site):
    doc = page(demo_site, "section/money/")
    assert doc.xpath("string(//h1)") == "Money"
    labels = set(doc.xpath("//ol[contains(@class,'listing')]//p[@class='section-label']/text()"))
    assert labels == {"Money"}
    assert len(doc.xpath("//ol[contains(@class,'listing')]/li")) == 3


def test_author_page_shows_bio_and_their_columns(demo_site):
    doc = page(demo_site, "author/tomas-reyes/")
    assert doc.xpath("string(//h1)") == "Tomás Reyes"
    assert "Reyes Joinery" in doc.xpath("string(//aside[@class='author-bio'])")
    metas = [
        m.text_content()
        for m in doc.xpath("//ol[contains(@class,'listing')]//p[@class='story-meta']")
    ]
    assert len(metas) == 5 and all(m.startswith("Tomás Reyes") for m in metas)


def test_tag_archives_authors_and_sections_pages(demo_site):
    tag = page(demo_site, "tag/cash-flow/")
    assert tag.xpath("string(//h1)") == "cash flow"
    assert len(tag.xpath("//ol[contains(@class,'listing')]/li")) == 3
    archives = page(demo_site, "archives/")
    assert len(archives.xpath("//ol[@class='archive-list']/li")) == 13
    authors = page(demo_site, "authors/")
    assert len(authors.xpath("//ul[@class='index-list']/li")) == 3
    sections = page(demo_site, "sections/")
    assert len(sections.xpath("//ul[@class='index-list']/li")) == 5


def test_about_newsletter_and_404_pages(demo_site):
    assert page(demo_site, "about/").xpath("string(//h1)") == "About The Counter"
    newsletter = page(demo_site, "newsletter/")
    assert newsletter.xpath("//section[@class='signup']//form")
    missing = page(demo_site, "404.html")
    assert missing.xpath("string(//h1)") == "Page not found"
    assert len(missing.xpath("//section[contains(@class,'latest-stories')]//a")) == 5
    nav = page(demo_site, "index.html").xpath("//nav[@class='site-nav']//a/text()")
    sections = ["Clients", "Marketing", "Money", "People", "Tools"]
    assert nav == [*sections, "About", "Newsletter", "Search"]


def test_signup_form_is_left_out_when_no_provider_is_set(site):
    output = site(
        {"post.md": "Title: One\nDate: 2026-01-01\nSummary: s\n\nBody."},
        BYLINE_NEWSLETTER_FORM_URL="",
        BYLINE_SUBSCRIPTIONS_URL="",
    )
    assert not page(output, "post/").xpath("//form")
    assert not page(output, "index.html").xpath("//form")


def test_sitemap_robots_and_favicon(demo_publish):
    sitemap = (demo_publish / "sitemap.xml").read_text()
    assert "<loc>https://thecounter.example.com/cash-flow-is-a-calendar/</loc>" in sitemap
    assert "404.html" not in sitemap
    robots = (demo_publish / "robots.txt").read_text()
    assert "Sitemap: https://thecounter.example.com/sitemap.xml" in robots
    assert (demo_publish / "favicon.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
    home = page(demo_publish, "index.html")
    assert (
        home.xpath("//link[@rel='icon']/@href")[0] == "https://thecounter.example.com/favicon.ico"
    )
