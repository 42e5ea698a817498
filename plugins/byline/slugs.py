"""The one slugify: the address Pelican gives a title, file name, section, tag or author.

``invoke lint`` predicts the build's URLs (slug clashes, links to posts) and ``invoke
new-post`` names the file the build will publish, so both must slug exactly as Pelican
does, and neither should pay for importing Pelican. This is Pelican 4.12's ``slugify``
(tags stripped, NFKC, unidecode, the regex substitutions, lower case) on the same two
libraries Pelican itself uses.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from markupsafe import Markup
from unidecode import unidecode

# Pelican's DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"].
PELICAN_SUBSTITUTIONS: tuple[tuple[str, str], ...] = (
    (r"[^\w\s-]", ""),
    (r"(?u)\A\s*", ""),
    (r"(?u)\s*\Z", ""),
    (r"[-\s]+", "-"),
)


def slugify(
    value: str,
    regex_subs: Iterable[tuple[str, str]] = PELICAN_SUBSTITUTIONS,
    preserve_case: bool = False,
    use_unicode: bool = False,
) -> str:
    """The slug Pelican makes of ``value`` with these options (its defaults unless given)."""
    value = unicodedata.normalize("NFKC", Markup(value).striptags())
    if not use_unicode:
        value = unidecode(value)
    for pattern, replacement in regex_subs:
        value = re.sub(
            unicodedata.normalize("NFKC", pattern),
            unicodedata.normalize("NFKC", replacement),
            value,
            flags=re.IGNORECASE,
        )
    if not preserve_case:
        value = value.lower()
    return value.strip()


def site_slugify(value: str, settings: Mapping[str, Any], kind: str = "") -> str:
    """The slug the site's settings give ``value``; ``kind`` ("CATEGORY", "TAG", "AUTHOR")
    picks that taxonomy's own ``<KIND>_REGEX_SUBSTITUTIONS`` first, as Pelican does."""
    subs = settings.get("SLUG_REGEX_SUBSTITUTIONS", PELICAN_SUBSTITUTIONS)
    if kind:
        subs = settings.get(f"{kind}_REGEX_SUBSTITUTIONS", subs)
    return slugify(
        value,
        regex_subs=subs,
        preserve_case=bool(settings.get("SLUGIFY_PRESERVE_CASE", False)),
        use_unicode=bool(settings.get("SLUGIFY_USE_UNICODE", False)),
    )
