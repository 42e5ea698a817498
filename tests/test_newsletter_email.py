"""The email as a reader sees it: HTML with inlined styles, and its plain-text twin."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import lxml.html
import newsletter_kit as h
from byline.newsletter import (
    UNSUBSCRIBE_TOKEN,
    add_utm,
    compose,
    plan_issues,
    render_email_html,
    render_email_text,
)
from byline.newsletter.email_html import BASE_CSS, MEDIA_CSS

FIXTURES = Path(__file__).parent / "fixtures" / "newsletter"


CAMPAIGN = "utm_source=newsletter&utm_medium=email&utm_campaign=the-counter-weekly-3"


def render(number=3, override=None, **overrides):
    issue, conf = h.issue(number, override, **overrides)
    return issue, render_email_html(issue, conf), render_email_text(issue, conf)


def doc(html):
    return lxml.html.document_fromstring(html)


def select(page, selector):
    """A tiny stand-in for cssselect: 'tag.class' optionally followed by ' tag'."""
    path = ""
    for part in selector.split():
        tag, _, name = part.partition(".")
        test = f"[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]" if name else ""
        path += f"//{tag or '*'}{test}"
    return page.xpath(path)


def utm(url):
    return f"{url}?{CAMPAIGN}"


def without_media_blocks(css):
    """The CSS left after removing every @media { ... } block, braces matched."""
    out, depth, i = [], 0, 0
    while i < len(css):
        if depth == 0 and css.startswith("@media", i):
            i = css.index("{", i) + 1
            depth = 1
            continue
        if depth:
            depth += {"{": 1, "}": -1}.get(css[i], 0)
        else:
            out.append(css[i])
        i += 1
    return "".join(out)


# -- what the reader sees ---------------------------------------------------------------


def test_the_email_holds_the_lead_the_other_stories_and_most_read():
    issue, html, _ = render()
    page = doc(html)
    body_text = page.text_content()
    lead = select(page, "h1.lead-title a")[0]
    assert lead.text_content() == "My apprentice taught me to delegate"
    assert lead.get("href") == utm("https://example.com/apprentice-taught-me-to-delegate/")
    assert "Letting go of the till was the hardest part." in body_text
    assert "By Maya Okafor" in body_text
    other = select(page, "h2.headline a")
    assert [a.text_content() for a in other] == ["Your about page does the selling"]
    assert "By Priya Shah · Marketing" in body_text
    assert "People buy from people; show them who." in body_text
    # Most read: ranked, minus the two stories already in this issue.
    ranked = [a.text_content() for a in select(page, "td.ranked a")]
    assert ranked == ["An old favourite", "Evergreen pricing"]
    assert "Most read" in body_text


def test_the_lead_image_is_600_wide_with_alt_text():
    _, html, _ = render()
    hero = select(doc(html), "img.hero")[0]
    assert hero.get("src") == "https://example.com/images/600/apprentice.jpg"
    assert hero.get("width") == "600"
    assert hero.get("height") == "338"  # 1200x675 scaled to 600 wide
    assert hero.get("alt") == "Two people at a workbench"


def test_every_image_has_width_and_alt_and_every_link_is_absolute():
    for number in (1, 2, 3):
        _, html, _ = render(number, "3.md" if number == 3 else None)
        page = doc(html)
        for image in page.iter("img"):
            assert image.get("width", "").isdigit() and image.get("alt"), lxml.html.tostring(image)
        for element in page.xpath("//*[@href or @src]"):
            url = element.get("href") or element.get("src")
            assert url == UNSUBSCRIBE_TOKEN or url.startswith("https://"), url


def test_view_in_browser_links_to_the_archive_page():
    _, html, text = render()
    link = [a for a in doc(html).iter("a") if a.text_content() == "View in browser"]
    assert [a.get("href") for a in link] == [utm("https://example.com/newsletter/3/")]
    assert "View in browser:\n" + utm("https://example.com/newsletter/3/") in text


def test_one_call_to_action_forward_by_default_reply_when_set():
    _, html, text = render()
    for output in (doc(html).text_content(), text):
        assert output.count("Forward this email to a friend") == 1
        assert "hit reply" not in output
    signup = [a for a in doc(html).iter("a") if a.text_content().startswith("Sign up")]
    # forwarded readers land where the sign-up form is, not on the home page
    assert [a.get("href") for a in signup] == [utm("https://example.com/newsletter/")]
    _, html, text = render(BYLINE_NEWSLETTER_CALL_TO_ACTION="reply")
    for output in (doc(html).text_content(), text):
        assert output.count("Just hit reply") == 1
        assert "Forward this email" not in output


def test_footer_has_reason_unsubscribe_token_and_postal_address():
    _, html, text = render()
    page = doc(html)
    footer = select(page, "td.footer")[0]
    assert "You get this because you signed up at example.com." in footer.text_content()
    unsubscribe = [a for a in footer.iter("a") if a.text_content() == "Unsubscribe"]
    assert [a.get("href") for a in unsubscribe] == [UNSUBSCRIBE_TOKEN] == ["{{unsubscribe_url}}"]
    for line in ("Fernhill Works", "12 Mill Lane", "Leeds LS1 4AB"):
        assert line in footer.text_content()
        assert line in text
    assert "Unsubscribe:\n{{unsubscribe_url}}" in text
    assert "You get this because you signed up at example.com." in text


def test_most_read_is_left_out_when_nothing_is_left_to_show():
    conf = h.settings()
    plan = plan_issues(h.load_stories(), conf)[2]
    duplicates = [s for s in plan.stories]  # only stories already in the issue
    issue = compose(plan, conf, duplicates, None, "https://example.com/newsletter/3/")
    assert issue.most_read == ()
    html, text = render_email_html(issue, conf), render_email_text(issue, conf)
    assert "Most read" not in html
    assert "MOST READ" not in text


def test_the_head_has_language_title_colour_schemes_and_a_hidden_preheader():
    issue, html, _ = render()
    page = doc(html)
    assert page.get("lang") == "en"
    assert page.find(".//title").text == issue.subject
    metas = {m.get("name"): m.get("content") for m in page.iter("meta") if m.get("name")}
    assert metas["color-scheme"] == "light dark"
    assert metas["supported-color-schemes"] == "light dark"
    hidden = page.xpath("//body/div[contains(@style, 'display: none')]")[0]
    assert hidden.text_content().startswith("Letting go of the till was the hardest part.")
    assert "\u200c\u00a0" * 20 in hidden.text_content()  # padding keeps body text out of previews


def test_layout_is_presentation_tables_600_wide_with_an_outlook_wrapper():
    _, html, _ = render()
    page = doc(html)
    assert page.xpath("//table") and all(
        t.get("role") == "presentation" for t in page.iter("table")
    )
    assert select(page, "table.container")[0].get("width") == "600"
    assert '<!--[if mso]><table role="presentation" width="600"' in html
    assert "<![endif]-->" in html


def test_no_script_and_no_form():
    for override in (None, "3.md"):
        page = doc(render(3, override)[1])
        assert not page.xpath("//script | //form | //iframe")


def test_titles_with_markup_characters_are_escaped():
    conf = h.settings()
    story = h.story("profit-loss", "2026-11-18T09:00:00+00:00", title='Profit & <Loss> "now"')
    plan = plan_issues([story], conf)[0]
    issue = compose(plan, conf, [], None, "https://example.com/newsletter/1/")
    page = doc(render_email_html(issue, conf))
    assert select(page, "h1.lead-title a")[0].text_content() == 'Profit & <Loss> "now"'
    assert 'Profit & <Loss> "now"' in render_email_text(issue, conf)


# -- inlining and dark mode --------------------------------------------------------------


def test_only_media_queries_remain_in_style_and_they_include_dark_mode():
    _, html, _ = render(3, "3.md")
    styles = [s.text_content() for s in doc(html).iter("style")]
    assert len(styles) == 1
    assert without_media_blocks(styles[0]).strip() == ""
    assert "@media (prefers-color-scheme: dark)" in styles[0]
    assert "!important" in styles[0]


def test_every_element_styled_by_a_class_rule_carries_the_style_inline():
    classes = set(re.findall(r"\.([a-z][a-z-]*)\s*[{,]", BASE_CSS))
    assert {"masthead", "standfirst", "footer", "cta", "hero"} <= classes
    seen = set()
    for override in (None, "3.md"):  # with and without a hero image and an intro
        page = doc(render(3, override)[1])
        for element in page.xpath("//*[@class]"):
            for name in element.get("class").split():
                if name in classes:
                    seen.add(name)
                    assert element.get("style"), f"<{element.tag} class={name}> is unstyled"
    assert seen == classes  # every rule was used, so every rule was checked
    masthead = select(page, "td.masthead")[0].get("style")
    assert "font-size: 30px" in masthead
    # Dark-mode rules target classes that are really in the email.
    dark_classes = set(re.findall(r"\.([a-z][a-z-]*)", MEDIA_CSS))
    assert dark_classes <= seen


# -- links and campaign parameters ----------------------------------------------------


def test_site_links_carry_campaign_parameters_merged_into_existing_queries():
    issue, html, text = render(3, "3.md")
    assert issue.campaign == "the-counter-weekly-3"
    hrefs = [a.get("href") for a in doc(html).iter("a")]
    site_links = [u for u in hrefs if u.startswith("https://example.com")]
    assert site_links
    for url in site_links:
        query = parse_qs(urlsplit(url).query)
        assert query["utm_source"] == ["newsletter"]
        assert query["utm_medium"] == ["email"]
        assert query["utm_campaign"] == ["the-counter-weekly-3"]
    merged = f"https://example.com/ask/?from=intro&{CAMPAIGN}#answers"
    assert merged in hrefs
    assert merged in text
    # Other sites' links are left alone: the campaign is for our own analytics.
    assert "https://other.example.org/guide" in hrefs


def test_campaign_parameters_can_be_switched_off():
    _, html, text = render(3, "3.md", BYLINE_NEWSLETTER_UTM=False)
    assert "utm_" not in html
    assert "utm_" not in text
    assert "https://example.com/ask/?from=intro#answers" in html


def test_add_utm_replaces_old_campaign_keeps_fragment_and_skips_special_links():
    site = "https://example.com"
    assert add_utm("https://example.com/a/?utm_campaign=old&x=1#top", "c-2", site) == (
        "https://example.com/a/?x=1&utm_source=newsletter&utm_medium=email&utm_campaign=c-2#top"
    )
    assert add_utm("mailto:editor@example.com", "c-2", site) == "mailto:editor@example.com"
    assert add_utm(UNSUBSCRIBE_TOKEN, "c-2", site) == UNSUBSCRIBE_TOKEN
    assert add_utm("https://example.com/a/", "c-2", site, enabled=False) == "https://example.com/a/"


# -- the plain-text twin --------------------------------------------------------------


def test_the_text_twin_has_every_link_of_the_html():
    _, html, text = render(3, "3.md")
    hrefs = {a.get("href") for a in doc(html).iter("a")}
    text_urls = set(re.findall(r"(?:https?://|\{\{)\S+", text))
    assert hrefs <= text_urls, hrefs - text_urls


def test_the_text_twin_has_the_same_sections():
    issue, _, text = render(3, "3.md")
    for expected in (
        "THE COUNTER WEEKLY",
        "Issue #3 · 24 November 2026",
        "Hello from the workshop.",
        "Your about page does the selling",  # the editor's lead
        "People buy from people; show them who.",
        "ALSO THIS WEEK",
        "My apprentice taught me to delegate",
        "By Maya Okafor · People",
        "MOST READ",
        "1. An old favourite",
        "2. Evergreen pricing",
        "Forward this email to a friend.",
        UNSUBSCRIBE_TOKEN,
        "Leeds LS1 4AB",
    ):
        assert expected in text, expected
    assert text.count("1. ") == 1  # no duplicate most-read list


def test_the_text_twin_wraps_prose_and_never_breaks_a_url():
    conf = h.settings()
    long_standfirst = " ".join(["A standfirst that keeps going and going"] * 8)
    stories = [
        replace(s, standfirst=long_standfirst) if s.slug == "buy-the-good-chisel" else s
        for s in h.load_stories()
    ]
    plan = plan_issues(stories, conf)[1]
    issue = compose(plan, conf, h.most_read_pool(), None, "https://example.com/newsletter/2/")
    text = render_email_text(issue, conf)
    assert long_standfirst not in text  # it was wrapped
    assert " ".join(text.split()).count(long_standfirst) == 1
    for line in text.splitlines():
        assert len(line) <= 76 or re.fullmatch(r"\s*(\[\d+\] )?https?://\S+", line), line
    assert text.endswith("\n")


def test_rendering_is_identical_every_time():
    assert render(3, "3.md") == render(3, "3.md")
