"""Write files so that nobody ever sees half of one: write beside the target, then move it in.

A build interrupted mid-write leaves the earlier good file in place, and a reader
(JupyterLab, a browser, the next build) sees either the old file or the new one.

>>> import tempfile, pathlib
>>> target = pathlib.Path(tempfile.mkdtemp()) / "page.html"
>>> write_text_atomically(target, "<p>hello</p>")
>>> target.read_text()
'<p>hello</p>'
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


def scratch_path(target: Path) -> Path:
    """A new, empty hidden file beside ``target`` (same disk, so the final move is atomic).

    It keeps the target's extension, since some writers (papermill) check it.

    Its permissions are those of a normally created file (mkstemp's are owner-only),
    so built pages can be shared and served.
    """
    handle, name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=f".tmp{target.suffix}",
                                    dir=target.parent)
    os.close(handle)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(name, 0o666 & ~umask)
    return Path(name)


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a scratch path to write to; it replaces ``target`` only if the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = scratch_path(target)
    try:
        yield scratch
        os.replace(scratch, target)
    finally:
        scratch.unlink(missing_ok=True)


def write_text_atomically(target: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``target`` in one step."""
    with atomic_path(Path(target)) as scratch:
        scratch.write_text(text, encoding="utf-8")
