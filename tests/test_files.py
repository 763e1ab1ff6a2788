import os
import stat

import pytest

from cda_lib.core.files import atomic_path, write_text_atomically


def test_a_failed_write_leaves_the_earlier_file_and_no_scratch(tmp_path):
    target = tmp_path / "page.html"
    write_text_atomically(target, "good")
    with pytest.raises(RuntimeError), atomic_path(target) as scratch:
        scratch.write_text("half")
        raise RuntimeError("interrupted")
    assert target.read_text() == "good"
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]


def test_written_files_are_readable_by_others_as_the_umask_allows(tmp_path):
    previous = os.umask(0o022)
    try:
        write_text_atomically(tmp_path / "index.html", "x")
    finally:
        os.umask(previous)
    mode = stat.S_IMODE((tmp_path / "index.html").stat().st_mode)
    assert mode == 0o644  # mkstemp alone would give 0o600


def test_missing_folders_are_created(tmp_path):
    write_text_atomically(tmp_path / "a" / "b.txt", "x")
    assert (tmp_path / "a" / "b.txt").read_text() == "x"
