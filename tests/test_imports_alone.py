"""Byline's cores load without Pelican: they can be used, tested and timed on plain data.

Each check runs in a fresh interpreter, because a module imported earlier in the test
session (or by conftest.py) would hide the very import it is looking for.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# The only modules allowed to import Pelican: the glue and the two Pelican classes it hands
# to Pelican (the Markdown reader and the digest's generator).
GLUE = {"byline.plugin", "byline.reader", "byline.digest"}

CORES = [
    "byline",
    "byline.record",
    "byline.more_from",
    "byline.most_read",
    "byline.images",
    "byline.authors",
    "byline.reading",
    "byline.memo",
    "byline.related",
    "byline.pageviews",
    "byline.newsletter",
    "byline.newsletter_layout",
    "byline.sending",
    "byline.lint",
    "byline.siteurl",
    "byline.settings",
    "byline.search",
    "byline.analytics",
    "byline.subscriptions.store",
    "byline.subscriptions.app",
    "byline.signup_form",
]

_PELICAN_LOADED = (
    "import sys\n"
    "loaded = sorted(m for m in sys.modules if m == 'pelican' or m.startswith('pelican.'))\n"
    "print(' '.join(loaded))\n"
)


def _run(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize("core", CORES)
def test_a_core_imports_without_pelican(core):
    assert _run(f"import {core}\n" + _PELICAN_LOADED) == "", f"{core} loads Pelican"


def test_no_module_outside_the_glue_loads_pelican():
    """Every module of the package at once, whatever new ones are added later."""
    code = (
        "import importlib, pkgutil, byline\n"
        f"glue = {sorted(GLUE)!r}\n"
        "names = [m.name for m in pkgutil.walk_packages(byline.__path__, 'byline.')]\n"
        "for name in names:\n"
        "    if name not in glue and not name.endswith('__main__'):\n"
        "        importlib.import_module(name)\n"
        "print(len(names))\n" + _PELICAN_LOADED
    )
    count, _, loaded = _run(code).partition("\n")
    assert int(count) > 40  # the walk really found the package's modules
    assert loaded == ""


def test_the_glue_is_what_pelican_loads():
    """pelicanconf.py names the glue module; it connects Byline's receivers to Pelican."""
    code = (
        "import runpy\n"
        "conf = runpy.run_path('pelicanconf.py')\n"
        "assert 'PLUGIN_PATHS' not in conf, conf.get('PLUGIN_PATHS')\n"
        "import importlib\n"
        "glue = importlib.import_module(conf['PLUGINS'][0])\n"
        "from pelican import signals\n"
        "glue.register()\n"
        "print(conf['PLUGINS'][0], signals.article_generator_finalized.has_receivers_for(None))\n"
    )
    assert _run(code) == "byline.plugin True"


def test_a_build_without_related_stories_never_loads_numpy(tmp_path):
    """numpy and scipy cost about a second to import; a site with the block off skips them.
    No build ever loads the subscription service's web and database libraries."""
    code = (
        "import sys\n"
        "from pelican import Pelican\n"
        "from pelican.settings import read_settings\n"
        f"override = {{'OUTPUT_PATH': {str(tmp_path / 'out')!r}, "
        f"'CACHE_PATH': {str(tmp_path / 'cache')!r}, 'BYLINE_RELATED_COUNT': 0}}\n"
        "Pelican(read_settings('pelicanconf.py', override=override)).run()\n"
        "heavy = ('numpy', 'scipy', 'sqlalchemy', 'starlette', 'uvicorn')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    assert _run(code).splitlines()[-1] == "[]"
