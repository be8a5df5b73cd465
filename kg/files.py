"""Writing files all or nothing: each goes to a temporary file beside its target first, and targets are
replaced only once all have been written, so a failure leaves earlier files as they were. Exports, the
CSV layout and reviewed news candidates are all written this way.

>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_files({folder / "a.txt": "one", folder / "b.txt": "two"})
>>> sorted(path.name for path in folder.iterdir())
['a.txt', 'b.txt']
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from kg.errors import ExportError

_UMASK = os.umask(0)
os.umask(_UMASK)


def write_files(contents: dict[Path, str]) -> None:
    """Write every file, or none: all go to temporary files first, then replace their targets.

    Raises
    ------
    ExportError
        When a file cannot be written; no target has been touched then.
    """
    for target in contents:
        if target.is_dir():
            raise ExportError(f"cannot write {target}: a folder of that name is in the way")
    staged: list[tuple[Path, str]] = []
    try:
        for target, text in contents.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            staged.append((target, temporary))
            os.chmod(temporary, 0o666 & ~_UMASK)
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(text)
                stream.flush()
                os.fsync(stream.fileno())
        for target, temporary in staged:
            os.replace(temporary, target)
    except OSError as error:
        raise ExportError(f"cannot write {error.filename or 'the exports'}: {error.strerror}") from None
    finally:
        for _, temporary in staged:
            if os.path.exists(temporary):
                os.unlink(temporary)
