"""Files written whole or not at all: every file the package writes goes through here.

A file is written to a temporary file in its own folder and renamed into place
(``os.replace``, atomic on POSIX and Windows), so a run that fails part-way (a full disk, a
file-size limit, Ctrl-C) leaves the previous file as it was and no half-written one. A path
that exists and is not a regular file (``/dev/stdout``, ``/dev/null``, a FIFO) is written in
place: renaming over it would replace the device with a file.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = [
    "atomic_folder",
    "atomic_path",
    "check_output_file",
    "check_output_folder",
    "write_atomic",
]


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path beside ``path``, renamed to ``path`` when the block succeeds.

    The caller writes the temporary path (with any writer: ``savefig``, ``to_csv``); on an
    exception it is removed and ``path`` is left untouched. The file is created with the
    default permissions (``0o666`` less the umask), as ``open(path, "w")`` would.

    Examples
    --------
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "report.txt"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("done")
    >>> target.read_text()
    'done'
    """
    target = Path(path)
    if target.is_symlink():  # replace the file it points to, not the link
        target = target.resolve()
    if _is_special(target):
        yield target
        return
    # The name ends as the target's does, so writers that read the suffix (compression,
    # format) see the same one.
    tmp = target.with_name(f".tmp-{secrets.token_hex(4)}-{target.name}")
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    try:
        yield tmp
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextmanager
def atomic_folder(path: str | Path) -> Iterator[Path]:
    """A staging folder beside ``path``, whose files are moved into ``path`` on success.

    A new ``path`` is the staging folder renamed (one rename: the folder appears whole);
    an existing one has each staged file renamed over its own (each file whole). On an
    exception the staging folder is removed and ``path`` is left as it was.

    Examples
    --------
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "dataset"
    >>> with atomic_folder(target) as staging:
    ...     _ = write_atomic(staging / "claims.json", "{}")
    >>> sorted(p.name for p in target.iterdir())
    ['claims.json']
    """
    import shutil

    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".tmp-{secrets.token_hex(4)}-{target.name}")
    staging.mkdir(0o777)  # the default permissions, less the umask
    try:
        yield staging
        if not target.exists():
            os.rename(staging, target)
            return
        for item in sorted(staging.iterdir()):
            os.replace(item, target / item.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def write_atomic(path: str | Path, data: str | bytes, *, encoding: str = "utf-8") -> Path:
    """Write ``data`` (text or bytes) to ``path`` whole or not at all; returns the path.

    Examples
    --------
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "figure.svg"
    >>> write_atomic(target, "<svg/>").read_text()
    '<svg/>'
    """
    raw = data.encode(encoding) if isinstance(data, str) else data
    target = Path(path)
    with atomic_path(target) as tmp, open(tmp, "wb") as stream:
        stream.write(raw)
        stream.flush()
        if tmp != target:
            os.fsync(stream.fileno())
    return target


def check_output_file(path: str | Path, *, option: str) -> None:
    """Refuse, before any work is done, an output file that cannot be written.

    Raises
    ------
    ValueError
        If ``path`` is a folder, or its folder exists but is a file; the message names the
        option.

    Examples
    --------
    >>> import tempfile
    >>> check_output_file(tempfile.mkdtemp(), option="--out")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ValueError: --out ...: is a folder, not a file
    """
    target = Path(path)
    if target.is_dir():
        raise ValueError(f"{option} {target}: is a folder, not a file")
    for parent in target.parents:
        if parent.exists():
            if not parent.is_dir():
                raise ValueError(f"{option} {target}: {parent} is a file, not a folder")
            if not os.access(parent, os.W_OK | os.X_OK):
                raise ValueError(f"{option} {target}: folder {parent} is not writable")
            return


def check_output_folder(path: str | Path, *, option: str) -> None:
    """Refuse, before any work is done, an output folder that cannot be written.

    Raises
    ------
    ValueError
        If ``path`` is a file, or cannot be created or written; the message names the option.

    Examples
    --------
    >>> import tempfile
    >>> check_output_folder(tempfile.mkdtemp(), option="--figures")
    """
    target = Path(path)
    if target.exists() and not target.is_dir():
        raise ValueError(f"{option} {target}: is a file, not a folder")
    for folder in (target, *target.parents):
        if folder.exists():
            if not folder.is_dir():
                raise ValueError(f"{option} {target}: {folder} is a file, not a folder")
            if not os.access(folder, os.W_OK | os.X_OK):
                raise ValueError(f"{option} {target}: folder {folder} is not writable")
            return


def _is_special(path: Path) -> bool:
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode)
