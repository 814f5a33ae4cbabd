"""core/charts.py: inline SVG with Russian number labels and no fixed size."""
from core.charts import Bar, bar_comparison_chart, line_chart, plan_fact_chart


def test_plan_fact_chart_labels_bars_with_a_decimal_comma():
    svg = plan_fact_chart([Bar("2020", 54.8, "achieved", 50.0), Bar("2021", None, "no_data", 60.0)],
                          title="Доля ОУ", unit="%", decimals=1, y_max=100)
    assert svg.startswith("<svg")
    assert 'aria-label="Доля ОУ"' in svg
    assert ">54,8<" in svg
    assert ' width="' not in svg.split(">", 1)[0]  # sized by the page or the PDF, not by matplotlib


def test_bar_comparison_chart_without_thousands_separator_and_with_a_plan_label():
    svg = bar_comparison_chart(["Кластер «Север»", "Кластер «Юг»"], [1234.5, None], decimals=1, plan=1000.0)
    assert ">1234,5<" in svg
    assert ">нет данных<" in svg
    assert ">план 1000,0<" in svg
    assert "&lt;" not in svg.split(">", 1)[0]


def test_the_same_data_gives_the_same_svg():
    args = (["2019", "2020"], [("Группа A", [1.0, 2.5])])
    assert line_chart(*args) == line_chart(*args)


def test_labels_are_drawn_as_typed_never_as_mathtext():
    """«$…$» in a label (an option text, a cluster or period name) is text: an unbalanced one used
    to raise ValueError from matplotlib's mathtext parser (a 500, a failed PDF)."""
    import re

    labels = ["$x^2$", "$\\frac{1}{$", "цена $5 и $6"]
    for svg in (bar_comparison_chart(labels, [1.0, 2.0, None], title="$t$"),
                plan_fact_chart([Bar(label, 1.0) for label in labels]),
                line_chart(labels, [("$s$", [1.0, 2.0, 3.0])])):
        texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
        assert set(labels) <= set(texts)


def _texts(svg: str) -> list[str]:
    import re

    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


UNIT_TICKS = ["0", "0,2", "0,4", "0,6", "0,8", "1"]


def test_an_index_axis_from_0_to_1_is_labelled_with_decimal_commas():
    """Issue 12, item 8: a monitoring index (unit «индекс 0–1», y_max 1) used to read «0, 0, 0, 1, 1, 1»."""
    svg = plan_fact_chart([Bar("2019/20", 0.62, "achieved", 0.6), Bar("2020/21", 0.71, "achieved", 0.65)],
                          decimals=2, y_max=1.0)
    texts = _texts(svg)
    assert [t for t in texts if t in UNIT_TICKS] == UNIT_TICKS
    assert "0,62" in texts and "0,71" in texts


def test_a_line_chart_of_indices_and_a_comparison_on_the_0_1_scale():
    line = line_chart(["2016/17", "2018/19"], [("методические", [0.55, 0.61])], decimals=3, y_max=1)
    assert [t for t in _texts(line) if t in UNIT_TICKS] == UNIT_TICKS
    bars = bar_comparison_chart(["Кластер «Север»", "Кластер «Юг»"], [0.62, 0.48], decimals=2, x_max=1.0)
    assert [t for t in _texts(bars) if t in UNIT_TICKS] == UNIT_TICKS


def test_small_values_without_a_fixed_scale_get_the_decimals_their_ticks_need():
    texts = _texts(bar_comparison_chart(["Север", "Юг"], [0.62, 0.48], decimals=2))
    ticks = [t for t in texts if t not in ("Север", "Юг", "0,62", "0,48")]
    assert "0,2" in ticks and "0,4" in ticks
    assert len(ticks) == len(set(ticks))  # no «0, 0, 1, 1»


def test_percent_and_count_axes_keep_whole_numbers():
    texts = _texts(plan_fact_chart([Bar("2020", 54.8, "achieved", 50.0)], unit="%", y_max=100))
    assert "40 %" in texts and "100 %" in texts


def test_radar_chart_has_one_spoke_per_area_and_a_0_1_scale():
    from core.charts import radar_chart

    areas = ["предметные", "методические", "психолого-педагогические", "коммуникативные", "цифровые"]
    svg = radar_chart(areas, [("2021", [0.62, 0.45, 0.8, None, 1.0]), ("2020", [0.5, 0.4, 0.7, 0.3, 0.9])],
                      title="Профиль")
    assert svg.startswith("<svg") and 'aria-label="Профиль"' in svg
    assert svg.count('id="xtick_') == len(areas)
    texts = _texts(svg)
    assert set(areas) <= set(texts)
    assert {"0,2", "0,4", "0,6", "0,8", "1"} <= set(texts)
    assert " style=" not in svg and "<style" not in svg  # CSP
