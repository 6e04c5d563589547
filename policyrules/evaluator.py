"""Deprecated import path, kept for one release: use :mod:`policyrules.engine`."""

from policyrules.engine.python.evaluator import (  # noqa: F401
    Evaluation,
    build_report,
    default_jobs,
    evaluate,
    report_head,
    summarize,
)
