"""The exported issue: manifest.json and the two email files it names, nothing from Pelican.

The sender trusts only what the build exported. Paths in the manifest are relative to the
output folder and must stay inside it; the content hash is checked so a half-written export
(a build killed mid-way) is never sent. A frozen copy (``data/newsletter/<n>/``, see
``byline.newsletter.frozen``) keeps the files beside its manifest, so it is loaded with
``frozen=True``: each file is looked up by its name in the manifest's folder.

Text that becomes a header (subject, sender name, preheader) is cleaned of control
characters with the project's one rule, so a stray U+2028 cannot split a header.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..textclean import clean_text
from .errors import ManifestError

SCHEMA_VERSIONS = (1,)
PLACEHOLDER = "{{unsubscribe_url}}"
REQUIRED = ("schema_version", "id", "number", "subject", "paths")


@dataclass(frozen=True)
class Issue:
    id: str
    number: int
    date: str
    subject: str
    preheader: str
    from_name: str
    html: str
    text: str
    placeholder: str
    content_hash: str
    archive_url: str
    manifest_path: Path
    site_url: str = ""  # what the links point at: the manifest's site_url, else archive_url's
    sendable: bool = True  # False: the build found problems that stop this issue going out
    problems: tuple[str, ...] = field(default_factory=tuple)
    frozen: bool = False  # loaded from the frozen copy of a sent issue

    @property
    def folder(self) -> Path:
        """The folder holding the manifest (the export's issue folder or the frozen one)."""
        return self.manifest_path.parent


def _content_hash(html: str, text: str) -> str:
    digest = hashlib.sha256(html.encode("utf-8") + b"\0" + text.encode("utf-8"))
    return "sha256:" + digest.hexdigest()


def _output_root(manifest_path: Path, relative: str) -> Path:
    for folder in manifest_path.parents:
        if (folder / relative).is_file():
            return folder
    raise ManifestError(f"{manifest_path}: cannot find {relative} next to it; was the build cut?")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def _problem_text(problem: Any) -> str:
    """A build problem as one line, whether the manifest holds text or a small object."""
    if isinstance(problem, dict):
        parts = [str(problem[k]) for k in ("message", "text", "fix") if problem.get(k)]
        return " ".join(parts) or json.dumps(problem, ensure_ascii=False)
    return str(problem)


def load_issue(
    manifest_path: Path | str, output_dir: Path | str | None = None, *, frozen: bool = False
) -> Issue:
    """Load and check an exported issue; ``output_dir`` defaults to the folder paths start at.

    ``frozen``: the manifest is a frozen copy's, its email files lie beside it.
    """
    path = Path(manifest_path)
    if path.is_dir():
        path = path / "manifest.json"
    data = _read_manifest(path)
    root, paths = _email_files(path, data["paths"], output_dir, frozen=frozen)
    parts = {kind: _read_email_file(path, root, paths[kind], kind) for kind in ("html", "text")}
    digest = _content_hash(parts["html"], parts["text"])
    _check_content_hash(path, data.get("content_hash"), digest, frozen=frozen)
    placeholder = str(data.get("unsubscribe_token") or PLACEHOLDER)
    for kind in ("html", "text"):
        if placeholder not in parts[kind]:
            raise ManifestError(
                f"{path}: {paths[kind]} has no {placeholder} placeholder, so readers could "
                "not unsubscribe; rebuild the issue"
            )
    subject = clean_text(str(data["subject"]), single_line=True)
    if not subject:
        raise ManifestError(f"{path}: the subject is empty; give the issue a subject")
    archive_url = str(data.get("archive_url", ""))
    problems = data.get("problems") or []
    if not isinstance(problems, list):
        problems = [problems]
    return Issue(
        id=str(data["id"]),
        number=int(data["number"]),
        date=str(data.get("date", "")),
        subject=subject,
        preheader=clean_text(str(data.get("preheader", "")), single_line=True),
        from_name=clean_text(str(data.get("from_name", "")), single_line=True),
        html=parts["html"],
        text=parts["text"],
        placeholder=placeholder,
        content_hash=digest,
        archive_url=archive_url,
        manifest_path=path.resolve(),
        site_url=str(data.get("site_url") or _origin(archive_url)),
        sendable=data.get("sendable", True) is not False,
        problems=tuple(_problem_text(p) for p in problems),
        frozen=frozen,
    )


def _read_manifest(path: Path) -> dict[str, Any]:
    """The manifest as a dict with every required key, a known schema and both email paths."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError(
            f"{path} not found: build the production site with `invoke preview` (or `invoke "
            "publish`) to export the issue"
        ) from None
    except (OSError, ValueError) as error:
        raise ManifestError(f"{path} is not readable JSON: {error}") from None
    if not isinstance(data, dict):
        raise ManifestError(f"{path}: expected a JSON object")
    missing = [key for key in REQUIRED if key not in data]
    if missing:
        raise ManifestError(f"{path}: missing {', '.join(missing)}")
    if data["schema_version"] not in SCHEMA_VERSIONS:
        raise ManifestError(
            f"{path}: schema_version {data['schema_version']!r} is not one this sender knows "
            f"({', '.join(map(str, SCHEMA_VERSIONS))})"
        )
    paths = data["paths"]
    if not isinstance(paths, dict) or not paths.get("html") or not paths.get("text"):
        raise ManifestError(f"{path}: paths.html and paths.text are required")
    return data


def _email_files(
    path: Path, paths: dict[str, Any], output_dir: Path | str | None, *, frozen: bool
) -> tuple[Path, dict[str, Any]]:
    """The folder the email files' paths start at, and those paths.

    A frozen copy keeps the files beside its manifest, under their own names; an export's
    paths start at ``output_dir``, or at the folder above the manifest that holds them.
    """
    if frozen:
        return path.resolve().parent, {
            kind: Path(str(paths[kind])).name for kind in ("html", "text")
        }
    if output_dir:
        return Path(output_dir).resolve(), paths
    return _output_root(path.resolve(), paths["html"]), paths


def _read_email_file(path: Path, root: Path, relative: Any, kind: str) -> str:
    """One email file's text; it must lie inside ``root``, so a manifest cannot point away."""
    file = (root / relative).resolve()
    if not file.is_relative_to(root):
        raise ManifestError(f"{path}: paths.{kind} points outside the output folder")
    try:
        return file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ManifestError(f"{path}: cannot read {relative}: {error}") from None


def _check_content_hash(path: Path, recorded: Any, digest: str, *, frozen: bool) -> None:
    """The email files are the ones the build (or the send) recorded, byte for byte."""
    if not recorded or recorded == digest:
        return
    if frozen:
        raise ManifestError(
            f"{path}: the frozen copy's email files do not match its content_hash: they "
            f"were changed after the issue was sent; restore them from git "
            f"(git checkout -- {path.parent})"
        )
    raise ManifestError(
        f"{path}: the email files do not match content_hash (changed or half-written "
        "since the build); rebuild with `invoke preview`"
    )
