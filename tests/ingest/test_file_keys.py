"""The unchanged-file check keys files exactly as ingest stores them (resolved path, size,
mtime), through its folder cache: plain files, links, relative paths, '..'."""

from __future__ import annotations

import os

from pipeline.ingest.files import _file_key, expand_inputs, split_unchanged


def test_cached_keys_equal_fully_resolved_keys(tmp_path, monkeypatch):
    real = tmp_path / "real"
    real.mkdir()
    (real / "a.txt").write_text("alpha", encoding="utf-8")
    (real / "sub").mkdir()
    (real / "sub" / "b.txt").write_text("beta beta", encoding="utf-8")
    (tmp_path / "elsewhere.txt").write_text("gamma", encoding="utf-8")
    os.symlink(tmp_path / "elsewhere.txt", real / "link.txt")  # a file link: key is the target
    os.symlink(real, tmp_path / "alias")  # a folder link: keys are under the real folder
    monkeypatch.chdir(tmp_path)
    paths = [*expand_inputs(["alias"]), real / "sub" / ".." / "a.txt"]
    folders: dict = {}
    cached = [_file_key(p, folders) for p in paths]
    resolved = [(str(p.resolve()), p.stat().st_size, p.stat().st_mtime_ns) for p in paths]
    assert cached == resolved
    assert (str(tmp_path.resolve() / "elsewhere.txt"), 5) == cached[1][:2]
    assert all(key[0].startswith(str(real.resolve())) for key in cached if "elsewhere" not in key[0])


def test_unchanged_files_are_set_aside_and_a_touched_one_is_not(tmp_path):
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(name * 10, encoding="utf-8")
    paths = list(expand_inputs([tmp_path]))
    known = {_file_key(p, {}) for p in paths}
    (tmp_path / "b.txt").write_text("changed, and longer than before", encoding="utf-8")
    fresh, unchanged = split_unchanged(paths, known)
    assert [p.name for p in fresh] == ["b.txt"] and unchanged == 2


def test_folders_are_listed_in_path_order(tmp_path):
    for rel in ("a-b/c.txt", "a/b.txt", "a/z/y.txt", "B.txt", "a.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", encoding="utf-8")
    listed = [p.relative_to(tmp_path).as_posix() for p in expand_inputs([tmp_path])]
    assert listed == ["B.txt", "a/b.txt", "a/z/y.txt", "a-b/c.txt", "a.txt"]
