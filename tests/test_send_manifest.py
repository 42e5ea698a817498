"""The sender reads only the exported manifest and its two email files, and says what is wrong.

Each broken export below is what a user meets after a cut build, a hand edit or a copied
folder; the message names the file and what to do.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from byline.sending import ManifestError, load_issue

EXPORT = Path(__file__).parent / "fixtures" / "send" / "output"
ISSUE = "newsletter/7"


@pytest.fixture
def output(tmp_path) -> Path:
    folder = tmp_path / "output"
    shutil.copytree(EXPORT, folder)
    return folder


def _edit_manifest(folder: Path, **changes) -> Path:
    path = folder / "manifest.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_the_exported_issue_loads_from_its_folder(output):
    issue = load_issue(output / ISSUE)
    assert issue.number == 7 and issue.subject.startswith("The Counter Weekly #7")
    assert issue.site_url == "https://example.com"  # from the archive URL
    assert "{{unsubscribe_url}}" in issue.html and "{{unsubscribe_url}}" in issue.text
    assert issue.sendable and not issue.frozen


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"subject": None}, "missing subject"),
        ({"schema_version": 2}, "schema_version 2 is not one this sender knows (1)"),
        (
            {"paths": {"html": "newsletter/7/email.html"}},
            "paths.html and paths.text are required",
        ),
        (
            {"paths": {"html": "newsletter/7/email.html", "text": "../../secrets.txt"}},
            "paths.text points outside the output folder",
        ),
        (
            {"paths": {"html": "newsletter/7/email.html", "text": "newsletter/7/gone.txt"}},
            "cannot read newsletter/7/gone.txt",
        ),
        (
            {"paths": {"html": "newsletter/9/email.html", "text": "newsletter/9/email.txt"}},
            "cannot find newsletter/9/email.html next to it; was the build cut?",
        ),
        (
            {"unsubscribe_token": "{{unsub}}"},
            "newsletter/7/email.html has no {{unsub}} placeholder, so readers could not "
            "unsubscribe",
        ),
        ({"subject": "\u2028\x0b "}, "the subject is empty; give the issue a subject"),
    ],
)
def test_a_broken_manifest_names_the_problem(output, changes, message):
    manifest = _edit_manifest(output / ISSUE, **changes)
    with pytest.raises(ManifestError) as caught:
        load_issue(manifest)
    assert str(caught.value).startswith(f"{manifest}:")
    assert message in str(caught.value)


def test_no_build_yet_says_how_to_export_the_issue(tmp_path):
    with pytest.raises(ManifestError, match="not found: build the production site with"):
        load_issue(tmp_path / "manifest.json")


@pytest.mark.parametrize(
    ("text", "message"), [('{"id": ', "is not readable JSON"), ("[1]", "expected a JSON object")]
)
def test_a_manifest_that_is_not_an_object_is_refused(output, text, message):
    (output / ISSUE / "manifest.json").write_text(text, encoding="utf-8")
    with pytest.raises(ManifestError, match=message):
        load_issue(output / ISSUE / "manifest.json")


def test_an_output_folder_given_by_hand_is_where_the_paths_start(output, tmp_path):
    moved = tmp_path / "elsewhere"
    shutil.copytree(output / ISSUE, moved)
    with pytest.raises(ManifestError, match="was the build cut"):
        load_issue(moved / "manifest.json")
    assert load_issue(moved / "manifest.json", output).number == 7


def test_a_frozen_copy_reads_the_files_beside_it_and_refuses_edited_ones(output, tmp_path):
    frozen = tmp_path / "data" / "newsletter" / "7"
    shutil.copytree(output / ISSUE, frozen)
    issue = load_issue(frozen, frozen=True)
    assert issue.frozen and issue.folder == frozen.resolve()
    (frozen / "email.txt").write_text("edited after sending {{unsubscribe_url}}\n")
    with pytest.raises(ManifestError) as caught:
        load_issue(frozen, frozen=True)
    assert "the frozen copy's email files do not match its content_hash" in str(caught.value)
    assert f"restore them from git (git checkout -- {frozen})" in str(caught.value)
