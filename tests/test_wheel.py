"""The installed wheel carries the grammar: build it, install it in a fresh virtual
environment away from this checkout, and parse a policy there."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

POLICY = """\
event activity { hours: number }

policy wheel_check "装好的包也能读政策" {
  effective 2021-01-01 .. 2021-12-31
  obligation bh_10 "学雷锋志愿服务日" {
    every month on 2nd saturday
    require count(activity where hours >= 1.5) >= 1
  }
}
"""


@pytest.mark.slow
def test_wheel_ships_the_grammar(tmp_path: Path) -> None:
    pytest.importorskip("build", reason="building a wheel needs `build` (the `dev` extra)")
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    wheel = next(dist.glob("policyrules-*.whl"))
    import zipfile

    # the marker that makes an embedder's mypy read the package's types (PEP 561)
    assert "policyrules/py.typed" in zipfile.ZipFile(wheel).namelist()
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(wheel)],
        check=True,
        capture_output=True,
    )
    policy = tmp_path / "check.pol"
    policy.write_text(POLICY, encoding="utf-8")
    script = (
        "import importlib.resources, pathlib, policyrules;"
        "assert 'site-packages' in policyrules.__file__, policyrules.__file__;"
        "grammar = importlib.resources.files('policyrules').joinpath('grammar/policy.lark');"
        "assert grammar.is_file();"
        "p = policyrules.load('check.pol');"
        "print(p.name, len(p.obligations))"
    )
    result = subprocess.run(
        [str(python), "-c", script], cwd=tmp_path, check=True, capture_output=True, text=True
    )
    assert result.stdout.split() == ["wheel_check", "1"]
    lint = subprocess.run(
        [str(env_dir / "bin" / "policyrules"), "lint", "check.pol"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert lint.returncode == 0, lint.stderr
