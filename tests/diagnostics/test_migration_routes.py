"""diagnostics 0002: an ИОМ typed before diagnostics keeps everything and gets steps — its goals text and one step
per deficit, in the area whose code is the deficit's."""
from __future__ import annotations

import datetime as dt

import pytest

from diagnostics.models import Area, RouteStep
from tests.factories import TeacherFactory


@pytest.mark.django_db(transaction=True)
def test_existing_routes_become_routes_with_steps(school_a):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    teacher = TeacherFactory(organisation=school_a)
    before = [("diagnostics", "0001_initial"), ("clusters", "0007_teacher_email")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        OldRoute = executor.loader.project_state(before).apps.get_model("clusters", "IndividualRoute")
        route = OldRoute.objects.create(
            teacher_id=teacher.pk, starts_on=dt.date(2021, 1, 1), ends_on=dt.date(2021, 12, 31),
            deficits=["methodical", "communicative"], goals="Курс «Формирующее оценивание», 36 ч", status="completed")
        bare = OldRoute.objects.create(teacher_id=teacher.pk, starts_on=dt.date(2022, 1, 1),
                                       ends_on=dt.date(2022, 6, 30), deficits=[], goals="", status="active")
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    steps = list(RouteStep.objects.filter(route_id=route.pk).order_by("position"))
    assert [(s.title, s.area.code if s.area else None, s.status, s.due_on) for s in steps] == [
        ("Курс «Формирующее оценивание», 36 ч", None, "done", dt.date(2021, 12, 31)),
        ("Устранение дефицита: методические", "methodical", "done", dt.date(2021, 12, 31)),
        ("Устранение дефицита: коммуникативные", "communicative", "done", dt.date(2021, 12, 31)),
    ]
    assert not RouteStep.objects.filter(route_id=bare.pk).exists()
    assert Area.objects.filter(family="competencies").count() == 8
