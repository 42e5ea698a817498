"""The exported issue: manifest.json and the two email files it names, nothing from Pelican.

The sender trusts only what the build exported. Paths in the manifest are relative to the
output folder and must stay inside it; the content hash is checked so a half-written export
(a build killed mid-way) is never sent.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

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


def _content_hash(html: str, text: str) -> str:
    digest = hashlib.sha256(html.encode("utf-8") + b"\0" + text.encode("utf-8"))
    return "sha256:" + digest.hexdigest()


def _output_root(manifest_path: Path, relative: str) -> Path:
    for folder in manifest_path.parents:
        if (folder / relative).is_file():
            return folder
    raise ManifestError(f"{manifest_path}: cannot find {relative} next to it; was the build cut?")


def load_issue(manifest_path: Path | str, output_dir: Path | str | None = None) -> Issue:
    """Load and check an exported issue; ``output_dir`` defaults to the folder paths start at."""
    path = Path(manifest_path)
    if path.is_dir():
        path = path / "manifest.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError(f"{path} not found: run `invoke build` to export the issue") from None
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
    root = Path(output_dir).resolve() if output_dir else _output_root(path.resolve(), paths["html"])
    parts = {}
    for kind in ("html", "text"):
        file = (root / paths[kind]).resolve()
        if not file.is_relative_to(root):
            raise ManifestError(f"{path}: paths.{kind} points outside the output folder")
        try:
            parts[kind] = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise ManifestError(f"{path}: cannot read {paths[kind]}: {error}") from None
    digest = _content_hash(parts["html"], parts["text"])
    if data.get("content_hash") and data["content_hash"] != digest:
        raise ManifestError(
            f"{path}: the email files do not match content_hash (changed or half-written "
            "since the build); rebuild with `invoke build`"
        )
    placeholder = str(data.get("unsubscribe_token") or PLACEHOLDER)
    for kind in ("html", "text"):
        if placeholder not in parts[kind]:
            raise ManifestError(
                f"{path}: {paths[kind]} has no {placeholder} placeholder, so readers could "
                "not unsubscribe; rebuild the issue"
            )
    subject = str(data["subject"]).strip()
    if not subject or "\n" in subject or "\r" in subject:
        raise ManifestError(f"{path}: subject must be one non-empty line")
    return Issue(
        id=str(data["id"]),
        number=int(data["number"]),
        date=str(data.get("date", "")),
        subject=subject,
        preheader=str(data.get("preheader", "")),
        from_name=str(data.get("from_name", "")),
        html=parts["html"],
        text=parts["text"],
        placeholder=placeholder,
        content_hash=digest,
        archive_url=str(data.get("archive_url", "")),
        manifest_path=path.resolve(),
    )
