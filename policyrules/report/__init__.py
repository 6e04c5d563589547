"""The report: typed results, the summary, and the formats they are written in (JSON, CSV,
the text table, HTML)."""

from policyrules.report.model import (
    STATUSES,
    PeriodOut,
    RejectedRow,
    Report,
    Result,
    SourceOut,
    Status,
    Summary,
    Tally,
    csv_rows,
    json_items,
    write_csv,
    write_csv_chunks,
    write_json,
    write_json_chunks,
)

__all__ = [
    "STATUSES",
    "PeriodOut",
    "RejectedRow",
    "Report",
    "Result",
    "SourceOut",
    "Status",
    "Summary",
    "Tally",
    "csv_rows",
    "json_items",
    "write_csv",
    "write_csv_chunks",
    "write_json",
    "write_json_chunks",
]
