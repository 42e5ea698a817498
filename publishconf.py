"""Production settings: absolute URLs, feeds on, a clean output folder.

Used by `invoke preview`, `invoke publish` and `invoke gh-pages`.
"""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

# The address readers use, without a trailing slash; `invoke publish` refuses the placeholder.
SITEURL = os.environ.get("BYLINE_SITEURL", "https://thecounter.example.com")
RELATIVE_URLS = False
# The subscription service behind the same domain (README: "Subscriptions"); newsletter.send
# signs each reader's unsubscribe link for it and reads the readers from its database.
BYLINE_SUBSCRIPTIONS_URL = SITEURL + "/subscriptions"

FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = "feeds/section/{slug}.atom.xml"
AUTHOR_FEED_ATOM = "feeds/author/{slug}.atom.xml"
AUTHOR_FEED_RSS = None

# The production site has its own folder, so a local build (relative URLs, links to
# 127.0.0.1) can never be deployed or mailed by mistake, and `invoke serve` keeps
# showing the local build in output/.
OUTPUT_PATH = "public"
CACHE_PATH = "cache/production"
DELETE_OUTPUT_DIRECTORY = True
