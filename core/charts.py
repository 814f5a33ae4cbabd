"""The one server-side chart helper: matplotlib → inline SVG, for dashboards and PDFs alike.

Uses matplotlib's object API (no pyplot state, safe in web and worker processes). Text stays
text (svg.fonttype "none") in fonts with Cyrillic, so the PDF renderer and the browser draw it
with the same families. The SVG comes back without its XML head and fixed size, ready to inline.

Labels are data typed by people (option texts, cluster names, period labels), so no text goes
through mathtext or TeX: `text.parse_math` and `text.usetex` are off for every chart, and
`_literal_texts` turns parsing off on every text object before drawing. A label like «$x^2$» or
«цена $5–$6» is drawn as typed; an unbalanced «$\frac{$» no longer raises (a 500 on the results
page, a failed PDF).

Drawn once per data version: every chart function is wrapped by `cached_chart`, which keys the SVG by a
hash of exactly what the chart shows — the function, every argument after defaults (values, labels, title,
unit, size, plan, statuses) and the style version (STYLE_VERSION, this module's and core/formatting.py's
source, matplotlib's version) — and keeps it in Django's cache alias "charts" (settings.CACHES; the
default alias when there is none). A read of unchanged data costs a hash and a cache get; matplotlib runs
only for a picture not seen before. Nothing is ever invalidated: new values are a new key, and the old
picture is no longer asked for and expires (TIMEOUT) or is culled. The charts stay server-side SVG because
the PDFs (reports/) embed the same SVG and WeasyPrint runs no JavaScript; they share the cache.
"""
from __future__ import annotations

import dataclasses
import datetime
import decimal
import functools
import hashlib
import inspect
import io
import json
import logging
import numbers
import os
import re
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("MPLCONFIGDIR", os.path.join(tempfile.gettempdir(), "imc-portal-matplotlib"))

import matplotlib  # noqa: E402

matplotlib.use("svg")
from django.conf import settings  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.utils.functional import Promise  # noqa: E402
from django.utils.safestring import SafeString, mark_safe  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.text import Text  # noqa: E402
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator  # noqa: E402

from . import formatting  # noqa: E402

logger = logging.getLogger(__name__)

FONT_FAMILY = ["PT Sans", "Liberation Sans", "DejaVu Sans", "sans-serif"]
COLOURS = {
    "achieved": "#2e7d32",
    "not_achieved": "#c62828",
    "no_data": "#9e9e9e",
    "plan": "#212121",
    "series": ["#1565c0", "#ef6c00", "#6a1b9a", "#00838f", "#ad1457", "#558b2f", "#4e342e", "#37474f"],
}
_RC = {
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": FONT_FAMILY,
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.hashsalt": "imc-portal",  # stable ids: the same data gives the same SVG
    "text.usetex": False,
    "text.parse_math": False,  # «$…$» in a label is text, not a formula
}


# Bump when the drawing changes for a reason the fingerprint below cannot see (fonts installed on the
# server, a change in a module other than this one and core/formatting.py).
STYLE_VERSION = 1
CHART_CACHE_ALIAS = "charts"


def _style_fingerprint() -> str:
    digest = hashlib.sha256(f"{STYLE_VERSION}|{matplotlib.__version__}".encode())
    for module in (__file__, formatting.__file__):
        try:
            digest.update(Path(module).read_bytes())
        except OSError:  # pragma: no cover - sources shipped without .py files: the version alone
            digest.update(module.encode())
    return digest.hexdigest()[:16]


STYLE = _style_fingerprint()


class _Unhashable(TypeError):
    """An argument the key cannot describe by value: such a chart is drawn, not cached."""


