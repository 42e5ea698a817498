"""The publish gate, and deploying a built site: to a folder, over rsync, or to GitHub Pages.

`invoke publish` first asks ``check_before_publish`` whether anything would reach readers
half-finished, local or broken (a placeholder new-post wrote, a missing hero file, a site
URL no reader can open, any lint error, deploy settings that are missing) and refuses with
every problem at once, each naming its file and line, before pageviews are refreshed or
anything is built or deployed. Then it builds and calls the deploy functions here.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .errors import BylineError
from .settings import DEPLOY_TARGETS as TARGETS
from .settings import value
from .siteurl import OVERRIDE, allows_non_public, non_public_reason


class PublishError(BylineError, RuntimeError):
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
    target = value(settings, "BYLINE_DEPLOY_TARGET")
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


@dataclass
class GateResult:
    """What the gate found: problems with settings, and the content checks' findings."""

    site_url: str = ""
    target: str = ""
    problems: list[str] = field(default_factory=list)  # "publishconf.py:12: SITEURL ..."
    findings: list = field(default_factory=list)  # lint Findings, errors and warnings
    notes: list[str] = field(default_factory=list)  # what went through on purpose
    files_checked: int = 0

    @property
    def errors(self) -> list:
        return [finding for finding in self.findings if finding.severity == "error"]

    @property
    def passed(self) -> bool:
        return not self.problems and not self.errors


def setting_location(name: str, files: list[Path]) -> str:
    """``file:line`` of the last assignment to ``name`` in the first file that has one."""
    pattern = re.compile(rf"^\s*{re.escape(name)}\s*=")
    for path in files:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError:
            continue
        found = [number for number, text in enumerate(lines, 1) if pattern.match(text)]
        if found:
            return f"{path.name}:{found[-1]}"
    return files[0].name if files else "publishconf.py"


def _url_problem(
    name: str, url: str, settings: Mapping, environ: Mapping, files: list[Path], result: GateResult
) -> None:
    """Refuse (or, under the override, note) a production address readers cannot open."""
    reason = non_public_reason(url)
    if reason is None:
        return
    if allows_non_public(settings, environ):
        result.notes.append(f"{OVERRIDE} is set, so {name} {url} goes through although {reason}.")
        return
    from_environment = str(environ.get("BYLINE_SITEURL") or "").rstrip("/") == url.rstrip("/")
    if name == "SITEURL" and from_environment:
        where = "BYLINE_SITEURL (environment)"
        fix = "set BYLINE_SITEURL to the address readers use"
    elif name == "SITEURL":
        where = setting_location(name, files)
        fix = (
            "set SITEURL there to the address readers use, e.g. https://www.your-business.co.uk "
            "(or BYLINE_SITEURL in the environment)"
        )
    else:
        where = setting_location(name, files)
        fix = f"set {name} to the public site address, or remove it to use SITEURL"
    result.problems.append(
        f"{where}: {reason}; {fix}. Only for a staging site on a private address: {OVERRIDE}=1"
    )


def check_before_publish(
    settings: Mapping,
    environ: Mapping,
    content: Path,
    settings_file: Path,
    now: datetime | None = None,
) -> GateResult:
    """Everything that must hold before a production build may be made and deployed.

    Pure checks over files and settings: nothing is built, fetched or written. The
    placeholder (E217) and hero (E218) checks run on every post that would go live even
    where lint is switched off for it, because no switch makes them safe to publish.
    """
    from .lint import LintConfigError, lint_site, sources

    result = GateResult()
    files = _conf(settings_file)
    try:
        result.target = check_target(dict(settings))
    except PublishError as error:
        result.problems.append(str(error))  # it names the settings and pelicanconf.py
    try:
        result.site_url = check_site_url(settings.get("SITEURL"))
    except PublishError as error:
        result.problems.append(f"{setting_location('SITEURL', files)}: {error}")
    else:
        _url_problem("SITEURL", result.site_url, settings, environ, files, result)
    newsletter_url = str(settings.get("BYLINE_NEWSLETTER_SITE_URL") or "").strip()
    if newsletter_url:
        _url_problem("BYLINE_NEWSLETTER_SITE_URL", newsletter_url, settings, environ, files, result)
    try:
        findings = set(lint_site(content, dict(settings), now))
    except LintConfigError as error:
        result.problems.append(f"pelicanconf.py: {error}")
        findings = set()
    findings |= set(_never_publishable(content, settings))
    result.findings = sorted(findings)
    result.files_checked = len(sources(content, dict(settings)))
    return result


def _conf(settings_file: Path) -> list[Path]:
    """The production settings file, then the pelicanconf.py it imports."""
    return [settings_file, settings_file.with_name("pelicanconf.py")]


def _never_publishable(content: Path, settings: Mapping) -> list:
    """E217 and E218 on every post and page, whatever lint switches say."""
    from .lint.checks_meta import check_hero_file, check_placeholders
    from .lint.codes import severity
    from .lint.model import Finding
    from .lint.site import build_index, read_post, sources

    found = sources(content, dict(settings))
    posts = {s.relpath: read_post(s.path, str(content / s.relpath)) for s in found}
    index = build_index(content, dict(settings), posts)
    findings = []
    for post in posts.values():
        for hit in [*check_placeholders(post), *check_hero_file(post, index)]:
            findings.append(
                Finding(
                    post.path,
                    hit.line,
                    hit.column,
                    hit.code,
                    hit.message,
                    severity(hit.code),
                    hit.fix,
                    hit.length,
                )
            )
    return findings


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
        f"ssh -p {value(settings, 'BYLINE_DEPLOY_SSH_PORT')}",
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
        value(settings, "BYLINE_GITHUB_PAGES_BRANCH"),
        "-m",
        message,
        "-r",
        value(settings, "BYLINE_DEPLOY_GIT_REMOTE"),
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
