"""policyrules.views.plots: the heatmap and the timeline of a shipped example, drawn from Python and
from `check --plot`, are real PNG files that show the status colours; without matplotlib the
core still works and the plots say how to install it."""

from __future__ import annotations

import datetime as dt
import struct
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

import policyrules
from policyrules.cli import main
from policyrules.evaluation import evaluate
from policyrules.report.html import COLOURS
from policyrules.report.model import Report
from policyrules.views import plots

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "binhai-2021"
POLICY = ROOT / "policies" / "binhai-2021.pol"
INPUTS = ["--events", str(EXAMPLE / "events.jsonl"), "--units", str(EXAMPLE / "units.jsonl"),
          "--as-of", "2021-12-31"]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) from the PNG's signature and IHDR chunk; fails for anything else."""
    head = path.read_bytes()[:24]
    assert head[:8] == PNG_SIGNATURE, f"{path} is not a PNG file"
    assert head[12:16] == b"IHDR"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def colours_in(path: Path) -> dict[str, int]:
    """How many pixels of the PNG have each status colour, exactly."""
    image = pytest.importorskip("PIL.Image").open(path).convert("RGB")
    found = {colour: count for count, colour in image.getcolors(maxcolors=1 << 20)}
    wanted = {status: tuple(int(hexa[i : i + 2], 16) for i in (1, 3, 5))
              for status, hexa in COLOURS.items()}
    return {status: found.get(rgb, 0) for status, rgb in wanted.items()}


@pytest.fixture(scope="module")
def report() -> Report:
    policy = policyrules.load(POLICY)
    return evaluate(policy, EXAMPLE / "events.jsonl", EXAMPLE / "units.jsonl",
                    as_of=dt.date(2021, 12, 31))


@pytest.fixture()
def with_matplotlib() -> None:
    pytest.importorskip("matplotlib")


def test_heatmap_from_python(report: Report, with_matplotlib: None, tmp_path: Path) -> None:
    figure = plots.heatmap(report, "学雷锋志愿服务日")
    axes = figure.axes[0]
    # the four streets, the twelve second Saturdays in time order
    # the units by their names from the units file, the id beside each
    assert [t.get_text() for t in axes.get_yticklabels()] == [
        "泰达街道 (jd-taida)", "新港街道 (jd-xingang)", "新河街道 (jd-xinhe)",
        "中塘镇 (zh-zhongtang)"]
    periods = [t.get_text() for t in axes.get_xticklabels()]
    assert len(periods) == 12 and periods[0] == "2021-01-09" and periods[-1] == "2021-12-11"
    title = axes.get_title(loc="left")
    assert "学雷锋志愿服务日" in title and "BH-10" in title
    legend = [t.get_text() for t in axes.get_legend().get_texts()]
    assert legend == ["met (45)", "overdue (3)"]
    # jd-xinhe missed July's second Saturday (README: BH-10 2021-07-10 overdue)
    cells = axes.images[0].get_array()
    red = tuple(int(COLOURS["overdue"][i : i + 2], 16) / 255 for i in (1, 3, 5))
    assert tuple(cells[2][periods.index("2021-07-10")][:3]) == pytest.approx(red)

    out = plots.save(plots.heatmap(report, "负责人联络表"), tmp_path / "heatmap.png")
    width, height = png_size(out)
    assert 600 < width < 4000 and 600 < height < 4000
    shown = colours_in(out)
    # 30 met, 3 late, 1 overdue units: each status's colour covers a sizeable area
    assert shown["met"] > 20 * shown["overdue"] > 0 and shown["late"] > shown["overdue"]
    assert shown["pending"] == shown["at_risk"] == 0


