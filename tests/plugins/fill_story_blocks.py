"""Test-only plugin: hands the theme's story blocks fixed lists, as later features will.

Related stories: the other articles by slug, Z to A. More from: the first other one by
slug; More in: the second. Most read: the first three by slug (on an article page,
without the article itself). The theme must print exactly these, in
this order: deduping them is the plugin's work (plugins/byline/blocks.py), not the theme's.
"""

from byline.plugin import MostReadBlock
from pelican import signals


def fill(generator) -> None:
    articles = sorted(generator.articles, key=lambda a: a.slug)
    for article in articles:
        article.related = [a for a in reversed(articles) if a is not article]
        others = [a for a in articles if a is not article]
        article.more_from, article.more_in = others[:1], others[1:2]
        article.most_read = [a for a in articles[:3] if a is not article]
    generator.context["most_read"] = MostReadBlock(articles[:3], "Most read", ranked=True)


def register() -> None:
    signals.article_generator_finalized.connect(fill)
