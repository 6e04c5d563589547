#!/usr/bin/env python3
"""Coverage-guided fuzzing of policy text and files with atheris (libFuzzer).

Each input is the bytes of a policy file. It is run through the parser and the formatter,
through ``policyrules.parse`` (the checker), through the loader as the root file of a
program on disk beside a secret no import may reach (``policyrules.load``), and, for one
input in four, through ``policyrules check`` on a few events; the invariants are those of
``tests/fuzzing.py``. Not part of the normal test suite: it needs the optional extra
``fuzz`` (``pip install -e '.[fuzz]'``) and runs as long as it is told::

    python tests/fuzz/harness.py -max_total_time=600 -print_final_stats=1 \\
        /tmp/policy-corpus tests/fuzz/corpus

The first folder receives what the fuzzer learns; the second is the seed corpus (every
reproducer of issue #15 that concerns policy text and files, and the shipped policies). By
default the first broken invariant stops the run and libFuzzer writes the input as
``crash-…`` in the findings folder. With ``--keep-going`` every distinct failure (by
exception and place) is written to ``--findings DIR`` (default ``tests/fuzz/findings``)
and the run goes on; an
input is then also stopped after ``--cpu-seconds`` (default 30) of CPU time, and the
process may use at most ``--memory-mb`` (default 2048) of memory, so that a runaway input
becomes a finding instead of ending the run.
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import signal
import sys
import tempfile
import traceback
import zlib
from pathlib import Path
from typing import Any

import atheris

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests/, for `fuzzing`

with atheris.instrument_imports(include=["policyrules", "lark"]):
    import fuzzing

    from policyrules.diagnostics.errors import PolicyError


class _OutOfTime(Exception):
    """An input used up its CPU seconds (only with --keep-going)."""


def _options() -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--keep-going", action="store_true")
    parser.add_argument("--findings", type=Path, default=HERE / "findings")
    parser.add_argument("--cpu-seconds", type=int, default=30)
    parser.add_argument("--memory-mb", type=int, default=2048)
    return parser.parse_known_args()


OPTIONS, LIBFUZZER_ARGS = _options()
WORK = Path(tempfile.mkdtemp(prefix="policyrules-fuzz-"))
EVENTS, UNITS = WORK / "events.jsonl", WORK / "units.jsonl"
SEEN: set[str] = set()


def _write_inputs() -> None:
    """A few events and units of every example, for `check`."""
    events: list[str] = []
    units: list[str] = []
    for example in sorted((fuzzing.ROOT / "examples").iterdir()):
        if (example / "events.jsonl").is_file():
            events += (example / "events.jsonl").read_text(encoding="utf-8").splitlines()[:40]
            units += (example / "units.jsonl").read_text(encoding="utf-8").splitlines()
    EVENTS.write_text("\n".join(events) + "\n", encoding="utf-8")
    UNITS.write_text("\n".join(units) + "\n", encoding="utf-8")


def _load(root: Path) -> None:
    import policyrules

    try:
        policyrules.load(root)
    except PolicyError as error:
        if fuzzing.SECRET in fuzzing.assert_located(error):
            raise fuzzing.Violation("a file outside the policy's folder was shown") from None


def _one_input(data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")
    fuzzing.syntax_invariants(text)
    fuzzing.api_invariants(text)
    root = fuzzing.sandbox(WORK, data, fuzzing.SHIPPED["policies/lib/festivals.pol"].encode(),
                           "lib/secret.pol")
    _load(root)
    if zlib.crc32(data) % 4 == 0:
        fuzzing.cli_invariants(["check", str(root), "--events", str(EVENTS), "--units",
                                str(UNITS), "--as-of", "2021-06-30", "--format", "json",
                                "--jobs", "1"], len(text))


def _key(error: BaseException) -> str:
    """What makes two failures the same: the exception and the innermost frame of ours."""
    if isinstance(error, fuzzing.Violation):
        return f"Violation: {str(error)[:60]}"
    frames = [f for f in traceback.extract_tb(error.__traceback__) if "policyrules" in f.filename]
    where = f"{frames[-1].filename.split('policyrules')[-1]}:{frames[-1].lineno}" if frames else "?"
    return f"{type(error).__name__} at {where}"


def _record(data: bytes, error: BaseException) -> None:
    key = _key(error)
    if key in SEEN:
        return
    SEEN.add(key)
    OPTIONS.findings.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha1(key.encode()).hexdigest()[:12]
    (OPTIONS.findings / f"{name}.pol").write_bytes(data)
    report = "".join(traceback.format_exception(error))
    (OPTIONS.findings / f"{name}.txt").write_text(f"{key}\n\n{report}", encoding="utf-8")
    print(f"\nFINDING {name}: {key}", file=sys.stderr, flush=True)


def _out_of_time(signum: int, frame: Any) -> None:
    raise _OutOfTime(f"more than {OPTIONS.cpu_seconds} s of CPU time")


def test_one_input(data: bytes) -> None:
    if not OPTIONS.keep_going:
        _one_input(data)
        return
    signal.setitimer(signal.ITIMER_VIRTUAL, OPTIONS.cpu_seconds)
    try:
        _one_input(data)
    except Exception as error:  # every failure is a finding; the run goes on
        _record(data, error)
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)


def main() -> None:
    _write_inputs()
    if OPTIONS.keep_going:
        signal.signal(signal.SIGVTALRM, _out_of_time)
        limit = OPTIONS.memory_mb * 1_048_576
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    arguments = list(LIBFUZZER_ARGS)
    if not any(a.startswith("-artifact_prefix=") for a in arguments):
        # libFuzzer's crash-… files go with the findings, not into the working directory
        OPTIONS.findings.mkdir(parents=True, exist_ok=True)
        arguments.insert(0, f"-artifact_prefix={OPTIONS.findings}/")
    atheris.Setup([sys.argv[0], *arguments], test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
