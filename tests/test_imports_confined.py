"""Imports are confined (issue #15, "the sandbox"): a resolved import — symbolic links
followed — stays inside the root policy's folder or a declared library folder; anything else
is refused at the import line, without opening the target, so nothing of it is shown."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import policyrules
from policyrules.cli import main
from policyrules.diagnostics.errors import PolicyError, PolicyLoadError
from policyrules.syntax.limits import MAX_IMPORT_DEPTH
from policyrules.syntax.loader import LIBRARY_VARIABLE, load_program

POLICY = 'policy p "P" {\n  effective 2021-01-01 .. 2021-12-31\n}\n'
SECRET = "root:x:0:0:root:/root:/bin/bash\n"


@pytest.fixture(autouse=True)
def _no_library_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(LIBRARY_VARIABLE, raising=False)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """root/ holds the policy; outside/ a secret and a library file, beside it."""
    (tmp_path / "root" / "lib").mkdir(parents=True)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "passwd").write_text(SECRET, encoding="utf-8")
    (tmp_path / "outside" / "shared.pol").write_text('set shared = ["a"]\n', encoding="utf-8")
    return tmp_path


def refused_import(root_policy: Path, *library: Path) -> PolicyError:
    with pytest.raises(PolicyError) as caught:
        policyrules.load(root_policy, library=list(library))
    return caught.value


def test_a_symlink_out_of_the_folder_is_refused_and_nothing_of_it_is_shown(tree: Path) -> None:
    os.symlink(tree / "outside" / "passwd", tree / "root" / "lib" / "passwd.pol")
    policy = tree / "root" / "p.pol"
    policy.write_text('import "lib/passwd.pol"\n' + POLICY, encoding="utf-8")
    error = refused_import(policy)
    text = error.render()
    assert "root:x" not in text and "passwd\n" not in text
    assert all(name.endswith("p.pol") for name in error.sources)  # the target was never read
    first = error.diagnostics[0]
    assert first.span is not None and (first.span.line, first.span.column) == (1, 1)
    assert "cannot import `lib/passwd.pol`: it is outside the folder of the policy" in text
    assert "--library DIR" in text


def test_dot_dot_out_of_the_folder_is_refused(tree: Path) -> None:
    policy = tree / "root" / "p.pol"
    policy.write_text('import "../outside/shared.pol"\n' + POLICY, encoding="utf-8")
    text = refused_import(policy).render()
    assert "cannot import `../outside/shared.pol`: it is outside the folder" in text


def test_a_missing_file_outside_is_refused_the_same_way(tree: Path) -> None:
    # "outside" and "cannot find" would tell whether a file exists where a policy may not look
    policy = tree / "root" / "p.pol"
    policy.write_text('import "../outside/none.pol"\n' + POLICY, encoding="utf-8")
    assert "is outside the folder" in refused_import(policy).render()


def test_dot_dot_that_stays_inside_is_allowed(tree: Path) -> None:
    (tree / "root" / "lib" / "a.pol").write_text('import "../b.pol"\n', encoding="utf-8")
    (tree / "root" / "b.pol").write_text('set b = ["x"]\n', encoding="utf-8")
    policy = tree / "root" / "p.pol"
    policy.write_text('import "lib/a.pol"\n' + POLICY, encoding="utf-8")
    assert policyrules.load(policy).name == "p"


def test_a_symlink_that_stays_inside_is_allowed(tree: Path) -> None:
    (tree / "root" / "lib" / "real.pol").write_text('set r = ["x"]\n', encoding="utf-8")
    os.symlink(tree / "root" / "lib" / "real.pol", tree / "root" / "alias.pol")
    policy = tree / "root" / "p.pol"
    policy.write_text('import "alias.pol"\n' + POLICY, encoding="utf-8")
    policyrules.load(policy)


def test_a_library_folder_is_declared_in_the_api_the_environment_or_the_command_line(
    tree: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = tree / "root" / "p.pol"
    policy.write_text('import "../outside/shared.pol"\n' + POLICY, encoding="utf-8")
    library = tree / "outside"
    policyrules.load(policy, library=[library])
    text = policy.read_text(encoding="utf-8")
    policyrules.parse(text, "p.pol", base=tree / "root", library=[library])
    assert main(["lint", str(policy)]) == 1
    capsys.readouterr()
    assert main(["lint", "--library", str(library), str(policy)]) == 0
    assert main(["--library", str(library), "lint", str(policy)]) == 0
    monkeypatch.setenv(LIBRARY_VARIABLE, os.pathsep.join(["", str(library)]))
    policyrules.load(policy)
    assert main(["lint", str(policy)]) == 0


def test_a_library_folder_that_is_not_a_folder_is_an_error(
    tree: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = tree / "root" / "p.pol"
    policy.write_text(POLICY, encoding="utf-8")
    with pytest.raises(PolicyLoadError) as caught:
        policyrules.load(policy, library=[tree / "nowhere"])
    assert "the library folder" in caught.value.render()
    monkeypatch.setenv(LIBRARY_VARIABLE, str(tree / "outside" / "passwd"))
    assert main(["lint", str(policy)]) == 2  # a library that cannot be used: the input is invalid
    assert "is not a folder" in capsys.readouterr().err


def test_the_standard_library_stays_importable(tree: Path) -> None:
    policy = tree / "root" / "p.pol"
    policy.write_text('import "std:festivals"\n' + POLICY, encoding="utf-8")
    policyrules.load(policy)


def test_text_is_confined_to_its_base(tree: Path) -> None:
    os.symlink(tree / "outside" / "passwd", tree / "root" / "passwd.pol")
    with pytest.raises(PolicyError) as caught:
        policyrules.parse('import "passwd.pol"\n' + POLICY, "t.pol", base=tree / "root")
    assert "root:x" not in caught.value.render()
    assert "outside the folder" in caught.value.render()


def test_a_symlink_loop_is_an_error_at_the_import(tree: Path) -> None:
    os.symlink("loop2.pol", tree / "root" / "loop1.pol")
    os.symlink("loop1.pol", tree / "root" / "loop2.pol")
    policy = tree / "root" / "p.pol"
    policy.write_text('import "loop1.pol"\n' + POLICY, encoding="utf-8")
    error = refused_import(policy)
    assert error.diagnostics[0].span is not None
    assert error.diagnostics[0].span.line == 1


def test_a_root_policy_whose_path_cannot_be_followed_is_a_load_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.symlink("loop2.pol", tmp_path / "loop1.pol")
    os.symlink("loop1.pol", tmp_path / "loop2.pol")
    for path in (tmp_path / "loop1.pol", "a\x00b.pol"):
        with pytest.raises(PolicyLoadError) as caught:
            policyrules.load(path)
        assert "its path cannot be followed" in caught.value.render()
    with pytest.raises(PolicyLoadError):
        policyrules.parse(POLICY, "t.pol", base=tmp_path / "loop1.pol")
    # a root path that cannot be followed cannot be read: exit 2
    assert main(["lint", str(tmp_path / "loop1.pol")]) == 2
    err = capsys.readouterr().err
    assert "its path cannot be followed" in err and "internal error" not in err


def test_a_name_too_long_for_the_file_system_is_not_found(tree: Path) -> None:
    policy = tree / "root" / "p.pol"
    policy.write_text(f'import "{"a" * 300}.pol"\n' + POLICY, encoding="utf-8")
    error = refused_import(policy)
    assert "cannot find" in error.render()
    assert error.diagnostics[0].span is not None


def test_an_unreadable_import_is_reported_at_its_import_line(tree: Path) -> None:
    (tree / "root" / "folder.pol").mkdir()
    os.symlink("/dev/zero", tree / "root" / "zero.pol")
    policy = tree / "root" / "p.pol"
    policy.write_text('import "zero.pol"\n' + POLICY, encoding="utf-8")
    # /dev/zero is outside the folder; once allowed, it is read only up to the cap
    error = refused_import(policy, Path("/dev"))
    first = error.diagnostics[0]
    assert first.span is not None and first.span.file.endswith("p.pol")
    assert "is larger than 16 MB" in error.render()
    policy.write_text('import "folder.pol"\n' + POLICY, encoding="utf-8")
    error = refused_import(policy)
    first = error.diagnostics[0]
    assert first.span is not None and first.span.line == 1
    assert "folder.pol`: is a directory" in error.render()


def test_an_import_chain_of_a_thousand_files_ends_in_a_clear_error(tmp_path: Path) -> None:
    for i in range(1000):
        (tmp_path / f"f{i}.pol").write_text(
            (f'import "f{i + 1}.pol"\n' if i < 999 else "") + f'set s{i} = ["a"]\n',
            encoding="utf-8",
        )
    (tmp_path / "root.pol").write_text('import "f0.pol"\n' + POLICY, encoding="utf-8")
    with pytest.raises(PolicyLoadError) as caught:
        load_program(tmp_path / "root.pol")
    (first,) = caught.value.diagnostics
    assert f"imports are chained more than {MAX_IMPORT_DEPTH} files deep" in first.message
    assert first.span is not None and first.span.line == 1


def test_an_import_chain_within_the_limit_loads(tmp_path: Path) -> None:
    count = MAX_IMPORT_DEPTH - 1
    for i in range(count):
        (tmp_path / f"f{i}.pol").write_text(
            (f'import "f{i + 1}.pol"\n' if i < count - 1 else "") + f'set s{i} = ["a"]\n',
            encoding="utf-8",
        )
    (tmp_path / "root.pol").write_text('import "f0.pol"\n' + POLICY, encoding="utf-8")
    program = load_program(tmp_path / "root.pol")
    assert len(program.files) == MAX_IMPORT_DEPTH
    # dependency order: every file after the files it imports
    names = list(program.files)
    assert names[0].endswith(f"f{count - 1}.pol") and names[-1].endswith("root.pol")
    policyrules.load(tmp_path / "root.pol")
