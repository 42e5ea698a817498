"""The kicker: the short label over an article's headline ("Opinion", "Analysis").

A post's own ``Kicker:`` line wins; otherwise the site's ``BYLINE_KICKER``; when both are
empty the page shows the section label, as it always did. Kept apart from Pelican so the
choice can be tested on plain strings.
"""

from __future__ import annotations


def choose_kicker(own: object, site_default: object) -> str:
    """The kicker to print, or "" for "show the section label instead".

    Runs of white space (a line continued in the header, a tab) become one space, so the
    label prints on one line as written.
    """
    for value in (own, site_default):
        text = " ".join(str(value or "").split())
        if text:
            return text
    return ""
