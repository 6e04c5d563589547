"""Files are read with a byte cap that does not trust `st_size` (issue #15): a device, a FIFO
or a symlink to one, given as a policy, a holiday schedule or a scenario, is read only up to
the cap — cap + 1 bytes, refused if there are that many — by one helper for all three."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

import policyrules
from policyrules.calendar.workdays import load_schedule
from policyrules.cli import main
from policyrules.diagnostics.errors import PolicyError
from policyrules.diagnostics.source import FileTooLarge, read_capped, read_json
from policyrules.syntax.limits import MAX_SCENARIO_BYTES, MAX_SCHEDULE_BYTES, MAX_SOURCE_BYTES

ROOT = Path(__file__).resolve().parent.parent
POLICY = ROOT / "policies" / "binhai-2021.pol"
needs_dev_zero = pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")


# ----------------------------------------------------------------------------- the helper


def test_a_file_within_the_cap_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x" * 100)
    assert read_capped(path, 100) == b"x" * 100


def test_one_byte_over_the_cap_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x" * 101)
    with pytest.raises(FileTooLarge) as caught:
        read_capped(path, 100)
    assert caught.value.limit == 100
    assert str(caught.value) == f"cannot read `{path}`: it is larger than 100 bytes"
    assert caught.value.args[0].in_language("zh") == f"无法读取 `{path}`：文件大于 100 字节"


@needs_dev_zero
def test_a_device_that_never_ends_is_read_only_up_to_the_cap(tmp_path: Path) -> None:
    link = tmp_path / "zero.pol"
    link.symlink_to("/dev/zero")
    assert link.stat().st_size == 0  # what a size check would trust
    start = time.perf_counter()
    for path in (Path("/dev/zero"), link):
        with pytest.raises(FileTooLarge):
            read_capped(path, 1_048_576)
    assert time.perf_counter() - start < 5


@needs_fifo
def test_a_fifo_nobody_writes_to_reads_as_empty_instead_of_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    assert read_capped(fifo, 100) == b""


@needs_fifo
def test_a_fifo_with_a_writer_is_read_to_its_end_or_the_cap(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)

    def write(data: bytes) -> None:
        with open(fifo, "wb") as out:  # blocks until the reader opens it
            out.write(data)

    writer = threading.Thread(target=write, args=(b"abc" * 10,))
    writer.start()
    try:
        # the writer may not have opened it yet: an empty read is then a fair answer
        got = read_capped(fifo, 1000)
        assert got in (b"", b"abc" * 10) or (b"abc" * 10).startswith(got)
    finally:
        if writer.is_alive():
            with open(fifo, "rb") as drain:
                drain.read()
        writer.join(5)


def test_errors_are_oserrors_with_the_file_name(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError) as missing:
        read_capped(tmp_path / "none", 10)
    assert missing.value.filename == str(tmp_path / "none")
    with pytest.raises(IsADirectoryError) as folder:
        read_capped(tmp_path, 10)
    assert folder.value.filename == str(tmp_path)
    with pytest.raises(OSError) as nul:
        read_capped("a\x00b", 10)
    assert nul.value.filename == "a\x00b"


def test_json_that_cannot_be_held_is_a_valueerror_with_a_message(tmp_path: Path) -> None:
    path = tmp_path / "f.json"
    for data, said in (
        (b"[" * 100_000, "nested too deeply"),
        (b"1" * 5000, "a number has too many digits"),
        (b'{"a": \xff}', "not UTF-8 text"),
        (b'{"a": ', "not JSON"),
    ):
        path.write_bytes(data)
        with pytest.raises(ValueError, match=said):
            read_json(path, 1_000_000)


# ----------------------------------------------------------------------------- its readers


@needs_dev_zero
def test_a_device_as_a_policy_is_refused_at_the_cap(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = tmp_path / "zero.pol"
    link.symlink_to("/dev/zero")
    with pytest.raises(PolicyError) as caught:
        policyrules.load(link)
    assert f"is larger than {MAX_SOURCE_BYTES // 1_048_576} MB" in caught.value.render()
    assert main(["lint", str(link)]) == 2  # refused unread: exit 2, as for any unreadable policy
    assert "is larger than 16 MB" in capsys.readouterr().err


@needs_dev_zero
def test_a_device_as_a_holiday_schedule_is_refused_at_the_cap(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = tmp_path / "2030.json"
    link.symlink_to("/dev/zero")
    with pytest.raises(ValueError, match="is larger than 1 MB"):
        load_schedule(link)
    assert MAX_SCHEDULE_BYTES == 1_048_576
    assert main(["calendar", str(POLICY), "--year", "2021", "--holidays", str(link)]) == 2
    err = capsys.readouterr().err
    assert "is larger than 1 MB" in err and "internal error" not in err


def test_a_holiday_schedule_that_is_not_json_it_can_hold(tmp_path: Path) -> None:
    path = tmp_path / "2030.json"
    path.write_bytes(b"[" * 100_000)
    with pytest.raises(ValueError, match="cannot read the holiday schedule: not JSON this "):
        load_schedule(path)
    path.write_bytes(b"\xff\xfe")
    with pytest.raises(ValueError, match="not UTF-8"):
        load_schedule(path)


@needs_dev_zero
def test_a_device_as_a_scenario_is_refused_at_the_cap(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = tmp_path / "zero.test.json"
    link.symlink_to("/dev/zero")
    assert main(["test", str(link)]) == 2
    out = capsys.readouterr().out
    assert f"is larger than {MAX_SCENARIO_BYTES // 1_048_576} MB" in out


@pytest.mark.parametrize("data", [b"[" * 100_000, b"\xff", b"1" * 5000])
def test_a_scenario_that_is_not_json_it_can_hold_is_an_error_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes
) -> None:
    path = tmp_path / "bad.test.json"
    path.write_bytes(data)
    assert main(["test", str(path)]) == 2
    captured = capsys.readouterr()
    assert "not a scenario" in captured.out
    assert "internal error" not in captured.err
