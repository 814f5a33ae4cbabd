"""Import errors grouped by cause (core/import_errors.py): compact row ranges, one line per cause, a capped alert,
and the «load organisations first» hint. Every expected text is worked out by hand."""
import pytest

from core.import_errors import (
    MAX_GROUPS,
    ErrorGroup,
    compact_ranges,
    error_report,
    group_errors,
    grouped_lines,
    order_text,
    organisations_first,
    rows_phrase,
)
from core.xlsx import RowError


@pytest.mark.parametrize(("numbers", "expected"), [
    ([], ""),
    ([7], "7"),
    ([2, 3], "2–3"),
    ([5, 9, 14, 15], "5, 9, 14–15"),
    (range(2, 63), "2–62"),
    ([2, 3, 4, 7, 9, 10], "2–4, 7, 9–10"),
    ([15, 9, 14, 5, 9, 15, 14], "5, 9, 14–15"),  # unsorted, with duplicates
    ([3, 3, 3], "3"),
    ([1, 3, 5, 6, 7, 100], "1, 3, 5–7, 100"),
])
def test_compact_ranges_by_hand(numbers, expected):
    assert compact_ranges(numbers) == expected


def test_compact_ranges_cuts_after_the_limit_of_pieces():
    assert compact_ranges([2, 4, 6, 8, 10], limit=3) == "2, 4, 6, …"
    assert compact_ranges([2, 4, 6], limit=3) == "2, 4, 6"
    assert compact_ranges(range(2, 1000), limit=1) == "2–999"


@pytest.mark.parametrize(("count", "expected"), [
    (1, "1 строка"), (3, "3 строки"), (5, "5 строк"), (11, "11 строк"), (21, "21 строка"), (61, "61 строка"),
    (112, "112 строк"), (3394, "3\xa0394 строки"),
])
def test_rows_phrase(count, expected):
    assert rows_phrase(count) == expected


def test_errors_sharing_a_cause_become_one_line_with_count_and_ranges():
    errors = [RowError(n, "Код организации", "организация с кодом «NEV-S300» не найдена в вашем районе")
              for n in range(2, 63)]
    errors += [RowError(n, "ФИО", "не заполнено") for n in (15, 5, 9, 14)]
    errors += [RowError(70, "Год рождения", "ожидается целое число, а не «1990.5»")]
    errors += [RowError(None, None, "Данные изменились во время импорта.")]

    assert grouped_lines(errors) == [
        "Данные изменились во время импорта.",
        "столбец «Код организации»: организация с кодом «NEV-S300» не найдена в вашем районе — 61 строка: 2–62",
        "столбец «ФИО»: не заполнено — 4 строки: 5, 9, 14–15",
        "строка 70, столбец «Год рождения»: ожидается целое число, а не «1990.5»",
    ]


def test_a_message_without_a_column_and_a_trailing_full_stop():
    errors = [RowError(n, None, "повторяет строку 2 (тот же показатель, период и объект).") for n in (4, 6)]
    assert grouped_lines(errors) == ["повторяет строку 2 (тот же показатель, период и объект) — 2 строки: 4, 6"]


def test_the_same_message_in_another_column_is_another_cause():
    groups = group_errors([RowError(2, "ФИО", "не заполнено"), RowError(3, "Должность", "не заполнено"),
                           RowError(4, "ФИО", "не заполнено")])
    assert [(g.column, g.rows) for g in groups] == [("ФИО", (2, 4)), ("Должность", (3,))]


def test_a_cause_lists_at_most_twelve_pieces_of_rows_but_counts_them_all():
    group = ErrorGroup("Код", "x", tuple(range(2, 60, 2)))  # 29 rows: 2, 4, …, 58
    assert str(group) == "столбец «Код»: x — 29 строк: 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, …"


def test_report_shows_the_first_causes_and_says_how_many_more():
    # 25 causes: cause k (k = 0..24) in rows 2 + 2k and 3 + 2k, so each has 2 rows.
    errors = [RowError(2 + 2 * k + i, "Код", f"код «K{k}» не найден") for k in range(25) for i in (0, 1)]
    report = error_report(errors)

    assert report.total == 50
    assert len(report.shown) == MAX_GROUPS == 20
    assert str(report.shown[0]) == "столбец «Код»: код «K0» не найден — 2 строки: 2–3"
    assert report.hidden == 5
    assert report.hidden_text == "и ещё 5 причин (10 строк)"
    assert report.total_text == "Найдено ошибок: 50 (причин: 25)."


def test_report_of_one_error_or_distinct_errors():
    single = error_report([RowError(None, None, "Файл пуст.")])
    assert (single.total_text, single.hidden, single.hidden_text) == ("", 0, "")
    distinct = error_report([RowError(2, "А", "x"), RowError(3, "Б", "y")])
    assert distinct.total_text == "Найдено ошибок: 2."
    one_more = error_report([RowError(2, "А", "x"), RowError(3, "Б", "y"), RowError(4, "В", "z")], limit=2)
    assert one_more.hidden_text == "и ещё 1 причина (1 строка)"


def test_organisations_first_when_the_district_has_none():
    hint = organisations_first(district="Невский район", known=0, unknown=5, referenced=5, step="педагоги")
    assert hint == (
        "Сначала загрузите организации района: в районе «Невский район» ещё нет ни одной организации, поэтому "
        "коды организаций из файла не находятся. Порядок загрузки: организации → педагоги (этот файл) → "
        "участие в кластерах → план/факт."
    )


def test_organisations_first_when_most_codes_are_unknown_and_silent_when_most_are_known():
    hint = organisations_first(district="Невский район", known=4, unknown=3, referenced=5, step="план/факт")
    assert hint.startswith("Сначала загрузите организации района: из организаций, названных в файле, не найдено 3 из 5 — "
                           "похоже, организации района «Невский район» загружены не все.")
    assert hint.endswith("→ план/факт (этот файл).")
    assert organisations_first(district="Н", known=4, unknown=2, referenced=4, step="") == ""  # half: not most
    assert organisations_first(district="Н", known=4, unknown=0, referenced=4, step="") == ""


def test_order_text_without_a_step():
    assert order_text() == "организации → педагоги → участие в кластерах → план/факт"
