"""Deprecated import path, kept for one release: use :mod:`policyrules.evaluation` (and
:mod:`policyrules.report.build` for the report around streamed results)."""

from policyrules.evaluation import Evaluation, default_jobs, evaluate  # noqa: F401
from policyrules.report.build import build_report, report_head, summarize  # noqa: F401
