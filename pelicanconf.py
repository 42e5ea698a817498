"""Settings for working on the site locally: relative URLs, feeds as in production.

Byline's own settings (BYLINE_*) have defaults in plugins/byline/settings.py; the README
lists them all. Set here only what your site changes.
"""

AUTHOR = "Maya Okafor"
SITENAME = "The Counter"
SITESUBTITLE = "Opinion from people who run small businesses"
# Pages link relatively (any port works); feeds need absolute links, which point at
# `invoke serve`, as the newsletter's do. publishconf.py sets the real address.
SITEURL = "http://127.0.0.1:8000"

PATH = "content"
SLUGIFY_SOURCE = "basename"  # content/<slug>.md is published at /<slug>/
THEME = "theme"
# Byline's glue (plugins/byline/plugin.py), found through `pip install -e .`
PLUGINS = ["byline.plugin", "sitemap"]

TIMEZONE = "Europe/London"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%-d %B %Y"

# Pretty URLs: /slug/, /section/money/, /author/maya-okafor/
ARTICLE_URL = "{slug}/"
ARTICLE_SAVE_AS = "{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
CATEGORY_URL = "section/{slug}/"
CATEGORY_SAVE_AS = "section/{slug}/index.html"
CATEGORIES_URL = "sections/"
CATEGORIES_SAVE_AS = "sections/index.html"
AUTHOR_URL = "author/{slug}/"
AUTHOR_SAVE_AS = "author/{slug}/index.html"
AUTHORS_URL = "authors/"
AUTHORS_SAVE_AS = "authors/index.html"
TAG_URL = "tag/{slug}/"
TAG_SAVE_AS = "tag/{slug}/index.html"
TAGS_URL = "tags/"
TAGS_SAVE_AS = "tags/index.html"
ARCHIVES_URL = "archives/"
ARCHIVES_SAVE_AS = "archives/index.html"
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)
DEFAULT_PAGINATION = 10
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""

# The same feeds as the production site, so the preview shows what readers will get
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = "feeds/section/{slug}.atom.xml"
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = "feeds/author/{slug}.atom.xml"
AUTHOR_FEED_RSS = None

RELATIVE_URLS = True

# The theme escapes everything it prints; article bodies are marked safe where shown.
# auto_reload off: every build (and every rebuild of `invoke livereload`) makes a new
# template environment anyway, so checking each template file's time on every include
# (thousands of stat calls on a big site) buys nothing.
JINJA_ENVIRONMENT = {
    "trim_blocks": True,
    "lstrip_blocks": True,
    "autoescape": True,
    "auto_reload": False,
}

# Typography: curly quotes and dashes from straight ones
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.smarty": {"smart_angled_quotes": False},
        "markdown.extensions.meta": {},
    },
    "output_format": "html5",
}

STATIC_PATHS = ["images", "extra"]
EXTRA_PATH_METADATA = {
    "extra/favicon.ico": {"path": "favicon.ico"},
}
TEMPLATE_PAGES = {"robots.txt": "robots.txt"}
SITEMAP = {"format": "xml", "exclude": ["tag/", "tags/", "authors/", "sections/", "404.html"]}

# Byline (see the README's settings table for the rest)
BYLINE_PUBLISHER = "Fernhill Works"
BYLINE_PUBLISHER_LOGO = "theme/images/logo.png"
BYLINE_DEFAULT_IMAGE = "images/social-card.jpg"
BYLINE_NEWSLETTER_NAME = "The Counter Weekly"
# The sign-up form posts to Byline's subscription service (`invoke subscriptions.serve`),
# because the newsletter goes out through SMTP below. With Buttondown instead, set
# BYLINE_SEND_PROVIDER = "buttondown" and BYLINE_NEWSLETTER_FORM_URL to its embed form.
# Here: the service on this computer, to try sign-up, confirmation and unsubscribe locally
# (publishconf.py has the real address).
BYLINE_SUBSCRIPTIONS_URL = "http://127.0.0.1:8040"

# Most read: the build reads data/pageviews.json; `invoke pageviews` refreshes it from
# BYLINE_PAGEVIEWS_SOURCE (here the sample export data/pageviews-export.csv).
BYLINE_PAGEVIEWS_SOURCE = "file"
BYLINE_PAGEVIEWS_REDIRECTS = {"/2026/08/cash-flow-calendar.html": "/cash-flow-is-a-calendar/"}
# The demo's sample snapshot never goes stale; on a real site keep the default (7 days).
BYLINE_MOST_READ_MAX_AGE_DAYS = 0

# Newsletter digest: one issue a week, exported on every build into output/newsletter/
BYLINE_NEWSLETTER_PERIOD = "weekly"
BYLINE_NEWSLETTER_WEEKDAY = "friday"  # columns appear on Tuesdays
BYLINE_NEWSLETTER_FROM_NAME = "The Counter"
BYLINE_NEWSLETTER_POSTAL_ADDRESS = "Fernhill Works, 12 Corn Street, Ashby Vale AV1 2CS"

# Sending (`invoke newsletter.send`): secrets come only from the environment:
# BYLINE_SMTP_PASSWORD, BYLINE_UNSUBSCRIBE_SECRET, BUTTONDOWN_API_KEY.
BYLINE_SEND_PROVIDER = "smtp"
BYLINE_SEND_FROM_ADDRESS = "news@thecounter.example.com"
BYLINE_SEND_SMTP_HOST = "smtp.example.com"
BYLINE_SEND_SMTP_USERNAME = "news@thecounter.example.com"
