"""What the sign-up block says about how often the newsletter comes, from its period.

A monthly newsletter that promises "the week's columns" tells readers something untrue
on every page. The period (``BYLINE_NEWSLETTER_PERIOD``) is the one source of the words;
the theme prints what ``signup_wording`` returns. Apostrophes are typographic (’), as
the Markdown ``smarty`` extension makes them in the articles around the block.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..settings import PERIODS
from .periods import PERIOD_LABELS

APOSTROPHE = "\u2019"


@dataclass(frozen=True)
class SignupWording:
    """The sign-up block's period-dependent lines, ready to print (the theme escapes them)."""

    columns: str  # "the week’s columns"
    heading: str  # "Get the week’s columns by email" (the home page's block)
    blurb: str  # "The Counter Weekly: the week’s columns in one short email. ..."


def columns_phrase(period: str) -> str:
    """ "weekly" -> "the week’s columns"; ValueError naming the setting for an unknown one."""
    key = str(period or "").strip().lower()
    if key not in PERIOD_LABELS:
        raise ValueError(
            f"BYLINE_NEWSLETTER_PERIOD is {period!r}; use one of: {', '.join(PERIODS)}"
        )
    return f"the {PERIOD_LABELS[key]}{APOSTROPHE}s columns"


def signup_wording(name: str, period: str) -> SignupWording:
    """The lines for a newsletter called ``name`` that goes out every ``period``."""
    columns = columns_phrase(period)
    return SignupWording(
        columns=columns,
        heading=f"Get {columns} by email",
        blurb=f"{name}: {columns} in one short email. No spam, unsubscribe in one click.",
    )
