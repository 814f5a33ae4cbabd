"""Why (issue 15.1): «The dashboard and the results page redraw every chart with matplotlib on every request».

core.charts keeps each drawn SVG in the cache alias "charts" under a hash of what the chart shows; the same chart
asked for again is the stored SVG, with no matplotlib; other values, labels, size or style are another key.
"""
from __future__ import annotations

from decimal import Decimal
from unittest import mock

import pytest
from django.core.cache import caches
from django.utils.safestring import SafeString

from core import charts
from core.charts import Bar, bar_comparison_chart, grouped_bar_chart, line_chart, plan_fact_chart, radar_chart

BARS = [Bar("2020", 10.0, "achieved", 10.0), Bar("2021", 54.8, "achieved", 40.0), Bar("2022", None, "no_data", 60.0)]


@pytest.fixture(autouse=True)
def empty_chart_cache():
    charts._chart_cache().clear()
    yield
    charts._chart_cache().clear()


@pytest.fixture
def figures():
    """Counts the matplotlib figures drawn (every chart function makes exactly one)."""
    with mock.patch.object(charts, "Figure", wraps=charts.Figure) as counted:
        yield counted


def test_the_settings_give_charts_a_cache_of_their_own():
    """Not the default alias: 2,000 charts must not cull the rate-limit counters."""
    assert charts._chart_cache() is caches["charts"]
    assert caches["charts"] is not caches["default"]


def test_the_cached_chart_equals_the_freshly_drawn_svg(figures):
    fresh = plan_fact_chart.__wrapped__(BARS, unit="%", decimals=1, y_max=100.0)
    drawn = plan_fact_chart(BARS, unit="%", decimals=1, y_max=100.0)
    served = plan_fact_chart(BARS, unit="%", decimals=1, y_max=100.0)
    assert drawn == fresh and served == fresh
    assert isinstance(served, SafeString)  # inlined by the templates as it was
    assert figures.call_count == 2  # the unwrapped drawing and the first wrapped one; the third is the cache's


def test_a_second_draw_with_the_same_values_does_not_call_matplotlib(figures):
    calls = [
        lambda: plan_fact_chart(BARS, unit="%"),
        lambda: bar_comparison_chart(["К1", "К2"], [12.5, None], unit="%", x_max=100, width=5.0, plan=20.0),
        lambda: line_chart(["2020", "2021"], [("Группа", [0.4, 0.6])], y_max=1.0),
        lambda: radar_chart(["А", "Б", "В"], [("2024", [0.2, 0.5, 0.9])]),
        lambda: grouped_bar_chart(["А", "Б"], [("2023", [0.3, None]), ("2024", [0.5, 0.7])]),
    ]
    first = [call() for call in calls]
    assert figures.call_count == 5
    again = [call() for call in calls]
    assert figures.call_count == 5
    assert again == first


def test_defaults_spelled_out_are_the_same_chart(figures):
    bar_comparison_chart(["К1"], [1.0])
    assert bar_comparison_chart(["К1"], [1.0], title="", unit="", decimals=1, width=6.0) == \
        bar_comparison_chart(labels=["К1"], values=(1.0,))
    assert figures.call_count == 1


@pytest.mark.parametrize("changed", [
    {"values": [12.5, 30.0]},             # a value
    {"labels": ["К1", "К3"]},             # a label
    {"title": "Доля"},                    # the title
    {"width": 5.0},                       # the size
    {"statuses": ["achieved", "no_data"]},
    {"plan": 25.0},
    {"unit": "чел."},
])
def test_anything_the_chart_shows_changed_gives_another_svg(figures, changed):
    arguments = {"labels": ["К1", "К2"], "values": [12.5, None]}
    before = bar_comparison_chart(**arguments)
    after = bar_comparison_chart(**{**arguments, **changed})
    assert figures.call_count == 2
    assert after != before
    assert after == bar_comparison_chart.__wrapped__(**{**arguments, **changed})


def test_the_key_tells_values_by_value_and_type():
    key = charts.chart_key
    assert key("f", {"v": Decimal("54.8")}) == key("f", {"v": Decimal("54.8")})
    assert len({key("f", {"v": Decimal("1.0")}), key("f", {"v": "1.0"}), key("f", {"v": 1.0}),
                key("f", {"v": None}), key("g", {"v": 1.0})}) == 5
    assert key("f", {"bars": [Bar("2021", 1.0)]}) != key("f", {"bars": [Bar("2021", 1.0, plan=1.0)]})


def test_another_style_version_is_another_key(monkeypatch, figures):
    plan_fact_chart(BARS)
    monkeypatch.setattr(charts, "STYLE", "another-style")
    plan_fact_chart(BARS)
    assert figures.call_count == 2


def test_an_iterator_argument_is_read_once_and_drawn_whole(figures):
    from_list = bar_comparison_chart(["К1", "К2"], [3.0, 4.0])
    from_generator = bar_comparison_chart(iter(["К1", "К2"]), (v for v in (3.0, 4.0)))
    assert from_generator == from_list
    assert figures.call_count == 1


def test_an_argument_without_a_value_is_drawn_every_time_not_cached(figures):
    """An object the key cannot describe by value must not share a key by accident: it is drawn each time."""
    statuses = [object()]
    first = bar_comparison_chart(["К1"], [2.0], statuses=statuses)
    second = bar_comparison_chart(["К1"], [2.0], statuses=statuses)
    assert first == second
    assert figures.call_count == 2


def test_a_cache_that_fails_costs_a_drawing_not_the_page(figures):
    broken = mock.Mock(get=mock.Mock(side_effect=ConnectionError("redis down")))
    with mock.patch.object(charts, "_chart_cache", return_value=broken):
        svg = bar_comparison_chart(["К1"], [2.0])
    assert svg == bar_comparison_chart.__wrapped__(["К1"], [2.0])
    broken = mock.Mock(get=mock.Mock(return_value=None), set=mock.Mock(side_effect=ConnectionError("redis down")))
    with mock.patch.object(charts, "_chart_cache", return_value=broken):
        assert bar_comparison_chart(["К1"], [2.0]) == svg
