"""surveys 0003 gives every existing response its own random public id (a column default would
give all rows the same one, and the unique index would refuse it)."""
from __future__ import annotations

import uuid

import pytest

from surveys.models import Response

from .factories import all_kinds_questionnaire, make_campaign


@pytest.mark.django_db(transaction=True)
def test_existing_responses_get_distinct_random_public_ids(district_a, school_a):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    campaign = make_campaign(all_kinds_questionnaire(district_a).questionnaire, district_a)
    before = ("surveys", "0002_shipped_questionnaires")  # the migration under test is the next one, "0003_response_public_id_notices"
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    try:
        OldResponse = executor.loader.project_state([before]).apps.get_model("surveys", "Response")
        old = [OldResponse.objects.create(campaign_id=campaign.pk, organisation_id=school_a.pk, status="submitted")
               for _ in range(5)]
    finally:
        # Forward to every app's latest migration, not just the one under test: stepping back also unapplied
        # the later migrations of other apps and of this one, and the rest of the suite needs them.
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    ids = list(Response.objects.filter(pk__in=[r.pk for r in old]).values_list("public_id", flat=True))
    assert len(ids) == 5 and len(set(ids)) == 5 and all(isinstance(i, uuid.UUID) and i.version == 4 for i in ids)
