"""Pictures of a report for analysts: a heatmap of one obligation, a timeline of one unit.

matplotlib is an optional extra (``pip install 'policyrules[plot]'``): it is imported inside
the functions, so the rest of policyrules imports and works without it.

- :func:`heatmap` — units × periods of one obligation, each cell coloured by its status.
- :func:`timeline` — one unit over time: its events as points (by kind), each obligation's
  instance windows as bars coloured by status, and their due dates as markers.
- :func:`save` — write a figure to a file (PNG, SVG, PDF … by the suffix).

The status colours are those of the HTML report (:data:`policyrules.report.html.COLOURS`). Chinese
unit and obligation names need a CJK font: the first one matplotlib knows of (Noto Sans CJK,
Source Han Sans, WenQuanYi, SimHei, Microsoft YaHei, PingFang …) is used as a fallback behind
the default sans-serif font; without one the names show as boxes and a single warning says so.

Figures are built with :class:`matplotlib.figure.Figure`, not pyplot: no window opens and no
global figure list grows; in Jupyter a returned figure is shown inline (``%matplotlib inline``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
import warnings
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policyrules.diagnostics.messages import Listing, msg, status_name, t
from policyrules.report.html import COLOURS
from policyrules.report.model import STATUSES, Report, Result
from policyrules.report.plain import KINDS
from policyrules.report.text import unit_text

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["CJK_FONTS", "cjk_font", "heatmap", "save", "timeline"]

INSTALL_HINT = "pip install 'policyrules[plot]'"

#: CJK fonts looked for, in order of preference (family names as matplotlib knows them).
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "STHeiti",
    "Noto Sans CJK TC",
    "Noto Sans CJK JP",
    "AR PL UMing CN",
    "Droid Sans Fallback",
    "Arial Unicode MS",
)

#: cells with no result (a unit that was not in scope for a period)
EMPTY = "#f2f2f2"
#: the marker colours of event kinds on a timeline (statuses keep the colours of COLOURS)
KIND_STYLES = (
    ("o", "#212121"),
    ("s", "#6a1b9a"),
    ("^", "#00838f"),
    ("D", "#4e342e"),
    ("v", "#ad1457"),
    ("P", "#1565c0"),
    ("X", "#558b2f"),
    ("*", "#37474f"),
)
#: at most this many labels on the heatmap's period axis (every n-th one past that)
MAX_LABELS = 40

_GLYPH_WARNING = r"Glyph \d+ .*missing from (current )?font"


# ----------------------------------------------------------------------------- set-up


def _matplotlib() -> Any:
    """matplotlib, or an ImportError that says how to install it."""
    try:
        import matplotlib
    except ImportError as error:
        raise ImportError(
            f"policyrules.views.plots needs matplotlib, an optional extra: {INSTALL_HINT}"
        ) from error
    return matplotlib


@functools.cache
def cjk_font() -> str | None:
    """The family name of a CJK font matplotlib can use, or None (one warning, then)."""
    _matplotlib()
    from matplotlib import font_manager

    for attempt in range(2):
        known = {entry.name for entry in font_manager.fontManager.ttflist}
        for name in CJK_FONTS:
            if name in known:
                return _with_a_regular_weight(font_manager, name)
        for name in sorted(known):
            if any(word in name for word in ("CJK", "Han Sans", "Hei", "Song", "Ming")):
                return _with_a_regular_weight(font_manager, name)
        if attempt == 0 and not _add_system_cjk_fonts(font_manager):
            break
    warnings.warn(
        "policyrules.views.plots: no CJK font found, so Chinese names will show as boxes; install"
        " one (e.g. Debian's fonts-noto-cjk or fonts-wqy-zenhei)",
        UserWarning,
        stacklevel=3,
    )
    return None


def _with_a_regular_weight(font_manager: Any, name: str) -> str:
    """`name`, made to answer for the regular weight: text is drawn at weight 400, and a
    family that has only another (WenQuanYi Zen Hei is 500) makes matplotlib log "Failed to
    find font weight normal" for every text that falls back on it. Its one weight stands in
    for the regular one, as a font viewer would show it."""
    manager = font_manager.fontManager
    entries = [entry for entry in manager.ttflist if entry.name == name]
    if entries and not any(entry.weight in (400, "normal", "regular") for entry in entries):
        manager.ttflist.extend(dataclasses.replace(entry, weight=400) for entry in entries)
        manager._findfont_cached.cache_clear()
    return name


def _add_system_cjk_fonts(font_manager: Any) -> bool:
    """Add the system's CJK font files that matplotlib's font cache does not know (a font
    installed after matplotlib first ran); whether there were any."""
    words = ("cjk", "wqy", "sourcehan", "simhei", "msyh", "pingfang", "droidsansfallback",
             "hiragino", "heiti", "uming", "ukai")
    added = False
    try:
        for path in font_manager.findSystemFonts():
            if any(word in Path(path).name.lower().replace("-", "") for word in words):
                font_manager.fontManager.addfont(path)
                added = True
    except (OSError, RuntimeError, ValueError):  # an unreadable font file: do without it
        pass
    return added


def _family() -> list[str]:
    """The font families for text: the default sans-serif, then a CJK font for the glyphs
    it lacks (matplotlib ≥ 3.6 falls back font by font, glyph by glyph)."""
    found = cjk_font()
    return ["sans-serif", found] if found else ["sans-serif"]


def _new_axes(ax: Axes | None, size: tuple[float, float]) -> tuple[Figure, Axes]:
    if ax is not None:
        figure = ax.get_figure()
        assert figure is not None
        return figure, ax  # type: ignore[return-value]
    from matplotlib.figure import Figure

    figure = Figure(figsize=size, layout="constrained")
    return figure, figure.add_subplot()


def _row_name(result: Result, lang: str = "en") -> str:
    """A unit as people read it (its name, its id beside it), and the person."""
    return unit_text(result, lang) + (f" · {result.person}" if result.person else "")


def _worse(a: Result, b: Result) -> Result:
    """Of two results in one cell, the one that needs attention first."""
    order = ("overdue", "at_risk", "late", "indeterminate", "pending", "met")
    return a if order.index(a.status) <= order.index(b.status) else b


def _naive(moment: dt.datetime, zone: dt.tzinfo | None) -> dt.datetime:
    """A moment as the wall-clock time of the report's zone (matplotlib's dates are naive)."""
    if moment.tzinfo is not None and zone is not None:
        moment = moment.astimezone(zone)
    return moment.replace(tzinfo=None)


def _status_handles(statuses: Iterable[str], counts: Mapping[str, int] | None = None,
                    lang: str = "en") -> list[Any]:
    from matplotlib.patches import Patch

    present = set(statuses)
    return [
        Patch(
            facecolor=COLOURS[s],
            edgecolor="none",
            label=(t(lang, "{name} ({count})", name=status_name(lang, s), count=counts[s])
                   if counts else status_name(lang, s)),
        )
        for s in STATUSES
        if s in present
    ]


# ----------------------------------------------------------------------------- heatmap


def heatmap(report: Report, obligation: str, ax: Axes | None = None,
            lang: str = "en") -> Figure:
    """Units × periods of `obligation`: one row per unit (or unit · person), one column per
    period in time order, each cell coloured by status (white-grey where a unit has no
    result for a period); a legend of the statuses shown, with their counts."""
    _matplotlib()
    from matplotlib.colors import to_rgba

    results = [r for r in report.results if r.obligation == obligation]
    if not results:
        known = sorted({r.obligation for r in report.results})
        raise ValueError(msg("no results for obligation `{obligation}` in the report (it has:"
                             " {known})", obligation=obligation,
                             known=Listing(known) if known else msg("none")))
    cells: dict[tuple[tuple[str, str], str], Result] = {}
    names: dict[tuple[str, str], str] = {}
    periods: dict[str, tuple[dt.date, str]] = {}
    for r in results:
        who = (r.unit, r.person or "")  # rows in the order of the units' ids
        names.setdefault(who, _row_name(r, lang))
        key = (who, r.period.label)
        cells[key] = _worse(cells[key], r) if key in cells else r
        periods[r.period.label] = (r.period.start, r.period.label)
    columns = sorted(periods, key=lambda label: periods[label])
    rows = sorted({row for row, _ in cells})
    family = _family()

    width = min(max(4.0 + 0.28 * len(columns), 7.0), 22.0)
    height = min(max(1.6 + 0.28 * len(rows), 3.2), 16.0)
    figure, axes = _new_axes(ax, (width, height))

    empty = to_rgba(EMPTY)
    image = [
        [
            to_rgba(COLOURS[cells[(row, column)].status]) if (row, column) in cells else empty
            for column in columns
        ]
        for row in rows
    ]
    axes.imshow(image, aspect="auto", interpolation="nearest")
    # white lines between the cells
    axes.set_xticks([x - 0.5 for x in range(1, len(columns))], minor=True)
    axes.set_yticks([y - 0.5 for y in range(1, len(rows))], minor=True)
    axes.grid(which="minor", color="white", linewidth=1.0 if len(columns) < 80 else 0.3)
    axes.tick_params(which="minor", length=0)
    for side in axes.spines.values():
        side.set_visible(False)

    step = max(1, -(-len(columns) // MAX_LABELS))  # ceiling division
    shown = list(range(0, len(columns), step))
    axes.set_xticks(shown, [columns[i] for i in shown], rotation=60, ha="right",
                    rotation_mode="anchor", fontfamily=family, fontsize=8)
    axes.set_yticks(range(len(rows)), [names[row] for row in rows], fontfamily=family,
                    fontsize=8)
    axes.set_xlabel(t(lang, "period") if step == 1 else
                    t(lang, "period (every {step}th labelled)", step=step),
                    fontfamily=family)

    first = results[0]
    axes.set_title(
        t(lang, "{obligation} — {title}\n{policy} · {refs} · as of {day}", obligation=obligation,
          title=first.title, policy=report.policy, refs=" ".join(first.refs),
          day=f"{report.as_of:%Y-%m-%d}"),
        fontfamily=family,
        fontsize=10,
        loc="left",
    )
    counts: Counter[str] = Counter(cell.status for cell in cells.values())
    axes.legend(
        handles=_status_handles(counts, counts, lang),
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        frameon=False,
        title=t(lang, "status"),
        title_fontproperties={"family": family, "size": 9},
        prop={"family": family, "size": 8},
    )
    return figure


# ----------------------------------------------------------------------------- timeline


def _event_points(
    events: Any, unit: str, evidence: set[str], as_of: dt.datetime
) -> list[tuple[str, dt.datetime, str]]:
    """(kind, local time, id) of the unit's own events and of the events its results count
    (an area's events counted for a street, say), up to `as_of` as the report saw them.
    `events` is an EventSet, a list of Event objects or of dicts, or the path of an events
    file (read as is, without a policy)."""
    zone = as_of.tzinfo
    until = _naive(as_of, zone)
    if events is None:
        return []
    if isinstance(events, (str, os.PathLike)):
        from policyrules.data.events import read_rows

        rows: Iterable[Any] = [
            row for _, row in read_rows(Path(events)) if not isinstance(row, str)
        ]
    else:
        rows = getattr(events, "events", events)
    points = []
    for row in rows:
        if isinstance(row, Mapping):
            ident, owner, kind, at = (row.get(k) for k in ("id", "unit", "kind", "at"))
        else:
            ident, owner, kind, at = (getattr(row, k, None) for k in ("id", "unit", "kind", "at"))
        if owner != unit and str(ident) not in evidence:
            continue
        if isinstance(at, str):
            try:
                at = dt.datetime.fromisoformat(at)
            except ValueError:
                continue
        elif isinstance(at, dt.date) and not isinstance(at, dt.datetime):
            at = dt.datetime.combine(at, dt.time())
        if not isinstance(at, dt.datetime) or kind is None:
            continue
        local = _naive(at, zone)
        if local <= until:
            points.append((str(kind), local, str(ident)))
    return points


def timeline(
    report: Report,
    unit: str,
    events: Any = None,
    obligations: Sequence[str] | None = None,
    ax: Axes | None = None,
    lang: str = "en",
) -> Figure:
    """One unit over time. A row per obligation (all the unit has results for, or those in
    `obligations`), with each instance's window — its period, from the first day to the last —
    as a bar coloured by status and its due date as a black tick; above them a row per event
    kind with the unit's `events` up to the report's as-of as points (an EventSet, Event
    objects, dicts or an events file; those of other units count when the unit's results cite
    them as evidence); a dashed line at the as-of."""
    _matplotlib()
    from matplotlib import dates
    from matplotlib.lines import Line2D

    mdates: Any = dates  # not typed

    own = [r for r in report.results if r.unit == unit]
    if not own:
        known = sorted({r.unit for r in report.results})
        raise ValueError(msg("no results for unit `{unit}` in the report (it has: {known})",
                             unit=unit, known=Listing(known[:12] + (["…"] if len(known) > 12
                                                                    else []))
                             if known else msg("none")))
    names = list(dict.fromkeys(r.obligation for r in own))
    if obligations is not None:
        missing = [o for o in obligations if o not in names]
        if missing:
            raise ValueError(msg("unit `{unit}` has no results for {missing} (it has: {names})",
                                 unit=unit, missing=Listing(missing), names=Listing(names)))
        names = list(dict.fromkeys(obligations))
        own = [r for r in own if r.obligation in names]
    zone = report.as_of.tzinfo
    evidence = {ident for r in own for ident in r.evidence}
    points = _event_points(events, unit, evidence, report.as_of)
    kinds = sorted({kind for kind, _, _ in points})
    family = _family()

    rows = len(kinds) + len(names)
    figure, axes = _new_axes(ax, (12.0, min(max(1.8 + 0.42 * rows, 3.2), 16.0)))
    # y positions, top to bottom: event kinds, then obligations
    y_of = {("kind", k): rows - 1 - i for i, k in enumerate(kinds)}
    y_of.update({("obligation", o): len(names) - 1 - i for i, o in enumerate(names)})

    day = dt.timedelta(days=1)
    starts, ends = [], []
    for r in own:
        start = dt.datetime.combine(r.period.start, dt.time())
        end = dt.datetime.combine(r.period.end, dt.time()) + day
        starts.append(start)
        ends.append(end)
        y = y_of[("obligation", r.obligation)]
        left = float(mdates.date2num(start))
        axes.barh(y, float(mdates.date2num(end)) - left, left=left, height=0.56,
                  color=COLOURS[r.status], edgecolor="white", linewidth=0.4)
    dues = [(_naive(r.due, zone), y_of[("obligation", r.obligation)]) for r in own if r.due]
    if dues:
        axes.scatter([mdates.date2num(d) for d, _ in dues], [y + 0.36 for _, y in dues],
                     marker="v", s=14, color="black", linewidths=0, zorder=3)

    event_handles = []
    for index, kind in enumerate(kinds):
        marker, colour = KIND_STYLES[index % len(KIND_STYLES)]
        at = [mdates.date2num(moment) for k, moment, _ in points if k == kind]
        axes.scatter(at, [y_of[("kind", kind)]] * len(at), marker=marker, s=18, color=colour,
                     alpha=0.75, linewidths=0, zorder=3)
        event_handles.append(Line2D([], [], marker=marker, color=colour, linestyle="none",
                                    label=t(lang, "{name} ({count})", name=_kind(kind, lang),
                                            count=len(at))))

    as_of = _naive(report.as_of, zone)
    axes.axvline(float(mdates.date2num(as_of)), color="#424242", linestyle="--", linewidth=1)
    moments = starts + ends + [moment for _, moment, _ in points] + [as_of]
    margin = max((max(moments) - min(moments)) / 60, day)
    axes.set_xlim(float(mdates.date2num(min(moments) - margin)),
                  float(mdates.date2num(max(moments) + margin)))
    axes.set_ylim(-0.7, rows - 0.3)
    locator = mdates.AutoDateLocator()
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(_dates(mdates, locator, lang))
    # the dates' labels are made when drawn: they take the CJK font from here (年, 月)
    axes.tick_params(axis="x", labelfontfamily=family)
    axes.xaxis.get_offset_text().set_fontfamily(family)
    labels = [*reversed(names), *(_kind(k, lang) for k in reversed(kinds))]
    axes.set_yticks(range(rows), labels, fontfamily=family, fontsize=8)
    for label in axes.get_yticklabels()[len(names):]:
        label.set_fontstyle("italic")
    if kinds:
        axes.axhline(len(names) - 0.5, color="#bdbdbd", linewidth=0.8)
    axes.grid(axis="x", color="#e0e0e0", linewidth=0.6)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)

    axes.set_title(t(lang, "{unit} — {policy} · as of {day}", unit=_row_name(own[0], lang),
                     policy=report.policy, day=f"{report.as_of:%Y-%m-%d}"),
                   fontfamily=family, fontsize=10, loc="left")
    counts: Counter[str] = Counter(r.status for r in own)
    handles = [
        *_status_handles(counts, counts, lang),
        Line2D([], [], marker="v", color="black", linestyle="none", label=t(lang, "due")),
        Line2D([], [], color="#424242", linestyle="--", label=t(lang, "as of")),
        *event_handles,
    ]
    axes.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False,
                prop={"family": family, "size": 8})
    return figure


def _kind(kind: str, lang: str) -> str:
    """An event kind as a row of the timeline: its word in Chinese, its name in English."""
    word = KINDS.get(kind)
    return t(lang, word[0]) if word is not None and lang != "en" else kind


#: dates on a timeline's axis in Chinese: numbers, not English month names
_ZH_DATES = {
    "formats": ["%Y年", "%m月", "%d日", "%H:%M", "%H:%M", "%S.%f"],
    "zero_formats": ["", "%Y年", "%m月", "%m-%d", "%H:%M", "%H:%M"],
    "offset_formats": ["", "%Y年", "%Y年%m月", "%Y-%m-%d", "%Y-%m-%d", "%Y-%m-%d %H:%M"],
}


def _dates(mdates: Any, locator: Any, lang: str) -> Any:
    if lang == "zh":
        return mdates.ConciseDateFormatter(locator, **_ZH_DATES)
    return mdates.ConciseDateFormatter(locator)


# ----------------------------------------------------------------------------- files


def save(figure: Figure, path: str | os.PathLike[str], dpi: int = 150) -> Path:
    """Write `figure` to `path` (the format from its suffix: .png, .svg, .pdf …) with the
    non-interactive Agg canvas; returns the path."""
    _matplotlib()
    from matplotlib.backend_bases import FigureCanvasBase
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if type(figure.canvas) is FigureCanvasBase:  # a figure made without pyplot
        FigureCanvasAgg(figure)
    target = Path(path)
    with warnings.catch_warnings():
        # without a CJK font cjk_font() has said so once; not once per missing character
        warnings.filterwarnings("ignore", message=_GLYPH_WARNING, category=UserWarning)
        figure.savefig(target, dpi=dpi, bbox_inches="tight", facecolor="white")
    return target
