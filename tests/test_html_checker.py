"""The Nu HTML checker (vnu.jar) on every page the demo builds, local and published."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from conftest import ROOT

pytestmark = pytest.mark.checker

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_every_built_page_has_zero_html_errors(demo_site, demo_publish):
    if not VNU.exists() or not shutil.which("java"):
        pytest.fail("The Nu HTML checker needs Java and vnu-jar: run scripts/test.")
    # every web page; email.html files are email, held to email's rules in the digest tests
    pages = sorted(
        str(p)
        for site in (demo_site, demo_publish)
        for p in site.rglob("*.html")
        if p.name != "email.html"
    )
    assert len(pages) > 60
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{m.get('url', '').split('/output/')[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert errors == [], "\n".join(errors[:40])
