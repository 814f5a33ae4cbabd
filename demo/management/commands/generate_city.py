"""`manage.py generate_city`: a city-scale database for benchmarks and for trying the pages at city size.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/imc_bench_city .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/imc_bench_city .venv/bin/python manage.py generate_city
    … generate_city --responses 200000     # plus one campaign of 200,000 answers (the export benchmark)
    … generate_city --districts 2 --scale small   # a tiny city (tests)

The data are described in demo/city.py. The command refuses to run when the database already holds a
generated city (districts with codes `city-…`); it may share a database with `load_demo`.
"""
from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from demo.city import (
    DEFAULT_PASSWORD,
    DISTRICTS,
    SCALES,
    CityExistsError,
    city_district_codes,
    created_counts,
    generate_city,
    summary,
)


class Command(BaseCommand):
    help = (
        "Создаёт город для нагрузочных измерений: 18 районов Санкт-Петербурга (~2 000 организаций, ~36 000 "
        "педагогов), кластеры за пять лет, программы мониторинга с план/факт за пять лет, кампании анкетирования "
        "с ответами, по методисту, директору и наблюдателю на район. Только в базе без сгенерированного города."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--districts", type=int, default=len(DISTRICTS),
                            help=f"сколько районов создать (1–{len(DISTRICTS)}, по умолчанию {len(DISTRICTS)})")
        parser.add_argument("--scale", choices=sorted(SCALES), default="full",
                            help="full — ~111 организаций и ~2 000 педагогов на район; small — 11 организаций и "
                                 "90 педагогов на район (для тестов)")
        parser.add_argument("--responses", type=int, default=0,
                            help="добавить в первый район кампанию анкеты слушателя с этим числом ответов "
                                 "(например, 200000 для измерения выгрузки)")
        parser.add_argument("--password", default=DEFAULT_PASSWORD,
                            help=f"пароль создаваемых пользователей (по умолчанию «{DEFAULT_PASSWORD}»)")

    def handle(self, *args, districts: int, scale: str, responses: int, password: str, **options) -> None:
        if not 1 <= districts <= len(DISTRICTS):
            raise CommandError(f"Число районов должно быть от 1 до {len(DISTRICTS)}.")
        if responses < 0:
            raise CommandError("Число ответов не может быть отрицательным.")
        if not password:
            raise CommandError("Пароль пользователей не может быть пустым.")
        started = time.perf_counter()
        self.stdout.write(f"Город: районов {districts}, масштаб {scale}" + (f", кампания на {responses} ответов"
                                                                            if responses else "") + ".")
        try:
            result = generate_city(districts=districts, scale=scale, responses=responses, password=password,
                                   progress=self.stdout.write)
        except CityExistsError as error:
            raise CommandError(
                f"В базе уже есть сгенерированный город (районы {error}…). Команда заполняет только базу без него: "
                "создайте новую базу (createdb …, manage.py migrate) и запустите команду там. Ничего не изменено."
            ) from None
        created = created_counts(result.stats)
        self.stdout.write("Создано: " + "; ".join(f"{name} — {n}" for name, n in created.items()) + ".")
        self.stdout.write("")
        self.stdout.write(f"{'Район':<26}{'ОУ':>6}{'педагогов':>11}{'кластеров':>11}{'участий':>9}")
        for name, orgs, teachers, clusters, memberships in summary(city_district_codes(districts)):
            self.stdout.write(f"{name:<26}{orgs:>6}{teachers:>11}{clusters:>11}{memberships:>9}")
        if result.big_campaign is not None:
            self.stdout.write(f"Кампания для выгрузки: «{result.big_campaign.title}» (id {result.big_campaign.pk}).")
        self.stdout.write("")
        self.stdout.write(f"Пользователи (пароль у всех «{result.password}»):")
        for username, role, district in result.users:
            self.stdout.write(f"  {username:<30}{role:<24}{district}")
        self.stdout.write(self.style.SUCCESS(f"Готово за {time.perf_counter() - started:.1f} с."))
