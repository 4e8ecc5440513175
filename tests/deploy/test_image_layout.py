"""The Docker image's layout works, rebuilt without Docker from the Dockerfile's own lines.

The image installs the project non-editable (`pip install --no-deps .`), so the package lives
in site-packages and the settings' project-relative defaults point nowhere. The Dockerfile
copies the run-time data (COPY lines) and names every location (ENV NEWSMON_*). This test
replays exactly those COPY and ENV lines into a temp root, installs the built package into a
separate folder, and runs the pipeline on the seeds and the default feed list from there.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import duckdb
import pytest

from pipeline.settings import Settings

REPO = Path(__file__).resolve().parents[2]
DOCKERFILE = REPO / "Dockerfile"


def _dockerfile_env() -> dict[str, str]:
    """ENV lines, with ${VAR} expanded from earlier ENV lines (continuations joined)."""
    text = DOCKERFILE.read_text().replace("\\\n", " ")
    env: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("ENV "):
            for key, value in re.findall(r"(\w+)=(\S+)", line[4:]):
                env[key] = re.sub(r"\$\{(\w+)\}", lambda m: env[m.group(1)], value)
    return env


def _dockerfile_copies() -> list[tuple[list[str], str]]:
    copies = []
    for line in DOCKERFILE.read_text().splitlines():
        if line.startswith("COPY "):
            parts = [p for p in line.split()[1:] if not p.startswith("--")]
            copies.append((parts[:-1], parts[-1]))
    return copies


def test_every_location_setting_is_set_for_the_image():
    """A Path setting left to its default would point into site-packages inside the image."""
    env = _dockerfile_env()
    for f in fields(Settings):
        if f.type in ("Path", Path):
            assert f"NEWSMON_{f.name.upper()}" in env, f"Dockerfile does not set NEWSMON_{f.name.upper()}"


@pytest.mark.slow
@pytest.mark.e2e
def test_installed_package_runs_the_seeds_with_the_image_layout(tmp_path, build_python):
    image_root = tmp_path / "image"

    def in_image(path: str) -> Path:
        return image_root / path.lstrip("/")

    env_lines = _dockerfile_env()
    for sources, dest in _dockerfile_copies():
        dest = re.sub(r"\$\{(\w+)\}", lambda m: env_lines[m.group(1)], dest)
        for source in sources:
            src = REPO / source
            target = in_image(dest) / src.name if dest.endswith("/") else in_image(dest)
            target.parent.mkdir(parents=True, exist_ok=True)
            if src.is_dir():
                shutil.copytree(src, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy(src, target)

    # `pip install --no-deps ${NEWSMON_HOME}`, into a folder of its own instead of site-packages.
    site = tmp_path / "site-packages"
    project = in_image(env_lines["NEWSMON_HOME"])
    built = subprocess.run([str(build_python), "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
                            "--target", str(site), str(project)], capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr[-3000:]
    assert (site / "pipeline" / "load" / "sql").is_dir(), "package data missing from the installed package"

    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSMON_")}
    env.update({k: str(in_image(v)) for k, v in env_lines.items() if k.startswith("NEWSMON_")})
    env.pop("NEWSMON_HOME")
    env["PYTHONPATH"] = str(site)  # ahead of the project's editable install
    code = ("import pipeline, json; from pipeline.settings import load_settings; "
            "from pipeline.flow import run_pipeline; s = load_settings(); "
            "r = run_pipeline([str(s.seeds_dir)], [str(s.feeds_file)], s, trigger='image', run_quality=False); "
            "print(json.dumps({'module': pipeline.__file__, 'articles': r.articles, 'db': str(s.db_path)}))")
    result = subprocess.run([sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["module"].startswith(str(site)), out  # the installed copy ran, not the repo
    assert Path(out["db"]) == in_image(env_lines["NEWSMON_DB_PATH"])
    with duckdb.connect(out["db"], read_only=True) as con:
        kinds = dict(con.execute("SELECT source_kind, count(*) FROM documents GROUP BY ALL").fetchall())
        feeds = con.execute("SELECT feed_name, last_status FROM feed_state").fetchall()
    # The seeds from seeds/; the default feed list is read inside the image and names no feed.
    assert kinds == {"file": 5}
    assert feeds == []
