"""Writing files: in one step that survives a crash (the snapshot, the ledger use it), and
cache files placed into the output without copying where the file system allows."""

from __future__ import annotations

import os
from pathlib import Path


def fsync_dir(folder: Path) -> None:
    """Make a new or renamed file's directory entry durable, where the platform allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomic(path: Path | str, data: str | bytes, *, durable: bool = True) -> Path:
    """Replace ``path`` in one step: a reader (or a crash) sees the old file or the new one.

    The temporary file sits beside the target so ``os.replace`` is a rename on one file
    system. The new file gets the usual permissions (0666 less the umask, so 0644 under
    the common 022), not the 0600 of ``mkstemp``: a snapshot or a frozen issue is
    project content, read by web servers and other users. ``durable`` fsyncs the file
    and its folder, for files whose loss would lose or repeat something.
    """
    import contextlib
    import tempfile

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(payload)
            out.flush()
            if durable:
                os.fsync(out.fileno())
        os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    if durable:
        fsync_dir(path.parent)
    return path


def link_or_copy(source: Path | str, target: Path | str) -> None:
    """``target`` as a hard link to ``source`` (no bytes copied), or a copy where the two
    cannot share a file (another file system). Kept files are never written in place, so a
    link is as safe as a copy."""
    import shutil

    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _umask() -> int:
    """The process's umask (reading it means setting it, so set it straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
