"""Forms of the setup wizard: input validation only (the services save)."""
from __future__ import annotations

from django import forms
from django.utils import timezone

from clusters.models import MIN_YEAR, District, MethodCentre, Organisation
from clusters.requisites import validate_inn, validate_kpp, validate_ogrn, validate_okpo
from core.forms import PortalForm
from core.roles import Role

from .library import LIBRARY, MAX_YEARS

REQUIRED = "Обязательное поле."


def _text(label: str, *, required: bool = True, help_text: str = "", max_length: int | None = None,
          validators=(), widget=None) -> forms.CharField:
    return forms.CharField(label=label, required=required, help_text=help_text, max_length=max_length,
                           validators=list(validators), widget=widget, error_messages={"required": REQUIRED})


class DistrictForm(PortalForm):
    """Step 1: the district and the ИМЦ requisites that print on every справка and certificate."""

    region_name = _text("Регион", max_length=200, help_text="Например: Санкт-Петербург, Иркутская область")
    name = _text("Район (муниципалитет)", max_length=200, help_text="Как в документах: «Невский район»")
    code = forms.SlugField(label="Код района", max_length=50,
                           help_text="Латиницей, без пробелов: nevsky. Используется в адресах и выгрузках.",
                           error_messages={"required": REQUIRED,
                                           "invalid": "Только латинские буквы, цифры, дефис и подчёркивание."})
    full_name = _text("Полное наименование ИМЦ", widget=forms.Textarea(attrs={"rows": 3}),
                      help_text="Печатается в шапке справки")
    short_name = _text("Краткое наименование ИМЦ", max_length=200)
    address = _text("Адрес", max_length=300, help_text="С индексом: «192241, Санкт-Петербург, ул. Турку, д. 20»")
    phone = _text("Телефон", max_length=100)
    email = forms.EmailField(label="E-mail ИМЦ", max_length=254,
                             error_messages={"required": REQUIRED, "invalid": "Введите правильный адрес e-mail."})
    okpo = _text("ОКПО", required=False, max_length=14, validators=[validate_okpo])
    ogrn = _text("ОГРН", required=False, max_length=15, validators=[validate_ogrn])
    inn = _text("ИНН", required=False, max_length=12, validators=[validate_inn])
    kpp = _text("КПП", required=False, max_length=9, validators=[validate_kpp])
    director_name = _text("ФИО директора ИМЦ", max_length=200, help_text="Как в подписи: «Е.В. Римкявичене»")
    director_position = _text("Должность директора", max_length=300, help_text="Например: Директор")
    outgoing_prefix = _text("Префикс исходящих номеров", required=False, max_length=20,
                            help_text="Номер справки = префикс + порядковый номер за год: «1-» → «1-854»")

    def __init__(self, *args, district: District | None = None, **kwargs):
        self.district = district
        if district is not None and "initial" not in kwargs:
            initial = {"region_name": district.region.name, "name": district.name, "code": district.code}
            centre = MethodCentre.objects.filter(district=district).first()
            if centre is not None:
                initial.update({name: getattr(centre, name) for name in self.centre_fields()})
            kwargs["initial"] = initial
        elif district is None and "initial" not in kwargs:
            kwargs["initial"] = {"director_position": "Директор", "outgoing_prefix": "1-"}
        super().__init__(*args, **kwargs)

    @staticmethod
    def centre_fields() -> tuple[str, ...]:
        return ("full_name", "short_name", "address", "phone", "email", "okpo", "ogrn", "inn", "kpp",
                "director_name", "director_position", "outgoing_prefix")

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip().lower()
        taken = District.objects.filter(code=code)
        if self.district is not None:
            taken = taken.exclude(pk=self.district.pk)
        if taken.exists():
            raise forms.ValidationError("Этот код уже занят другим районом.")
        return code

    def clean(self):
        data = super().clean()
        region, name = data.get("region_name"), data.get("name")
        if region and name:
            same = District.objects.filter(region__name=" ".join(region.split()), name=" ".join(name.split()))
            if self.district is not None:
                same = same.exclude(pk=self.district.pk)
            if same.exists():
                self.add_error("name", "Такой район в этом регионе уже есть.")
        return data


class InviteForm(PortalForm):
    """Step 2: one first user; they set their own password through the invitation link."""

    ROLES = [(Role.METHODIST, Role.METHODIST.label), (Role.DIRECTOR, Role.DIRECTOR.label),
             (Role.SCHOOL_ADMIN, Role.SCHOOL_ADMIN.label), (Role.OBSERVER, "Наблюдатель (отдел образования)")]

    role = forms.ChoiceField(label="Роль", choices=ROLES, error_messages={"required": REQUIRED})
    last_name = _text("Фамилия", max_length=150)
    first_name = _text("Имя", max_length=150)
    patronymic = _text("Отчество", required=False, max_length=150)
    email = forms.EmailField(label="E-mail", help_text="На него придёт приглашение; он же — логин для входа",
                             error_messages={"required": REQUIRED, "invalid": "Введите правильный адрес e-mail."})
    position = _text("Должность", required=False, max_length=200)
    organisation = forms.ModelChoiceField(
        label="Организация (для администратора ОУ)", required=False, queryset=Organisation.objects.none(),
        empty_label="— выберите —", help_text="Появится после импорта организаций (шаг 4)",
        error_messages={"invalid_choice": "Выберите организацию этого района."},
    )

    def __init__(self, *args, district: District, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(district=district).order_by("short_name")

    def clean(self):
        data = super().clean()
        if data.get("role") == Role.SCHOOL_ADMIN and not data.get("organisation"):
            if not self.fields["organisation"].queryset.exists():
                self.add_error("organisation", "В районе ещё нет организаций: пригласите администраторов ОУ "
                                               "после импорта организаций (шаг 4).")
            else:
                self.add_error("organisation", "Администратору ОУ нужна организация.")
        return data


class LibraryForm(PortalForm):
    """Step 3: a ready programme and the years of its periods."""

    key = forms.ChoiceField(label="Программа из библиотеки", widget=forms.RadioSelect,
                            choices=[(entry.key, entry.name) for entry in LIBRARY.values()],
                            error_messages={"required": "Выберите программу из библиотеки.",
                                            "invalid_choice": "Такой программы в библиотеке нет."})
    first_year = forms.IntegerField(label="Первый год", min_value=MIN_YEAR, max_value=2100,
                                    error_messages={"required": REQUIRED, "invalid": "Введите год числом.",
                                                    "min_value": f"Не раньше {MIN_YEAR} года.",
                                                    "max_value": "Не позже 2100 года."})
    last_year = forms.IntegerField(label="Последний год", min_value=MIN_YEAR, max_value=2100,
                                   error_messages={"required": REQUIRED, "invalid": "Введите год числом.",
                                                   "min_value": f"Не раньше {MIN_YEAR} года.",
                                                   "max_value": "Не позже 2100 года."})

    def __init__(self, *args, **kwargs):
        year = timezone.localdate().year
        kwargs.setdefault("initial", {"first_year": year, "last_year": year})
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        first, last = data.get("first_year"), data.get("last_year")
        if first and last:
            if last < first:
                self.add_error("last_year", "Последний год не может быть раньше первого.")
            elif last - first + 1 > MAX_YEARS:
                self.add_error("last_year", f"Не больше {MAX_YEARS} лет за один раз.")
        return data
