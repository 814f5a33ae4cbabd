"""`manage.py load_demo`: the seeds' demo data, app by app along the data flow, and the demo logins.

It lives in the `demo` app, on top of every product app, because it calls every app in turn
(registry → monitoring → surveys → reports); no product app imports the demo.
"""
from __future__ import annotations

import time

from django.core import mail
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.deletion import ProtectedError, RestrictedError
from django.test.utils import override_settings

from clusters.models import Cluster, Community, District, Teacher
from demo.diagnostics import load_diagnostics_demo, reset_diagnostics_demo
from demo.diagnostics_kirovsky import load_kirovsky_diagnostics_demo, reset_kirovsky_diagnostics_demo
from demo.events import load_events_demo, reset_events_demo
from demo.monitoring import load_monitoring_demo, reset_monitoring_demo
from demo.network import load_network_demo, reset_network_demo
from demo.registry import build_plans
from demo.registry.districts import DEMO_DISTRICT_CODES
from demo.registry.loader import load
from demo.registry.loader import reset as reset_demo
from demo.reports import load_reports_demo, reset_reports_demo
from demo.surveys import load_surveys_demo, reset_surveys_demo
from demo.users import DEFAULT_PASSWORD, DEMO_USERS
from imc_portal.models import Role, User


class Command(BaseCommand):
    help = (
        "Загружает демо-данные: Фрунзенский, Кировский, Красносельский районы Санкт-Петербурга и город Саянск — "
        "ИМЦ, организации, педагоги, кластеры, сообщества, повышение квалификации, ИОМ, инновационные проекты, "
        "наставничество, мероприятия (план, регистрация, присутствие, сертификаты, консультации, достижения), "
        "программы мониторинга с план/факт, кампании анкетирования с ответами, "
        "самодиагностику педагогов с индивидуальными маршрутами (ИОМ), "
        "подписанные справки — и демо-пользователей по одному на роль. Повторный запуск создаёт только "
        "недостающее и ничего не меняет в том, что уже есть: значения, исправленные пользователями, их пароли, "
        "кампании и справки остаются как были. Удалить демо-данные и загрузить их заново можно только явно, "
        "с --reset."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--password", default=DEFAULT_PASSWORD,
            help=f"пароль создаваемых демо-пользователей (по умолчанию «{DEFAULT_PASSWORD}»); пароль уже "
                 "существующего пользователя не меняется никогда",
        )
        parser.add_argument(
            "--reset", action="store_true",
            help="сначала удалить демо-районы со всеми их данными (в том числе изменениями пользователей: "
                 "значениями мониторинга, кампаниями, справками) и привязанными к ним пользователями, затем "
                 "загрузить демо заново; без этого флага существующие данные не трогаются",
        )

    def handle(self, *args, password: str, reset: bool, **options) -> None:
        if not password:
            raise CommandError("Пароль демо-пользователей не может быть пустым.")
        started = time.perf_counter()
        plans = build_plans()
        built = time.perf_counter() - started

        # The demo's workflow steps send the portal's real notices (e.g. «справка ожидает
        # утверждения»); they are kept in memory instead of reaching a console or an SMTP server.
        # Tasks run after the commit, still inside this block (eagerly, with no broker).
        outbox_before = len(getattr(mail, "outbox", []))
        try:
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"), \
                    transaction.atomic():
                if reset:
                    reset_reports_demo()  # downstream first: reports protect campaigns, programmes, users
                    reset_surveys_demo()  # downstream first: responses protect organisations, campaigns districts
                    reset_monitoring_demo()  # downstream first: its rows protect the registry's
                    reset_network_demo()  # results, pairs and practices protect organisations
                    reset_diagnostics_demo()  # Sayansk diagnostic campaigns protect the district
                    reset_kirovsky_diagnostics_demo()  # Kirovsky campaigns, their routes and course completions
                    reset_events_demo()  # certificates protect events and districts; consultations districts
                    deleted = reset_demo(DEMO_USERS)
                    self.stdout.write(f"Удалено строк демо-данных: {sum(deleted.values())}.")
                stats = load(plans, DEMO_USERS, password)
                network_started = time.perf_counter()
                load_network_demo(stdout=self.stdout)
                stats.timings.append(("сетевое взаимодействие", time.perf_counter() - network_started))
                diagnostics_started = time.perf_counter()
                load_diagnostics_demo(stdout=self.stdout)
                stats.timings.append(("диагностика (Саянск)", time.perf_counter() - diagnostics_started))
                kirovsky_started = time.perf_counter()
                load_kirovsky_diagnostics_demo(stdout=self.stdout)  # before monitoring: its criteria use them
                stats.timings.append(("диагностика (Кировский район)", time.perf_counter() - kirovsky_started))
                events_started = time.perf_counter()
                load_events_demo(stdout=self.stdout)  # before reports: the справка's forms paragraph reads events
                stats.timings.append(("мероприятия", time.perf_counter() - events_started))
                monitoring_started = time.perf_counter()
                load_monitoring_demo(stdout=self.stdout)
                stats.timings.append(("мониторинг", time.perf_counter() - monitoring_started))
                surveys_started = time.perf_counter()
                load_surveys_demo(stdout=self.stdout)
                stats.timings.append(("анкетирование", time.perf_counter() - surveys_started))
                reports_started = time.perf_counter()
                load_reports_demo(stdout=self.stdout)
                stats.timings.append(("справки", time.perf_counter() - reports_started))
        except (ProtectedError, RestrictedError) as error:
            blocking = getattr(error, "protected_objects", None) or getattr(error, "restricted_objects", ())
            names = sorted({str(obj._meta.verbose_name) for obj in blocking})
            raise CommandError(
                "Сброс невозможен: на демо-данные ссылаются другие записи"
                + (f" ({', '.join(names)})" if names else "") + ". Ничего не изменено."
            ) from error

        held_back = len(getattr(mail, "outbox", [])) - outbox_before
        if held_back:
            self.stdout.write(f"Писем, которые портал отправил бы при загрузке демо, не отправлено: {held_back}.")
        self.stdout.write(f"Подготовка данных: {built:.2f} с")
        for label, seconds in stats.timings:
            self.stdout.write(f"  {label}: {seconds:.2f} с")
        created = {name: n for name, n in stats.created.items() if n}
        if created:
            self.stdout.write("Создано: " + "; ".join(f"{name} — {n}" for name, n in created.items()) + ".")
        else:
            self.stdout.write("Все демо-данные уже загружены, ничего не создано.")
        self._summary()
        self._logins(password)
        if stats.users_kept:
            self.stdout.write("Пароли уже существовавших пользователей не менялись: если пароль меняли, входите "
                              "с новым.")
        self.stdout.write(self.style.SUCCESS(f"Готово за {time.perf_counter() - started:.1f} с."))

    def _summary(self) -> None:
        districts = District.objects.filter(code__in=DEMO_DISTRICT_CODES).annotate(
            active=Count("organisations", filter=Q(organisations__is_active=True), distinct=True),
            inactive=Count("organisations", filter=Q(organisations__is_active=False), distinct=True),
        )
        districts = sorted(districts, key=lambda d: DEMO_DISTRICT_CODES.index(d.code))
        self.stdout.write("")
        self.stdout.write(f"{'Район':<24}{'ОУ действ.':>11}{'закрытых':>10}{'педагогов':>11}{'кластеров':>11}"
                          f"{'сообществ':>11}")
        for district in districts:
            teachers = Teacher.objects.filter(organisation__district=district).count()
            clusters = Cluster.objects.filter(district=district).count()
            communities = Community.objects.filter(district=district).count()
            self.stdout.write(f"{district.name:<24}{district.active:>11}{district.inactive:>10}{teachers:>11}"
                              f"{clusters:>11}{communities:>11}")

    def _logins(self, password: str) -> None:
        users = {u.username: u for u in User.objects.filter(username__in=[d.username for d in DEMO_USERS])
                 .select_related("district", "organisation", "region")}
        rows = []
        for spec in DEMO_USERS:
            user = users[spec.username]
            if user.organisation:
                where = f"{user.organisation.short_name} ({user.district.name})"
            else:
                where = user.district.name if user.district else (
                    f"{user.region.name}: все районы" if user.region_id else "все районы")
            rows.append((spec.username, password, Role(user.role).label, where))
        widths = [max(len(r[i]) for r in [("Логин", "Пароль", "Роль", "Район / организация"), *rows])
                  for i in range(4)]
        self.stdout.write("")
        self.stdout.write("Демо-пользователи:")
        for row in [("Логин", "Пароль", "Роль", "Район / организация"), *rows]:
            self.stdout.write("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
