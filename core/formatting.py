"""Russian formatting of numbers, percents, plurals, dates and document numbers, written once.

Pages, e-mails, XLSX cells, charts and PDFs all format through these functions, so «54,8 %» on a
dashboard and «54,8%» in a справка differ only where a caller asks for it (a printed справка
follows the layout of the source documents, docs/domain.md).

Space characters, chosen once here:
- THIN_SPACE (U+202F, narrow no-break space) splits thousands on pages: «1 234 567,9»;
- NBSP (U+00A0, no-break space) splits thousands in PDFs — the vendored PT fonts have no U+202F —
  and in counts of the import page, and stands between a number and «%» on pages: «54,8 %».
"""
from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

THIN_SPACE = "\u202f"
NBSP = "\u00a0"
DASH = "—"
DATE_FORMAT = "%d.%m.%Y"
DATETIME_FORMAT = "%d.%m.%Y %H:%M"
BLANK_DATE = "__.__.____"
MONTHS_GENITIVE = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)
MIB = 1024 * 1024

Number = Decimal | int | float


# --- numbers -----------------------------------------------------------------------------------


def round_half_up(value: Decimal | int | str, decimals: int) -> Decimal:
    """As people round by hand (54,75 → 54,8; 0,125 → 0,13), not banker's rounding."""
    return Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def number(value: Number, decimals: int = 0, *, thousands: str = THIN_SPACE, trim: bool = False) -> str:
    """`value` with `decimals` places, a decimal comma and thousands split by `thousands`.

    1234567.891 → «1 234 567,9» (decimals=1). A Decimal or int is rounded half up; a float (chart
    axes and labels) is rounded as Python rounds the binary value it holds. `trim` drops trailing
    zeros and a bare comma: 54,80 → «54,8», 10,0 → «10».
    """
    if isinstance(value, float):
        text = f"{value:,.{decimals}f}"
    else:
        text = f"{round_half_up(value, decimals):,.{decimals}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", thousands).replace(".", ",")


def exact(value: Decimal | int | str) -> str:
    """A stored number as typed back into a form, all its digits and no separators: 12.50 → «12,5»,
    1E+2 → «100», 0.5 → «0,5»."""
    return f"{Decimal(value).normalize():f}".replace(".", ",")


def integer(value: int, *, thousands: str = NBSP) -> str:
    """20000 → «20 000» (no-break space)."""
    return f"{value:,}".replace(",", thousands)


def percent(value: Number, decimals: int = 1, *, space: str = NBSP, thousands: str = THIN_SPACE,
            trim: bool = False) -> str:
    """54.76 → «54,8 %» (no-break space before the sign); `space=""` gives the справка's «54,8%»."""
    return f"{number(value, decimals, thousands=thousands, trim=trim)}{space}%"


def human_size(size: int) -> str:
    """5242880 → «5 МБ», 1572864 → «1,5 МБ», 2000 → «2 КБ»."""
    if size < MIB:
        return f"{max(1, round(size / 1024))} КБ"
    return number(size / MIB, 1, thousands="", trim=True) + " МБ"


# --- words -------------------------------------------------------------------------------------


def plural(count: int, one: str, few: str, many: str) -> str:
    """The Russian form for `count`: 1, 21 → one; 2–4, 22–24 → few; 0, 5–20, 11–14, 25 → many."""
    count = abs(count)
    if count % 10 == 1 and count % 100 != 11:
        return one
    if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        return few
    return many


def count_phrase(count: int, one: str, few: str, many: str) -> str:
    """«1 значение», «3 значения», «11 значений»."""
    return f"{count} {plural(count, one, few, many)}"


# --- dates -------------------------------------------------------------------------------------


def date(day: datetime.date | None, *, empty: str = "") -> str:
    """17.12.2021; `empty` for no date (BLANK_DATE on a draft document)."""
    return day.strftime(DATE_FORMAT) if day else empty


def date_time(moment: datetime.datetime | None, *, empty: str = "") -> str:
    """17.12.2021 09:05, as given (convert to local time before calling)."""
    return moment.strftime(DATETIME_FORMAT) if moment else empty


def date_words(day: datetime.date | None) -> str:
    """«17» декабря 2021 г. — the date line of an «УТВЕРЖДАЮ» block; blanks to fill in by hand."""
    if day is None:
        return "«__» __________ 20__ г."
    return f"«{day.day:02d}» {MONTHS_GENITIVE[day.month - 1]} {day.year} г."


def document_ref(label: str, day: datetime.date) -> str:
    """«от 17.12.2021 № 1-854» — how a document is cited after its title."""
    return f"от {date(day)} № {label}"


def number_and_date(label: str, day: datetime.date) -> str:
    """«№ 1-854 от 17.12.2021» — a document's own number, as lists and messages show it."""
    return f"№ {label} от {date(day)}"
