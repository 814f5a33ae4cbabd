"""The plan/fact table's programme lookup (issue 15.3): no COUNT of indicators (only the list prints it)."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_programme_list_prints_the_number_of_indicators(network_programme, methodist_client, school_admin_client):
    url = reverse("monitoring:programme_list")
    assert "показателей: 5" in methodist_client.get(url).content.decode()  # four computed and one entered
    assert school_admin_client.get(url).status_code == 403


def test_plan_fact_table_reads_the_programme_without_counting(network_programme, methodist_client,
                                                              school_admin_client):
    url = reverse("monitoring:programme_detail", args=[network_programme.pk])
    with CaptureQueriesContext(connection) as queries:
        response = methodist_client.get(url)
    assert response.status_code == 200 and 'data-testid="plan-fact-table"' in response.content.decode()
    programme_reads = [q["sql"] for q in queries.captured_queries
                       if q["sql"].startswith('SELECT "monitoring_programme"')]
    assert len(programme_reads) == 1 and "COUNT(" not in programme_reads[0]
    assert school_admin_client.get(url).status_code == 403
