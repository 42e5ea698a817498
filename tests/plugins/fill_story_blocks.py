"""Test-only plugin: hands the theme's story blocks fixed lists, as later features will.

Related stories: the other articles by slug, Z to A. Most read: the first three by slug.
The theme must print exactly these, in this order.
"""

from byline.plugin import MostReadBlock
from pelican import signals


def fill(generator) -> None:
    articles = sorted(generator.articles, key=lambda a: a.slug)
    for article in articles:
        article.related = [a for a in reversed(articles) if a is not article]
    generator.context["most_read"] = MostReadBlock(articles[:3], "Most read", ranked=True)


def register() -> None:
    signals.article_generator_finalized.connect(fill)
