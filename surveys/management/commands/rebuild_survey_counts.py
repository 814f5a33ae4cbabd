"""`manage.py rebuild_survey_counts [--campaign ID ...]`: recount campaigns' results from their answers.

The results page reads kept counts (surveys/aggregates.py), written with every submission. Run this
after writing answers in bulk outside the submission services (an import, a restored dump, SQL by
hand); the demo loader and generate_city rebuild their own campaigns. Without --campaign: every
campaign.
"""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from surveys.aggregates import campaign_rebuilt
from surveys.models import Campaign


class Command(BaseCommand):
    help = "Пересчитать счётчики ответов кампаний анкетирования по самим ответам"

    def add_arguments(self, parser):
        parser.add_argument("--campaign", type=int, action="append", default=[],
                            help="id кампании (можно несколько раз); без него — все кампании")

    def handle(self, *args, campaign: list[int], **options):
        campaigns = Campaign.objects.order_by("pk")
        if campaign:
            campaigns = campaigns.filter(pk__in=campaign)
            missing = sorted(set(campaign) - set(campaigns.values_list("pk", flat=True)))
            if missing:
                raise CommandError("Нет кампаний с id: " + ", ".join(map(str, missing)) + ".")
        total = 0
        for item in campaigns:
            rows = campaign_rebuilt(item)
            total += rows
            self.stdout.write(f"{item.pk}: «{item.title}» — строк счётчиков {rows}")
        self.stdout.write(f"Готово: кампаний {campaigns.count()}, строк счётчиков {total}.")
