"""Byline: a publishing kit for opinion columns and a newsletter, built on Pelican.

This package is only a face. Importing it (or any core under it: related stories, Most
read, pageviews, the newsletter, sending, lint) loads no Pelican, so the cores can be
used and tested on plain data. The Pelican glue lives in ``byline.plugin``, which is
what ``PLUGINS`` in pelicanconf.py names; Python finds the package through the editable
install (``pip install -e .``), and through nothing else.
"""

from __future__ import annotations


def register() -> None:
    """Connect the plugin when a settings file names plain ``byline`` in ``PLUGINS``.

    Sites set up before the glue had its own module still say ``PLUGINS = ["byline"]``;
    Pelican calls this then, and the glue is imported only now, so the face stays light.
    """
    from .plugin import register as register_plugin

    register_plugin()
