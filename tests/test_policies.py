"""The five notices' policies: they check clean, are canonical, and cover every obligation id
of ../shared/spec/obligations.md with a labelled, cited obligation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import policyrules
from policyrules.syntax.formatter import format_policy
from policyrules.syntax.parser import parse

ROOT = Path(__file__).resolve().parent.parent
POLICIES = sorted((ROOT / "policies").glob("*.pol"))
LIBRARIES = sorted((ROOT / "policies" / "lib").glob("*.pol"))
OBLIGATIONS = ROOT.parent / "shared" / "spec" / "obligations.md"
PREFIXES = {
    "yuzhong-2019.pol": "YZ",
    "xindu-2017.pol": "XD",
    "huizhou-2017.pol": "HZ",
    "puer-2020.pol": "PE",
    "binhai-2021.pol": "BH",
}


def spec_ids() -> list[str]:
    if OBLIGATIONS.exists():
        text = OBLIGATIONS.read_text(encoding="utf-8")
        return re.findall(r"\*\*([A-Z]{2}-\d+)\*\*", text)
    # a checkout without ../shared: the ids as the coverage table lists them
    coverage = (ROOT / "docs" / "coverage.md").read_text(encoding="utf-8")
    return sorted(set(re.findall(r"^\| ([A-Z]{2}-\d+) \|", coverage, re.M)))


def test_there_are_five_policies() -> None:
    assert sorted(p.name for p in POLICIES) == sorted(PREFIXES)


@pytest.mark.parametrize("path", POLICIES + LIBRARIES, ids=lambda p: p.name)
def test_policy_is_canonical(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert format_policy(parse(text, str(path))) == text


@pytest.mark.parametrize("path", POLICIES, ids=lambda p: p.name)
def test_policy_checks_without_warnings(path: Path) -> None:
    policy = policyrules.load(path)
    assert [d.render() for d in policy.warnings] == []
    assert policy.issuer
    for obligation in policy.obligations:
        assert obligation.refs, f"{obligation.name} carries no obligation id"
        assert obligation.cites, f"{obligation.name} cites no clause"
        prefix = PREFIXES[path.name]
        assert all(ref.startswith(prefix + "-") for ref in obligation.refs)


def test_every_obligation_id_is_encoded() -> None:
    ids = spec_ids()
    assert len(ids) == 59
    encoded = {ref for path in POLICIES for ob in policyrules.load(path).obligations
               for ref in ob.refs}
    assert sorted(set(ids) - encoded) == []


def test_advice_is_advisory() -> None:
    # 一般 / 力争 / 建议 mark advice (obligations.md): YZ-5, HZ-4, XD-5 among others
    refs_by_severity: dict[str, set[str]] = {"must": set(), "advisory": set()}
    for path in POLICIES:
        for ob in policyrules.load(path).obligations:
            refs_by_severity[ob.severity.value].update(ob.refs)
    assert {"YZ-5", "HZ-4", "XD-5"} <= refs_by_severity["advisory"]
