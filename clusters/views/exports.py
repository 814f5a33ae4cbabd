"""XLSX exports of the registry list pages: each file holds exactly the rows its page lists.

`ListExport` takes everything that decides *which* rows go into the file from the list view it
names — its capability, the `*_for_user` scope with the page's own annotations and order (the
page's `get_queryset`), and the page's FilterSet applied to the same GET. A subclass only names
the columns and loads what they read, so that a district-wide export runs a fixed number of
queries (select_related / annotate; prefetch_related works with the chunked iterator).

The exports of organisations, teachers and cluster memberships (importable kinds, same columns
as their import templates) are in io.py.
"""
from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from core.mixins import ScopedListView
from core.xlsx import XlsxColumn

from ..models import ClusterMembership
from .clusters import ClusterList
from .communities import CommunityList
from .development import MentorshipList, RouteList, TrainingList, TrainingProgramList
from .events import EventList
from .innovation import InnovationList
from .io import XlsxExportView


def yes_no(value: bool | None) -> str:
    return "да" if value else "нет"


class ListExport(XlsxExportView):
    """The XLSX file of one list page: that page's capability, scope, order and filter, by construction."""

    list_view: type[ScopedListView]
    related: tuple[str, ...] = ()  # select_related for what the columns read: no query per row
    prefetch: tuple[str, ...] = ()  # prefetch_related (done per chunk of the iterator)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        page = cls.__dict__.get("list_view")
        if page is not None:
            cls.capability = page.capability
            cls.filterset_class = page.filterset_class

    def get_queryset(self) -> QuerySet:
        page = self.list_view()
        page.setup(self.request, *self.args, **self.kwargs)
        queryset = page.get_queryset()
        if self.related:
            queryset = queryset.select_related(*self.related)
        if self.prefetch:
            queryset = queryset.prefetch_related(*self.prefetch)
        return queryset


# --- clusters, communities ---


class ClusterExport(ListExport):
    list_view = ClusterList
    personal_data = True  # curators' names
    related = ("curator",)
    filename_prefix = "clusters"
    sheet_title = "Кластеры"
    columns = (
        XlsxColumn("Год", "year", width=8),
        XlsxColumn("Кластер", "name", width=40),
        XlsxColumn("Направление работы", "description", width=50),
        XlsxColumn("Куратор", "curator.display_name", width=24),
        XlsxColumn("Организаций", "organisation_count", width=14),
    )

    def get_queryset(self) -> QuerySet:
        # A subquery, not Count("memberships"): a school administrator's scope already joins the
        # memberships (to their own school's), and a Count over that join would say 1.
        members = (
            ClusterMembership.objects.filter(cluster=OuterRef("pk"))
            .order_by().values("cluster").annotate(n=Count("pk")).values("n")
        )
        return super().get_queryset().annotate(
            organisation_count=Coalesce(Subquery(members, output_field=IntegerField()), 0)
        )


class CommunityExport(ListExport):
    """Members who have not left, counted in the database by the page's queryset."""

    list_view = CommunityList
    personal_data = True  # leaders' and curators' names
    related = ("leader__organisation", "curator")
    filename_prefix = "communities"
    sheet_title = "Сообщества"
    columns = (
        XlsxColumn("Вид", "get_kind_display", width=24),
        XlsxColumn("Название", "name", width=40),
        XlsxColumn("Тема / проблема", "topic", width=50),
        XlsxColumn("Руководитель", "leader.full_name", width=30),
        XlsxColumn("Организация руководителя", "leader.organisation.short_name", width=30),
        XlsxColumn("Куратор", "curator.display_name", width=24),
        XlsxColumn("Начало работы", "started_on", width=14),
        XlsxColumn("Окончание работы", "ended_on", width=14),
        XlsxColumn("Участников", "member_count", width=12),
    )


# --- professional development ---


