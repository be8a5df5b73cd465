"""Writing files all or nothing: each goes to a temporary file beside its target first, and targets are
replaced only once all have been written, so a failure leaves earlier files as they were. Exports, the
CSV layout and reviewed news candidates are all written this way.

Writers into one folder take turns: each holds a lock on the folder (on systems with ``fcntl``) while
it writes, so two builds at once leave one build's files, whole, not a mix.

Only regular files are replaced. A symbolic link is followed: the file it points to is replaced and the
link stays. A device or a pipe (``/dev/null``, ``/dev/stdout``, a FIFO) is written through, last, as a
stream. Anything else in the way (a folder, a socket, a dangling link) is refused before anything is
written.

>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_files({folder / "a.txt": "one", folder / "b.txt": "two"})
>>> sorted(path.name for path in folder.iterdir())
['a.txt', 'b.txt']
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

try:
    import fcntl
except ImportError:  # not on Windows: writers there do not take turns
    fcntl = None

from kg.errors import ExportError

_UMASK = os.umask(0)
os.umask(_UMASK)


def _where(target: Path) -> tuple[Path, bool]:
    """Where a target's text goes, and whether it is a stream (a device or a pipe) written in place."""
    if target.is_symlink():
        resolved = Path(os.path.realpath(target))
        if not resolved.parent.is_dir():
            raise ExportError(f"cannot write {target}: it is a link to {resolved}, whose folder does not exist")
        target = resolved
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return target, False
    except OSError as error:
        raise ExportError(f"cannot write {target}: {error.strerror}") from None
    if stat.S_ISDIR(mode):
        raise ExportError(f"cannot write {target}: a folder of that name is in the way")
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        return target, True
    if not stat.S_ISREG(mode):
        raise ExportError(f"cannot write {target}: it is not a regular file, a device or a pipe")
    return target, False


def write_files(contents: dict) -> None:
    """Write every file, or none: all go to temporary files first, then replace their targets.

    Each file's content is its text, or a function that writes it to an open text stream (so that a large
    export streams to its temporary file and is never whole in memory).

    Raises
    ------
    ExportError
        When a file cannot be written; no target has been touched then.
    """
    places = {Path(target): _where(Path(target)) for target in contents}
    with contextlib.ExitStack() as locks:
        for folder in sorted({str(target.parent) for target, stream in places.values() if not stream}):
            locks.enter_context(_folder_lock(Path(folder)))
        _write(contents, places)


@contextlib.contextmanager
def _folder_lock(folder: Path):
    """Hold an exclusive lock on a folder (made if missing) while the block runs."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if fcntl is None:
            yield
            return
        handle = os.open(folder, os.O_RDONLY)
    except OSError as error:
        raise ExportError(f"cannot write into {folder}: {error.strerror}") from None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def _put(stream, content) -> None:
    if callable(content):
        content(stream)
    else:
        stream.write(content)


def _write(contents: dict, places: dict[Path, tuple[Path, bool]]) -> None:
    import tempfile  # here, not at the top: `aikg --help` imports this module and writes nothing

    staged: list[tuple[Path, str]] = []
    streams: list[tuple[Path, str]] = []
    try:
        for given, text in contents.items():
            target, stream = places[Path(given)]
            if stream:
                streams.append((target, text))
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            staged.append((target, temporary))
            os.chmod(temporary, 0o666 & ~_UMASK)
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
                _put(out, text)
                out.flush()
                os.fsync(out.fileno())
        for target, temporary in staged:
            os.replace(temporary, target)
        for target, text in streams:
            with open(target, "w", encoding="utf-8", newline="\n") as out:
                _put(out, text)
    except OSError as error:
        raise ExportError(f"cannot write {error.filename or 'the exports'}: {error.strerror}") from None
    finally:
        for _, temporary in staged:
            if os.path.exists(temporary):
                os.unlink(temporary)