def test_timeline_from_python(report: Report, with_matplotlib: None, tmp_path: Path) -> None:
    figure = plots.timeline(report, "hy-kexie", events=EXAMPLE / "events.jsonl")
    axes = figure.axes[0]
    labels = [t.get_text() for t in axes.get_yticklabels()]
    # event kinds on top, then the obligations in the report's order (y grows upwards)
    assert labels[-2:] == ["report", "activity"] and labels[0] == "全年工作总结"
    legend = [t.get_text() for t in axes.get_legend().get_texts()]
    assert {"met (5)", "late (2)", "overdue (5)", "at_risk (1)", "due", "as of",
            "activity (10)", "report (3)"} <= set(legend)

    out = plots.save(figure, tmp_path / "timeline.png")
    width, height = png_size(out)
    assert 1000 < width < 4000 and 500 < height < 3000
    shown = colours_in(out)
    assert all(shown[s] > 100 for s in ("met", "late", "overdue", "at_risk"))

    chosen = plots.timeline(report, "jd-xinhe", obligations=["文明祭扫"])
    assert [t.get_text() for t in chosen.axes[0].get_yticklabels()] == ["文明祭扫"]


def test_plots_draw_into_given_axes(report: Report, with_matplotlib: None) -> None:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(14, 5))
    left, right = figure.subplots(1, 2)
    assert plots.heatmap(report, "每月一课", ax=left) is figure
    assert plots.timeline(report, "xx-shiyan", ax=right) is figure
    assert left.images and right.patches


def test_unknown_names_are_errors(report: Report, with_matplotlib: None) -> None:
    with pytest.raises(ValueError, match="no results for obligation `每月一讲`"):
        plots.heatmap(report, "每月一讲")
    with pytest.raises(ValueError, match="no results for unit `jd-nowhere`"):
        plots.timeline(report, "jd-nowhere")
    with pytest.raises(ValueError, match="no results for 每月一课"):
        plots.timeline(report, "jd-xinhe", obligations=["每月一课"])


def test_chinese_names_render_with_a_cjk_font(report: Report, with_matplotlib: None,
                                                tmp_path: Path) -> None:
    if plots.cjk_font() is None:
        pytest.skip("no CJK font on this machine (Debian: fonts-wqy-zenhei)")
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="Glyph")  # a missing glyph is a warning
        plots.timeline(report, "jd-xinhe").savefig(tmp_path / "zh.png")
        plots.heatmap(report, "文明祭扫").savefig(tmp_path / "zh-heatmap.png")


def test_a_cjk_font_missing_from_matplotlibs_cache_is_found(
    with_matplotlib: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from matplotlib import font_manager

    if plots.cjk_font() is None:
        pytest.skip("no CJK font on this machine (Debian: fonts-wqy-zenhei)")
    # as if the font had been installed after matplotlib built its cache
    stale = [f for f in font_manager.fontManager.ttflist if f.name != plots.cjk_font()]
    stale = [f for f in stale if not any(w in f.name for w in ("CJK", "Hei", "Han", "Song"))]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", stale)
    plots.cjk_font.cache_clear()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert plots.cjk_font() is not None
    finally:
        plots.cjk_font.cache_clear()


def test_without_a_cjk_font_it_still_draws(report: Report, with_matplotlib: None,
                                           tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                           ) -> None:
    from matplotlib import font_manager

    latin = [f for f in font_manager.fontManager.ttflist if f.name.startswith("DejaVu")]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", latin)
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *args, **kwargs: [])
    plots.cjk_font.cache_clear()
    try:
        with pytest.warns(UserWarning, match="no CJK font found"):
            figure = plots.heatmap(report, "文明祭扫")
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # the missing glyphs are not reported one by one
            out = plots.save(figure, tmp_path / "boxes.png")
        assert png_size(out)[0] > 300
    finally:
        plots.cjk_font.cache_clear()


