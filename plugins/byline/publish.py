"""Deploying a built site: to a folder, over rsync, or to a Git branch for GitHub Pages.

`invoke publish` runs the steps in order (refresh pageviews, lint, production build,
deploy) and calls these functions; each raises ``PublishError`` with what to fix
before anything is changed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

TARGETS = ("rsync", "github-pages", "folder")


class PublishError(RuntimeError):
    """Publishing cannot go on; the message names the setting or step to fix."""


def check_site_url(site_url: str) -> str:
    """The production address must be a full http(s) URL: links, feeds and emails use it."""
    if not str(site_url or "").startswith(("http://", "https://")):
        raise PublishError(
            "SITEURL is not set in publishconf.py (or BYLINE_SITEURL in the environment); "
            "set it to the address the site is published at, e.g. https://example.com"
        )
    return str(site_url).rstrip("/")


def check_target(settings: dict) -> str:
    """The deploy target and its settings, checked before anything is built or sent."""
    target = settings.get("BYLINE_DEPLOY_TARGET", "rsync")
    if target not in TARGETS:
        raise PublishError(
            f"BYLINE_DEPLOY_TARGET is {target!r}; use one of {', '.join(TARGETS)} in pelicanconf.py"
        )
    if target == "rsync":
        missing = [
            name
            for name in (
                "BYLINE_DEPLOY_SSH_USER",
                "BYLINE_DEPLOY_SSH_HOST",
                "BYLINE_DEPLOY_SSH_PATH",
            )
            if not settings.get(name)
        ]
        if missing:
            raise PublishError(
                f"set {', '.join(missing)} in pelicanconf.py (the server to rsync to), or "
                'choose BYLINE_DEPLOY_TARGET = "github-pages" or "folder"'
            )
    if target == "folder" and not settings.get("BYLINE_DEPLOY_FOLDER"):
        raise PublishError('set BYLINE_DEPLOY_FOLDER in pelicanconf.py (where "folder" copies to)')
    return target


def deploy_to_folder(output: Path, folder: Path) -> None:
    """Replace the folder's contents with the built site, swapping in one step."""
    folder = folder.resolve()
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    shutil.copytree(output, staging, dirs_exist_ok=True)
    old = folder.with_name(f".{folder.name}-old")
    if old.exists():
        shutil.rmtree(old)
    if folder.exists():
        folder.rename(old)
    staging.rename(folder)
    if old.exists():
        shutil.rmtree(old)


def deploy_with_rsync(output: Path, settings: dict) -> None:
    """pelican-quickstart's rsync over SSH, with its flags."""
    command = [
        "rsync",
        "--delete",
        "--exclude",
        ".DS_Store",
        "-pthrvz",
        "-c",
        "-e",
        f"ssh -p {settings.get('BYLINE_DEPLOY_SSH_PORT', 22)}",
        str(output).rstrip("/") + "/",
        f"{settings['BYLINE_DEPLOY_SSH_USER']}@{settings['BYLINE_DEPLOY_SSH_HOST']}:"
        f"{settings['BYLINE_DEPLOY_SSH_PATH']}",
    ]
    _run(command, "rsync")


def deploy_to_git_branch(output: Path, settings: dict, message: str, cwd: Path) -> None:
    """ghp-import: commit the site to the Pages branch and push it to the remote."""
    command = [
        sys.executable,
        "-m",
        "ghp_import",
        "-n",
        "-b",
        settings.get("BYLINE_GITHUB_PAGES_BRANCH", "gh-pages"),
        "-m",
        message,
        "-r",
        settings.get("BYLINE_DEPLOY_GIT_REMOTE", "origin"),
        "-p",
        str(output),
    ]
    _run(command, "ghp-import", cwd=cwd)  # run as a module: the venv need not be active


def _run(command: list[str], name: str, cwd: Path | None = None) -> None:
    if shutil.which(command[0]) is None and not os.path.exists(command[0]):
        raise PublishError(
            f"{name} is not installed; install it, or choose another BYLINE_DEPLOY_TARGET"
        )
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()[-3:]
        raise PublishError(
            f"{name} failed: {' / '.join(detail) or 'exit ' + str(result.returncode)}"
        )
