"""Seed 000's справка as data (no tests here): the Frunzensky programme with the seed's numbers.

    indicator (position)                          2020 план  2020 факт  2021 план  2021 факт
    1 Доля ОУ района … сетевых сообществ             10         10         40        54,8
    2 Доля педагогов … повышения квалификации        10         10         20        30
    3 Доля педагогов … на основе ИОМ                  —          —          —         —    (no row)
    4 Доля педагогов … инновационного проектирования 10         20         30        30

All three rows with data are achieved in 2021. The nine clusters of 2021 have the seed's sizes
3, 9, 9, 5, 9, 9, 3, 4, 22 (22 schools, shared between clusters).
"""
from __future__ import annotations

import datetime
from decimal import Decimal

from clusters.models import Cluster, ClusterMembership, MethodCentre
from monitoring.models import Indicator, Period, Programme, Value
from monitoring.units import Unit
from reports.models import Report
from tests.factories import OrganisationFactory

CONCLUSION = (
    "Анализ обобщённых показателей мониторинга выявил: все количественные показатели эффективности "
    "сетевого взаимодействия педагогов в профессиональных сетевых сообществах в системе образования "
    "Фрунзенского района достигнуты."
)
TITLE = (
    "по результатам мониторинга показателей эффективности сетевого взаимодействия\n"
    "педагогов в профессиональных сетевых сообществах\n"
    "в системе образования Фрунзенского района Санкт-Петербурга\n"
    "в 2020, 2021 гг"
)
CLUSTERS = (
    ("Реализация ФГОС основного и среднего общего образования", 3),
    ("Современные технологии в образовательном процессе ДОУ", 9),
    ("Современная цифровая образовательная среда", 9),
    ("Современное культурное пространство, театрализованная деятельность и арт-педагогика в "
     "образовательном учреждении", 5),
    ("Родители в современном образовательном пространстве ОУ", 9),
    ("Экологическое воспитание обучающихся, здоровьесозидание и здоровьесбережение", 9),
    ("Финансовая грамотность обучающихся", 3),
    ("Управление образованием. Кадровые технологии", 4),
    ("Вектор учителя будущего", 22),
)
INDICATORS = (
    ("net_schools_share", "Доля ОУ района, включенных в работу профессиональных сетевых сообществ",
     "Для активной позиции педагога в профессиональном сетевом сообществе требуется определённый уровень "
     "профессиональных компетенций.", ("10", "10", "40", "54.8")),
    ("net_teachers_cpd_share", "Доля педагогов ОУ, участников профессиональных сетевых сообществ, включённых "
     "в процесс непрерывного повышения квалификации", "", ("10", "10", "20", "30")),
    ("net_teachers_iom_share", "Доля педагогов ОУ, участников сетевых профессиональных сообществ, повышающих "
     "квалификацию на основе ИОМ", "", None),
    ("net_teachers_innovation_share", "Доля педагогов ОУ, участников профессиональных сетевых сообществ, "
     "включённых в процесс инновационного проектирования",
     "Профессиональная деятельность в инновационной среде района способствует профессиональному росту "
     "педагога.", ("10", "20", "30", "30")),
)


def seed_centre(district) -> MethodCentre:
    centre = district.method_centre
    centre.full_name = (
        "Государственное бюджетное учреждение дополнительного профессионального педагогического образования "
        "центр повышения квалификации специалистов «Информационно-методический центр» Фрунзенского района "
        "Санкт-Петербурга"
    )
    centre.email = "info@edu-frn.spb.ru"
    centre.director_position = "Директор ГБУ «ИМЦ» Фрунзенского района Санкт-Петербурга"
    centre.save()
    return centre


def frunzensky_programme(district) -> Programme:
    programme = Programme.objects.create(
        district=district, code="network-effectiveness",
        name="Эффективность сетевого взаимодействия педагогов в профессиональных сетевых сообществах",
    )
    periods = [
        Period.objects.create(programme=programme, label=str(year), starts_on=datetime.date(year, 1, 1),
                              ends_on=datetime.date(year, 12, 31))
        for year in (2020, 2021)
    ]
    for position, (code, name, method, numbers) in enumerate(INDICATORS, start=1):
        indicator = Indicator.objects.create(programme=programme, code=code, name=name, method=method,
                                             unit=Unit.PERCENT, decimals=1, position=position)
        if numbers is None:
            continue
        for period, plan, fact in ((periods[0], numbers[0], numbers[1]), (periods[1], numbers[2], numbers[3])):
            Value.objects.create(district=district, indicator=indicator, period=period,
                                 plan=Decimal(plan), fact=Decimal(fact))
    schools = [OrganisationFactory(district=district) for _ in range(22)]
    for name, size in CLUSTERS:
        cluster = Cluster.objects.create(district=district, year=2021, name=name)
        for school in schools[:size]:
            ClusterMembership.objects.create(cluster=cluster, organisation=school, theme="Тема")
    # A cluster of another year is not the справка's.
    Cluster.objects.create(district=district, year=2020, name="Кластер прошлого года")
    return programme


def frunzensky_report(district, author, **fields) -> Report:
    seed_centre(district)
    programme = frunzensky_programme(district)
    report = Report.objects.create(
        district=district, kind="monitoring", title="Аналитическая справка\n" + TITLE,
        programme=programme, created_by=author, conclusion=CONCLUSION,
        section_texts={"clusters": "Кластерный подход в работе профессиональных сетевых сообществ позволяет "
                                   "эффективно развиваться педагогическому коллективу."},
        **fields,
    )
    report.periods.set(programme.periods.all())
    return report


def approve_like_seed(report: Report) -> Report:
    """What the workflow's approval leaves on the report: the seed's number and date."""
    report.dated = datetime.date(2021, 12, 17)
    report.outgoing_year = 2021
    report.outgoing_number = 854
    report.outgoing_label = "1-854"
    report.save()
    return report
