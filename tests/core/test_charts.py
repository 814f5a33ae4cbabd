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
