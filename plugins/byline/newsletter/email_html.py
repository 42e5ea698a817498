"""The email HTML: a 600 px table layout with every style inlined.

Written for the clients people actually read newsletters in: tables with
role="presentation" for layout, an Outlook (MSO) conditional wrapper that pins the
width, absolute URLs, width and alt on every image, a hidden preheader, and no script
or form. Styles are written once as classes in a <style> block and inlined with
``css-inline``; only the @media rules (dark mode, small screens), which cannot be
inlined, stay in the <style> in the head. The unsubscribe token is passed through
untouched for the sending service to fill in.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape, unescape

from .compose import format_date, more_stories_label
from .config import UNSUBSCRIBE_TOKEN, NewsletterSettings
from .links import Linker
from .models import EMAIL_IMAGE_WIDTH, Issue, Story

#: Width of the email column, and of the lead image.
WIDTH = EMAIL_IMAGE_WIDTH  # the layout width; the hero fills it

#: Rules css-inline moves into style="" attributes; none of them survives in <style>.
BASE_CSS = """
.body { margin: 0; padding: 0; background-color: #f4f1ea; }
.wrapper { background-color: #f4f1ea; }
.container { background-color: #ffffff; margin: 0 auto; }
.browser { padding: 12px 32px; font-family: Helvetica, Arial, sans-serif; font-size: 12px;
  line-height: 1.4; color: #5f5b55; text-align: right; background-color: #f4f1ea; }
.browser-link { color: #5f5b55; text-decoration: underline; }
.masthead { padding: 28px 32px 4px 32px; font-family: Georgia, 'Times New Roman', serif;
  font-size: 30px; line-height: 1.2; font-weight: bold; color: #1d1d1b; }
.issue-meta { padding: 0 32px 20px 32px; font-family: Helvetica, Arial, sans-serif;
  font-size: 13px; line-height: 1.4; color: #5f5b55; border-bottom: 1px solid #e2ddd3; }
.intro { padding: 20px 32px 4px 32px; font-family: Georgia, 'Times New Roman', serif;
  font-size: 17px; line-height: 1.6; color: #1d1d1b; }
.intro-link { color: #a33a1e; text-decoration: underline; }
.hero-cell { padding: 0; }
.hero { display: block; width: 100%; max-width: 600px; height: auto; border: 0; }
.story { padding: 20px 32px 8px 32px; }
.kicker { margin: 0 0 6px 0; font-family: Helvetica, Arial, sans-serif; font-size: 12px;
  line-height: 1.4; letter-spacing: 1px; text-transform: uppercase; font-weight: bold;
  color: #a33a1e; }
.lead-title { margin: 0 0 8px 0; font-family: Georgia, 'Times New Roman', serif;
  font-size: 26px; line-height: 1.25; font-weight: bold; color: #1d1d1b; }
.headline { margin: 0 0 6px 0; font-family: Georgia, 'Times New Roman', serif;
  font-size: 20px; line-height: 1.3; font-weight: bold; color: #1d1d1b; }
.title-link { color: #1d1d1b; text-decoration: none; }
.byline { margin: 0 0 8px 0; font-family: Helvetica, Arial, sans-serif; font-size: 13px;
  line-height: 1.4; color: #5f5b55; }
.standfirst { margin: 0 0 10px 0; font-family: Georgia, 'Times New Roman', serif;
  font-size: 17px; line-height: 1.5; color: #3b3935; }
.read-link { font-family: Helvetica, Arial, sans-serif; font-size: 14px; font-weight: bold;
  color: #a33a1e; text-decoration: underline; }
.section-title { padding: 28px 32px 0 32px; font-family: Helvetica, Arial, sans-serif;
  font-size: 13px; line-height: 1.4; letter-spacing: 1px; text-transform: uppercase;
  font-weight: bold; color: #5f5b55; }
.rank { width: 28px; padding: 10px 0; vertical-align: top; font-family: Georgia, serif;
  font-size: 18px; font-weight: bold; color: #a33a1e; }
.ranked { padding: 10px 0; vertical-align: top; font-family: Georgia, serif; font-size: 17px;
  line-height: 1.4; }
.cta { padding: 24px 32px; font-family: Helvetica, Arial, sans-serif; font-size: 15px;
  line-height: 1.5; color: #1d1d1b; background-color: #f4f1ea; text-align: center; }
.cta-link { color: #a33a1e; font-weight: bold; text-decoration: underline; }
.footer { padding: 24px 32px 32px 32px; font-family: Helvetica, Arial, sans-serif;
  font-size: 12px; line-height: 1.6; color: #5f5b55; text-align: center; }
.footer-link { color: #5f5b55; text-decoration: underline; }
"""

#: Rules that cannot live in style="" attributes; the only CSS left in the <style>.
MEDIA_CSS = """
@media (prefers-color-scheme: dark) {
  .body, .wrapper, .browser, .cta { background-color: #161513 !important; }
  .container { background-color: #1f1e1b !important; }
  .masthead, .intro, .lead-title, .headline, .title-link, .cta, .ranked {
    color: #f1ede4 !important; }
  .standfirst { color: #ddd7cc !important; }
  .issue-meta, .byline, .browser, .browser-link, .footer, .footer-link, .section-title {
    color: #b8b2a7 !important; }
  .kicker, .intro-link, .read-link, .cta-link, .rank { color: #f08a6b !important; }
}
@media screen and (max-width: 620px) {
  .container { width: 100% !important; }
  .browser, .masthead, .issue-meta, .intro, .story, .section-title, .cta, .footer {
    padding-left: 20px !important; padding-right: 20px !important; }
  .lead-title { font-size: 23px !important; }
}
"""

#: Zero-width non-joiners and no-break spaces after the preheader, so inbox previews do
#: not run on into the first words of the email.
PREHEADER_PADDING = "\u200c\u00a0" * 80

TEMPLATE = """\
<!DOCTYPE html>
<html lang="{{ language }}" xmlns:v="urn:schemas-microsoft-com:vml" \
xmlns:o="urn:schemas-microsoft-com:office:office">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="x-apple-disable-message-reformatting">
<meta name="format-detection" content="telephone=no, date=no, address=no, email=no">
<meta name="color-scheme" content="light dark">
<meta name="supported-color-schemes" content="light dark">
<title>{{ issue.subject }}</title>
<style>
{{ css }}
</style>
</head>
<body class="body">
<div style="display: none; max-height: 0; max-width: 0; overflow: hidden; mso-hide: all; \
font-size: 1px; line-height: 1px; opacity: 0;" aria-hidden="true">\
{{ issue.preheader }}{{ padding }}</div>
<table role="presentation" class="wrapper" width="100%" cellpadding="0" cellspacing="0" \
border="0">
<tr>
<td align="center">
<!--[if mso]><table role="presentation" width="{{ width }}" align="center" cellpadding="0" \
cellspacing="0" border="0"><tr><td><![endif]-->
<table role="presentation" class="container" width="{{ width }}" cellpadding="0" \
cellspacing="0" border="0" style="width: 100%; max-width: {{ width }}px;">
<tr><td class="browser"><a class="browser-link" href="{{ link(issue.archive_url) }}">\
View in browser</a></td></tr>
<tr><td class="masthead">{{ issue.name }}</td></tr>
<tr><td class="issue-meta">Issue #{{ issue.number }} &middot; {{ date }}</td></tr>
{% if intro %}
<tr><td class="intro">{{ intro }}</td></tr>
{% endif %}
{% set lead = issue.lead %}
{% if lead.image_url %}
<tr><td class="hero-cell" style="padding-top: 20px;"><a href="{{ link(lead.url) }}">\
<img class="hero" src="{{ lead.image_url }}" width="{{ width }}"\
{% if hero_height %} height="{{ hero_height }}"{% endif %} \
alt="{{ lead.image_alt or lead.title }}"></a></td></tr>
{% endif %}
<tr><td class="story">
<p class="kicker">{{ lead.section or "The lead" }}</p>
<h1 class="lead-title"><a class="title-link" href="{{ link(lead.url) }}">{{ lead.title }}</a></h1>
<p class="byline">By {{ lead.author }}</p>
{% if lead.standfirst %}<p class="standfirst">{{ lead.standfirst }}</p>{% endif %}
<a class="read-link" href="{{ link(lead.url) }}">Read the story</a>
</td></tr>
{% if issue.stories or more_label %}
<tr><td class="section-title">Also this {{ issue.period_label }}</td></tr>
{% for story in issue.stories %}
<tr><td class="story">
<h2 class="headline"><a class="title-link" href="{{ link(story.url) }}">{{ story.title }}</a></h2>
<p class="byline">By {{ story.author }}{% if story.section %} &middot; {{ story.section }}\
{% endif %}</p>
{% if story.standfirst %}<p class="standfirst">{{ story.standfirst }}</p>{% endif %}
<a class="read-link" href="{{ link(story.url) }}">Read the story</a>
</td></tr>
{% endfor %}
{% if more_label %}
<tr><td class="story"><a class="read-link" href="{{ link(issue.archive_url) }}">\
{{ more_label }}</a></td></tr>
{% endif %}
{% endif %}
{% if issue.most_read %}
<tr><td class="section-title">Most read</td></tr>
<tr><td class="story">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">
{% for story in issue.most_read %}
<tr><td class="rank">{{ loop.index }}</td>\
<td class="ranked"><a class="title-link" href="{{ link(story.url) }}">{{ story.title }}</a>\
</td></tr>
{% endfor %}
</table>
</td></tr>
{% endif %}
<tr><td style="padding-top: 12px;">&nbsp;</td></tr>
<tr><td class="cta">
{% if issue.call_to_action == "reply" %}
Got a view on this {{ issue.period_label }}'s stories? Just hit reply: an editor reads every \
message.
{% else %}
Know someone who would enjoy this? Forward this email to a friend.<br>
Forwarded this one? <a class="cta-link" href="{{ link(subscribe_url) }}">Sign up for {{ \
issue.name }}</a>.
{% endif %}
</td></tr>
<tr><td class="footer">
{% if reason %}{{ reason }}<br>{% endif %}
<a class="footer-link" href="{{ unsubscribe }}">Unsubscribe</a> &middot; \
<a class="footer-link" href="{{ link(site_url) }}">{{ site_name }}</a><br>
{% for line in address_lines %}{{ line }}{% if not loop.last %}<br>{% endif %}{% endfor %}
</td></tr>
</table>
<!--[if mso]></td></tr></table><![endif]-->
</td>
</tr>
</table>
</body>
</html>
"""


@lru_cache(maxsize=1)
def _template():
    from jinja2 import Environment, StrictUndefined

    environment = Environment(
        autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=StrictUndefined
    )
    return environment.from_string(TEMPLATE)


_HREF = re.compile(r'(<a\b[^>]*?\bhref=")([^"]*)(")')
_A_TAG = re.compile(r"<a\b")


def _intro_html(issue: Issue, link: Linker) -> str:
    """The editor's rendered Markdown, with campaign links and the email's link style."""
    if not issue.intro_html:
        return ""
    html = _HREF.sub(
        lambda m: m.group(1) + escape(link(unescape(m.group(2)))) + m.group(3), issue.intro_html
    )
    return _A_TAG.sub('<a class="intro-link"', html)


def _hero_height(story: Story) -> int | None:
    if story.image_width and story.image_height:
        return round(WIDTH * story.image_height / story.image_width)
    return None


def more_label(issue: Issue) -> str:
    """The "N more stories this week" line, or "" when the email shows every story."""
    return more_stories_label(issue.more_count, issue.period_label) if issue.more_count else ""


def address_lines(address: str) -> list[str]:
    """A postal address given on one line with commas or on several lines."""
    return [line.strip() for line in address.splitlines() if line.strip()]


def render_raw_html(issue: Issue, settings: NewsletterSettings) -> str:
    """The email before inlining, with all styles still in the <style> block."""
    from markupsafe import Markup

    link = Linker(issue.campaign, settings.site_url, settings.utm)
    return _template().render(
        issue=issue,
        language=settings.language,
        css=Markup(BASE_CSS.strip() + "\n" + MEDIA_CSS.strip()),
        padding=PREHEADER_PADDING,
        width=WIDTH,
        date=format_date(issue.date),
        intro=Markup(_intro_html(issue, link)),
        hero_height=_hero_height(issue.lead),
        more_label=more_label(issue),
        link=link,
        subscribe_url=settings.subscribe_url,
        site_url=settings.site_url + "/",
        site_name=settings.site_name,
        reason=settings.reason,
        address_lines=address_lines(settings.postal_address),
        unsubscribe=Markup(UNSUBSCRIBE_TOKEN),
    )


def inline_css(html: str) -> str:
    """Move every plain rule into style="" attributes; keep only @media rules in <style>."""
    import css_inline

    inliner = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)
    return inliner.inline(html)


def render_email_html(issue: Issue, settings: NewsletterSettings) -> str:
    """The finished email HTML, CSS inlined, ready for the sending service."""
    return inline_css(render_raw_html(issue, settings))