def test_check_plot_writes_a_heatmap_and_a_timeline(
    with_matplotlib: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    heatmap = tmp_path / "heatmap.png"
    assert main(["check", str(POLICY), *INPUTS, "--format", "csv", "--plot", str(heatmap),
                 "--plot-obligation", "仪式感宣传活动"]) == 1  # some must obligations overdue
    assert f"wrote {heatmap}" in capsys.readouterr().err
    width, height = png_size(heatmap)
    assert width > 500 and height > 600  # 34 units
    assert sum(n > 50 for n in colours_in(heatmap).values()) == 2  # met and overdue

    timeline = tmp_path / "timeline.png"
    assert main(["check", str(POLICY), *INPUTS, "--format", "csv", "--plot", str(timeline),
                 "--plot-unit", "jd-xinhe"]) == 1
    assert png_size(timeline)[0] > 1000
    assert colours_in(timeline)["overdue"] > 100  # 文明祭扫 寒衣节, 2021-07-10

    # by default: the obligation covering the most units — a tall grid, one row a unit
    default = tmp_path / "default.png"
    assert main(["check", str(POLICY), *INPUTS, "--format", "csv", "--plot", str(default)]) == 1
    width, height = png_size(default)
    assert height > 600  # every unit of the example has a row


def test_check_plot_errors(with_matplotlib: None, tmp_path: Path,
                           capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "x.png"
    assert main(["check", str(POLICY), *INPUTS, "--format", "csv", "--plot", str(out),
                 "--plot-unit", "jd-xinh"]) == 2
    assert "did you mean `jd-xinhe`?" in capsys.readouterr().err
    assert main(["check", str(POLICY), *INPUTS, "--plot-obligation", "每月一课"]) == 2
    assert "need --plot FILE" in capsys.readouterr().err
    assert not out.exists()


def test_without_matplotlib(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                            capsys: pytest.CaptureFixture[str]) -> None:
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # `import matplotlib` fails
    report = evaluate(policyrules.load(POLICY), [], as_of=dt.date(2021, 3, 1))
    with pytest.raises(ImportError, match=r"pip install 'policyrules\[plot\]'"):
        plots.heatmap(report, "文明交通")
    out = tmp_path / "x.png"
    assert main(["check", str(POLICY), *INPUTS, "--plot", str(out)]) == 2
    assert "--plot needs matplotlib: pip install 'policyrules[plot]'" in capsys.readouterr().err
    assert not out.exists()


def test_the_core_does_not_import_matplotlib() -> None:
    code = (
        "import sys, policyrules, policyrules.views.plots, policyrules.cli, policyrules.report\n"
        "assert 'matplotlib' not in sys.modules, 'imported matplotlib'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_pictures_in_chinese(report: Report, with_matplotlib: None, tmp_path: Path,
                             caplog: pytest.LogCaptureFixture) -> None:
    """Every word of a picture follows `lang` — titles, axes, legends, kinds of events,
    dates — and the CJK font is found without a warning, from matplotlib or from us."""
    import logging
    import re

    if plots.cjk_font() is None:
        pytest.skip("no CJK font on this machine (Debian: fonts-wqy-zenhei)")
    with caplog.at_level(logging.INFO, logger="matplotlib.font_manager"), \
            warnings.catch_warnings():
        warnings.simplefilter("error")
        # drawn on a canvas of our own: plots.save would hide a missing glyph's warning
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        heat = plots.heatmap(report, "学雷锋志愿服务日", lang="zh")
        FigureCanvasAgg(heat).draw()
        line = plots.timeline(report, "hy-kexie", events=EXAMPLE / "events.jsonl", lang="zh")
        FigureCanvasAgg(line).draw()
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text
    axes = heat.axes[0]
    assert axes.get_xlabel() == "期间"
    assert axes.get_title(loc="left").endswith("截至2021-12-31")
    legend = axes.get_legend()
    assert legend.get_title().get_text() == "状态"
    assert [t.get_text() for t in legend.get_texts()] == ["已完成（45）", "逾期未完成（3）"]
    axes = line.axes[0]
    labels = [t.get_text() for t in axes.get_yticklabels()]
    assert labels[-2:] == ["报送材料", "活动"]
    legend_words = {t.get_text() for t in axes.get_legend().get_texts()}
    assert {"截止时间", "截至日期", "活动（10）", "逾期未完成（5）"} <= legend_words
    dates = " ".join(t.get_text() for t in axes.get_xticklabels())
    assert "月" in dates and not re.search(r"[A-Za-z]", dates), dates
    assert axes.get_title(loc="left").startswith("区科协（hy-kexie）——binhai_2021")
