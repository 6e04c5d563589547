"""The node ids of the tests a JUnit report (pytest --junitxml) says were skipped, one a
line: what `.ci/run` runs again once the optional extras are installed."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ElementTree


def skipped(report: str) -> list[str]:
    found = []
    for case in ElementTree.parse(report).iter("testcase"):
        if case.find("skipped") is None:
            continue
        # pytest writes `tests.test_plots` and `test_heatmap[...]` for
        # tests/test_plots.py::test_heatmap[...]
        classname, name = case.get("classname", ""), case.get("name", "")
        if not classname:
            # a module skipped as a whole (importorskip at its top): `tests.test_bench_data`
            found.append(name.replace(".", "/") + ".py")
            continue
        module = classname.replace(".", "/")
        found.append(f"{module}.py::{name}")
    return found


if __name__ == "__main__":
    print("\n".join(skipped(sys.argv[1])))