def _plain(value):
    """json.dumps' fallback: a value the chart shows, by value, with its type where the type could matter."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"__dataclass__": type(value).__qualname__,
                **{field.name: getattr(value, field.name) for field in dataclasses.fields(value)}}
    if isinstance(value, decimal.Decimal):
        return {"__decimal__": str(value)}
    if isinstance(value, Promise):  # a lazy translation: the text it stands for
        return str(value)
    if isinstance(value, numbers.Integral):  # numpy and other integer types
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, datetime.date | datetime.time):
        return {"__date__": value.isoformat()}
    raise _Unhashable(type(value).__qualname__)


def chart_key(name: str, arguments: dict) -> str:
    """The cache key of a chart: its function and every argument (after defaults) plus the style, hashed."""
    payload = json.dumps([name, STYLE, arguments], default=_plain, sort_keys=True, ensure_ascii=False,
                         separators=(",", ":"))
    return f"chart:{name}:{hashlib.sha256(payload.encode()).hexdigest()}"


def _chart_cache():
    return caches[CHART_CACHE_ALIAS if CHART_CACHE_ALIAS in settings.CACHES else "default"]


def cached_chart(function: Callable[..., SafeString]) -> Callable[..., SafeString]:
    """Serve `function`'s SVG from the cache when the same chart (same arguments, same style) was drawn before.

    An iterator argument is read into a list first (the key reads it, the drawing needs it too). An argument
    the key cannot describe by value, or a cache that fails, draws the chart as before — never a 500.
    `function.__wrapped__` is the drawing itself.
    """
    signature = inspect.signature(function)
    name = function.__name__

    @functools.wraps(function)
    def wrapper(*args, **kwargs) -> SafeString:
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        for parameter, value in bound.arguments.items():
            if isinstance(value, Iterator):
                bound.arguments[parameter] = list(value)
        try:
            key = chart_key(name, bound.arguments)
        except (_Unhashable, ValueError):  # ValueError: a circular structure
            return function(*bound.args, **bound.kwargs)
        cache = _chart_cache()
        try:
            svg = cache.get(key)
        except Exception:  # noqa: BLE001 - a cache that is down costs a drawing, not the page
            logger.warning("chart cache unavailable for get", exc_info=True)
            return function(*bound.args, **bound.kwargs)
        if svg is not None:
            return mark_safe(svg)  # noqa: S308 - stored by this wrapper from the drawing below
        svg = function(*bound.args, **bound.kwargs)
        try:
            cache.set(key, str(svg))
        except Exception:  # noqa: BLE001
            logger.warning("chart cache unavailable for set", exc_info=True)
        return svg

    return wrapper


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    status: str = "no_data"  # achieved / not_achieved / no_data
    plan: float | None = None


def _number(value: float, decimals: int) -> str:
    # No thousands separator: axis ticks and bar labels are short and must not wrap.
    return formatting.number(float(value), decimals, thousands="")


# The 0–1 scale (indices, shares as fractions): ticks every 0,2, labelled «0», «0,2» … «1».
UNIT_SCALE_TICKS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)


def _tick_decimals(ticks: Sequence[float]) -> int:
    """The fewest decimals (0–3) that show the ticks exactly: 0,2 needs one, 0,25 two, 1 none.
    Whole-number labels on a 0–1 axis read «0, 0, 0, 1, 1, 1»."""
    for decimals in range(3):
        if all(abs(round(tick, decimals) - tick) < 1e-9 for tick in ticks):
            return decimals
    return 3


def _value_axis(axis, *, unit: str = "", top: float | None = None) -> None:
    """Ticks and labels of a chart's value axis: on the 0–1 scale (`top` == 1) ticks every 0,2; each label
    carries as many decimals as its tick needs, with a decimal comma, and the unit."""
    if top is not None and abs(top - 1.0) < 1e-9:
        axis.set_major_locator(FixedLocator(UNIT_SCALE_TICKS))
    suffix = f" {unit}" if unit else ""

    def label(value: float, _position) -> str:
        # «0», «0,2» … «1»: each tick with the decimals it needs, as the printed Sayansk charts label it.
        return _number(value, _tick_decimals([value])) + suffix

    axis.set_major_formatter(FuncFormatter(label))


def _to_svg(fig: Figure, title: str, *, tight: bool = True) -> SafeString:
    """`tight` crops to the drawn content at the cost of drawing twice; fixed-margin charts skip it."""
    _literal_texts(fig)
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight" if tight else None, metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    # Let the page or the PDF size it: drop the fixed width/height, keep the viewBox.
    svg = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r'<svg\1 role="img"', svg, count=1)
    svg = svg.replace("<svg", f'<svg aria-label="{_escape(title)}" preserveAspectRatio="xMidYMid meet"', 1)
    svg = _presentation_attributes(svg)
    return mark_safe(svg)  # noqa: S308 - generated by matplotlib from numbers and escaped labels


_STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')
_UNIVERSAL_RULE = re.compile(r'\s*<style type="text/css">\*\{([^}]*)\}</style>')


def _declarations(css: str) -> list[tuple[str, str]]:
    pairs = (part.split(":", 1) for part in css.split(";") if ":" in part)
    return [(name.strip(), value.strip()) for name, value in pairs]


def _attributes(pairs: list[tuple[str, str]], tag: str) -> str:
    return "".join(f' {name}="{value}"' for name, value in pairs if f' {name}="' not in tag)


def _presentation_attributes(svg: str) -> str:
    """matplotlib's style="fill: …" and its <style>*{…}</style> as SVG presentation attributes.

    Inline SVG on a page obeys the page's Content-Security-Policy, which allows neither style
    attributes nor <style> elements; presentation attributes (fill="…") are not styles and draw
    the same, in browsers and in WeasyPrint. The universal rule goes onto the root element, whose
    attributes every element inherits unless it sets its own.
    """
    universal = _UNIVERSAL_RULE.search(svg)
    if universal:
        svg = svg[:universal.start()] + svg[universal.end():]
        root_end = svg.index(">")
        svg = svg[:root_end] + _attributes(_declarations(universal.group(1)), svg[:root_end]) + svg[root_end:]

    def tag_without_style(match: re.Match) -> str:
        tag = match.group(0)
        style = _STYLE_ATTRIBUTE.search(tag)
        rest = tag[:style.start()] + tag[style.end():]
        return rest[:style.start()] + _attributes(_declarations(style.group(1)), rest) + rest[style.start():]

    return re.sub(r'<[a-zA-Z][^<>]*\sstyle="[^"]*"[^<>]*>', tag_without_style, svg)


def _literal_texts(fig: Figure) -> None:
    """Every text object of the figure (tick labels, annotations, titles, legends) drawn as typed,
    whatever rcParams were in force when it was made."""
    for text in fig.findobj(Text):
        text.set_parse_math(False)
        text.set_usetex(False)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


@cached_chart
def plan_fact_chart(bars: Sequence[Bar], *, title: str = "", unit: str = "", decimals: int = 1,
                    y_max: float | None = None, width: float = 6.0, height: float = 2.8) -> SafeString:
    """Fact per period as bars coloured by achievement, the plan as a black dash over each bar."""
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(width, height))
        # Period labels and a percent axis have a known size: fixed margins draw once (no tight bbox).
        fig.subplots_adjust(left=0.11, right=0.99, bottom=0.12, top=0.86 if title else 0.9)
        ax = fig.add_subplot()
        xs = range(len(bars))
        facts = [b.value if b.value is not None else 0 for b in bars]
        colours = [_status_colour(b.status) for b in bars]
        drawn = ax.bar(xs, facts, color=colours, width=0.6)
        for rect, bar in zip(drawn, bars, strict=True):
            if bar.value is not None:
                ax.annotate(_number(bar.value, decimals), (rect.get_x() + rect.get_width() / 2, rect.get_height()),
                            ha="center", va="bottom", fontsize=8, xytext=(0, 2), textcoords="offset points")
        plan_points = [(x, b.plan) for x, b in zip(xs, bars, strict=True) if b.plan is not None]
        if plan_points:
            ax.scatter([p[0] for p in plan_points], [p[1] for p in plan_points], marker="_", s=900,
                       linewidths=2.5, color=COLOURS["plan"], label="план", zorder=3)
            ax.legend(loc="upper right", bbox_to_anchor=(1.0, 1.12), frameon=False, fontsize=8, markerscale=0.35)
        ax.set_xticks(list(xs), [b.label for b in bars])
        top = max([*facts, *(p[1] for p in plan_points), 0])
        ax.set_ylim(0, y_max if y_max is not None else (top * 1.2 or 1))
        _value_axis(ax.yaxis, unit=unit, top=y_max)
        if title:
            ax.set_title(title, fontsize=10, loc="left")
        return _to_svg(fig, title, tight=False)


@cached_chart
def bar_comparison_chart(labels: Sequence[str], values: Sequence[float | None], *, title: str = "",
                         unit: str = "", decimals: int = 1, plan: float | None = None,
                         statuses: Sequence[str] | None = None, width: float = 6.0,
                         x_max: float | None = None, whole_numbers: bool = False,
                         font_size: float = 9, title_drawn: bool = True) -> SafeString:
    """Horizontal bars (e.g. clusters or organisations of one period), optional plan line.

    `x_max` fixes the scale (100 for shares of respondents, so charts of one page compare);
    `whole_numbers` puts ticks on integers only (counts: no «0 0 1 1 2 2» axis). The height grows with the
    number of bars and the font. `title_drawn=False` keeps the title out of the drawing (only its aria-label):
    a page that captions the chart in HTML, where a long indicator name wraps instead of widening the SVG
    (and so shrinking every label in it).
    """
    with matplotlib.rc_context({**_RC, "font.size": font_size}):
        scale = font_size / 9
        height = max(1.6 * scale, (0.32 * len(labels) + 0.8) * scale)
        fig = Figure(figsize=(width, height))
        ax = fig.add_subplot()
        ys = list(range(len(labels)))[::-1]
        vals = [v if v is not None else 0 for v in values]
        colours = [_status_colour(s) for s in (statuses or [None] * len(labels))]
        bars = ax.barh(ys, vals, color=colours, height=0.6)
        for rect, value in zip(bars, values, strict=True):
            text = _number(value, decimals) if value is not None else "нет данных"
            ax.annotate(text, (rect.get_width(), rect.get_y() + rect.get_height() / 2), va="center",
                        fontsize=font_size - 1, xytext=(3, 0), textcoords="offset points")
        ax.set_yticks(ys, [_shorten(label) for label in labels])
        if plan is not None:
            ax.axvline(plan, color=COLOURS["plan"], linestyle="--", linewidth=1.2, label=f"план {_number(plan, decimals)}")
            ax.legend(loc="lower right", frameon=False, fontsize=font_size - 1)
        ax.set_xlim(0, x_max if x_max is not None else (max([*vals, plan or 0, 0]) * 1.18 or 1))
        _value_axis(ax.xaxis, unit=unit, top=x_max)
        if whole_numbers:
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        if title and title_drawn:
            ax.set_title(title, fontsize=font_size + 1, loc="left")
        return _to_svg(fig, title)


@cached_chart
def line_chart(categories: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], *,
               title: str = "", unit: str = "", decimals: int = 1, y_max: float | None = None,
               width: float = 6.0, height: float = 2.8) -> SafeString:
    """Dynamics over periods: one line per series (e.g. competency groups over years)."""
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(width, height))
        ax = fig.add_subplot()
        xs = list(range(len(categories)))
        for index, (label, values) in enumerate(series):
            points = [(x, v) for x, v in zip(xs, values, strict=True) if v is not None]
            colour = COLOURS["series"][index % len(COLOURS["series"])]
            ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", color=colour, label=label)
        ax.set_xticks(xs, list(categories))
        if y_max is not None:
            ax.set_ylim(0, y_max)
        _value_axis(ax.yaxis, unit=unit, top=y_max)
        if len(series) > 1:
            ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False, fontsize=8)
        if title:
            ax.set_title(title, fontsize=10, loc="left")
        return _to_svg(fig, title)


@cached_chart
def radar_chart(axes: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], *, title: str = "",
                width: float = 4.6, height: float = 4.0) -> SafeString:
    """A profile on the 0–1 scale: one spoke per area (`axes`), one closed polygon per series (e.g. a
    teacher's indices this year and last). A missing value is drawn at 0 (the spoke stays)."""
    import math

    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(width, height))
        ax = fig.add_subplot(projection="polar")
        count = len(axes)
        # clockwise from the top; kept in [0, 2π): a negative angle makes matplotlib draw half a polar frame
        angles = [(math.pi / 2 - 2 * math.pi * i / count) % (2 * math.pi) for i in range(count)]
        for index, (label, values) in enumerate(series):
            points = [float(v) if v is not None else 0.0 for v in values]
            colour = COLOURS["series"][index % len(COLOURS["series"])]
            ax.plot([*angles, *angles[:1]], [*points, *points[:1]], color=colour, marker="o", markersize=3,
                    linewidth=1.5, label=label)
            ax.fill([*angles, *angles[:1]], [*points, *points[:1]], color=colour, alpha=0.12)
        ax.set_xticks(angles, [_shorten(label, 28) for label in axes])
        ax.set_ylim(0, 1)
        ax.set_rlabel_position(90)
        _value_axis(ax.yaxis, top=1.0)
        ax.tick_params(axis="y", labelsize=7)
        if len(series) > 1:
            ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False, fontsize=8)
        if title:
            ax.set_title(title, fontsize=10, loc="left")
        return _to_svg(fig, title)


