"""Provenance: what a report was made from, so that a result can be traced and reproduced.

Computed once per report (not per result) from the policy's sources and the input files:
the policyrules version, the `holidays` package's version and the working-day horizon it
gives (with any holiday schedule supplied past it), the SHA-256 of every policy file the
program read (the root first, then its imports, in the order they were read), and of every
input file with its rows — read, accepted and rejected. A hash is of the bytes on disk,
the same `sha256sum` prints; data handed over from Python has no file and no hash, only
its counts. Nothing in it depends on the time the report was made: the same inputs give
the same report.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from policyrules.about import __version__
from policyrules.calendar.workdays import WorkdayCalendar, default_calendar
from policyrules.data.model import EventSet, UnitSet
from policyrules.semantics import CheckedPolicy

#: bytes hashed at a time: a city's events file is hashed without being held
_BLOCK = 1 << 20


class PolicyFile(BaseModel):
    model_config = ConfigDict(frozen=True)

    file: str
    sha256: str


class InputFile(BaseModel):
    """One input: its role, the path as it was given (None for data handed over from
    Python), the hash and size of the file, and what was read from it."""

    model_config = ConfigDict(frozen=True)

    role: Literal["events", "units", "holidays"]
    path: str | None = None
    sha256: str | None = None
    bytes: int | None = None
    rows: int | None = None
    accepted: int | None = None
    rejected: int | None = None


class Provenance(BaseModel):
    model_config = ConfigDict(frozen=True)

    policyrules: str
    holidays: str
    #: the last year whose working days are known (the built-in data's, or a supplied one's)
    horizon: int
    #: the last year of the built-in data (the `holidays` package's State Council table)
    builtin_horizon: int
    policy: str
    title: str
    issuer: str | None = None
    document: str | None = None
    issued: str | None = None
    policy_files: list[PolicyFile]
    inputs: list[InputFile]


@dataclass(frozen=True)
class Sources:
    """What a report's inputs do not say themselves: the holiday schedule files, and the
    working-day calendar they made. The events and units name the files they were read
    from (`EventSet.inputs`)."""

    holidays: Sequence[str | Path] = field(default_factory=tuple)
    workdays: WorkdayCalendar | None = None


def provenance(checked: CheckedPolicy, events: EventSet, units: UnitSet | None,
               sources: Sources | None = None) -> Provenance:
    """The provenance of a report on `checked` over `events` and `units`."""
    sources = sources or Sources()
    workdays = sources.workdays or default_calendar()
    root = [checked.file] if checked.file in checked.sources else []
    names = root + [name for name in checked.sources if name != checked.file]
    # input by input, in the order read; rows accepted, not units: a unit may have a row
    # per change of its facts
    counted = [*events.inputs, *(units.inputs if units is not None else [])]
    inputs = [_input("events" if c.what == "event" else "units", _file_of(c.source), c.rows,
                     c.accepted, c.rejected, c.sha256, c.bytes) for c in counted]
    inputs.extend(_input("holidays", path) for path in sources.holidays)
    return Provenance(
        policyrules=__version__,
        holidays=_version("holidays"),
        horizon=workdays.horizon,
        builtin_horizon=workdays.builtin_horizon,
        policy=checked.name,
        title=checked.title,
        issuer=checked.issuer,
        document=checked.document,
        issued=checked.issued.isoformat() if checked.issued else None,
        policy_files=[PolicyFile(file=name, sha256=_text_hash(checked.sources[name].text))
                      for name in names],
        inputs=inputs,
    )


def _input(role: Literal["events", "units", "holidays"], path: str | Path | None,
           rows: int | None = None, accepted: int | None = None,
           rejected: int | None = None, digest: str | None = None,
           size: int | None = None) -> InputFile:
    if digest is None:  # not hashed as it was read: hashed here
        digest, size = _file_hash(Path(path)) if path is not None else (None, None)
    return InputFile(role=role, path=None if path is None else str(path), sha256=digest,
                     bytes=size, rows=rows, accepted=accepted, rejected=rejected)


def _file_of(source: str) -> str | None:
    # `<stdin>`, `<python>`, `<stream>`: read once, nothing on disk to hash
    return None if source.startswith("<") and source.endswith(">") else source


def _file_hash(path: Path) -> tuple[str | None, int | None]:
    """The SHA-256 and size of a regular file; none for what cannot be hashed again (a
    pipe read once, a file gone since)."""
    try:
        if not path.is_file():
            return None, None
        digest = hashlib.sha256()
        size = 0
        with path.open("rb") as handle:
            while block := handle.read(_BLOCK):
                digest.update(block)
                size += len(block)
    except OSError:
        return None, None
    return digest.hexdigest(), size


def _text_hash(text: str) -> str:
    # the loader decodes UTF-8 strictly and keeps every character (a BOM, \r), so the text
    # encodes back to the file's bytes
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:  # pragma: no cover - a dependency
        return "unknown"