class TrainingExport(ListExport):
    list_view = TrainingList
    personal_data = True  # teachers' names and certificate numbers
    related = ("teacher__organisation", "program")
    filename_prefix = "trainings"
    sheet_title = "Повышение квалификации"
    columns = (
        XlsxColumn("Педагог", "teacher.full_name", width=30),
        XlsxColumn("Организация", "teacher.organisation.short_name", width=24),
        XlsxColumn("Программа", "program.title", width=50),
        XlsxColumn("Объём, ч", "program.hours", width=10),
        XlsxColumn("Организация, проводившая обучение", "program.provider", width=30),
        XlsxColumn("Дата окончания", "completed_on", width=14),
        XlsxColumn("По результатам диагностики дефицитов", lambda c: yes_no(c.based_on_diagnostics), width=16),
        XlsxColumn("Номер удостоверения", "certificate_number", width=20, text=True),
    )


class TrainingProgramExport(ListExport):
    """The shared catalogue; «Прошли обучение» counts the user's district's (or school's) teachers."""

    list_view = TrainingProgramList
    filename_prefix = "training_programs"
    sheet_title = "Программы ПК"
    columns = (
        XlsxColumn("Программа", "title", width=60),
        XlsxColumn("Объём, ч", "hours", width=10),
        XlsxColumn("Организация, проводившая обучение", "provider", width=36),
        XlsxColumn("Прошли обучение", "completion_count", width=16),
    )


class RouteExport(ListExport):
    list_view = RouteList
    personal_data = True  # teachers' names
    related = ("teacher__organisation",)
    filename_prefix = "routes"
    sheet_title = "ИОМ"
    columns = (
        XlsxColumn("Педагог", "teacher.full_name", width=30),
        XlsxColumn("Организация", "teacher.organisation.short_name", width=24),
        XlsxColumn("Начало", "starts_on", width=12),
        XlsxColumn("Окончание", "ends_on", width=12),
        XlsxColumn("Устраняемые дефициты", lambda route: ", ".join(route.deficit_labels()), width=40),
        XlsxColumn("Статус", "get_status_display", width=16),
    )


class MentorshipExport(ListExport):
    list_view = MentorshipList
    personal_data = True  # mentors' and mentees' names
    related = ("mentor__organisation", "mentee__organisation")
    filename_prefix = "mentorships"
    sheet_title = "Наставничество"
    columns = (
        XlsxColumn("Наставник", "mentor.full_name", width=30),
        XlsxColumn("Организация наставника", "mentor.organisation.short_name", width=24),
        XlsxColumn("Наставляемый", "mentee.full_name", width=30),
        XlsxColumn("Организация наставляемого", "mentee.organisation.short_name", width=24),
        XlsxColumn("Молодой педагог", lambda pair: yes_no(pair.mentee.is_young), width=12),
        XlsxColumn("Начало", "starts_on", width=12),
        XlsxColumn("Окончание", "ends_on", width=12),
    )


# --- innovation, events ---


class InnovationExport(ListExport):
    list_view = InnovationList
    related = ("lead_organisation",)
    filename_prefix = "innovation_projects"
    sheet_title = "Инновационные проекты"
    columns = (
        XlsxColumn("Проект", "title", width=50),
        XlsxColumn("Ведущая организация", "lead_organisation.short_name", width=30),
        XlsxColumn("Уровень площадки", "get_level_display", width=14),
        XlsxColumn("Начало", "starts_on", width=12),
        XlsxColumn("Окончание", "ends_on", width=12),
        XlsxColumn("Участников", "participant_count", width=12),
    )


class EventExport(ListExport):
    list_view = EventList
    related = ("cluster", "community")
    prefetch = ("organisers",)
    filename_prefix = "events"
    sheet_title = "Мероприятия"
    columns = (
        XlsxColumn("Дата проведения", "held_on", width=14),
        XlsxColumn("Мероприятие", "title", width=50),
        XlsxColumn("Форма", "form_label", width=20),
        XlsxColumn("Уровень", "get_level_display", width=12),
        XlsxColumn("Организаторы", lambda event: ", ".join(o.short_name for o in event.organisers.all()), width=40),
        XlsxColumn("Кластер", lambda event: str(event.cluster) if event.cluster else None, width=36),
        XlsxColumn("Сообщество", "community.name", width=36),
        XlsxColumn("Участников", "participants_count", width=12),
    )