def _status_colour(status: str | None) -> str:
    if status in ("achieved", "not_achieved", "no_data"):
        return COLOURS[status]
    return COLOURS["series"][0]


def _shorten(label: str, limit: int = 48) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


@cached_chart
def grouped_bar_chart(categories: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], *,
                      title: str = "", y_max: float = 1.0, width: float = 7.0, height: float = 3.0) -> SafeString:
    """Grouped bars: a group per category (e.g. a competency area), a bar per series (e.g. a year) — the Sayansk
    index chart. On the 0–1 scale (`y_max` 1) ticks every 0,2 labelled with a decimal comma (0; 0,2 … 1). A missing
    value leaves a gap."""
    from matplotlib.ticker import FixedLocator

    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(width, height))
        ax = fig.add_subplot()
        count = max(len(series), 1)
        bar_width = 0.8 / count
        xs = list(range(len(categories)))
        for index, (label, values) in enumerate(series):
            offset = (index - (count - 1) / 2) * bar_width
            points = [(x + offset, float(v)) for x, v in zip(xs, values, strict=True) if v is not None]
            ax.bar([p[0] for p in points], [p[1] for p in points], width=bar_width, label=label,
                   color=COLOURS["series"][index % len(COLOURS["series"])])
        ax.set_xticks(xs, [_shorten(c, 24) for c in categories], rotation=25, ha="right")
        ax.set_ylim(0, y_max)
        if abs(y_max - 1.0) < 1e-9:
            ax.yaxis.set_major_locator(FixedLocator((0.0, 0.2, 0.4, 0.6, 0.8, 1.0)))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _number(v, 0 if float(v).is_integer() else 1)))
        if len(series) > 1:
            ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)
        if title:
            ax.set_title(title, fontsize=10, loc="left")
        return _to_svg(fig, title)
