"""The personal-data export log (152-ФЗ): one ExportLog row per download of a list with people in it.

Which lists count is decided where each export is declared (`personal_data = True` on the view in
clusters/views/io.py and exports.py; tests/clusters/test_export_log.py pins the set). The log holds
who (user, copied name, role and district), which list, which filter, how many rows and when.
"""
from __future__ import annotations

from urllib.parse import unquote_plus

from .models import ExportLog

QUERY_STRING_MAX = 2000


def readable_query(query_dict) -> str:
    """«organisation=3&q=Иванова»: the page's filter as a person reads it (not percent-encoded)."""
    return unquote_plus(query_dict.urlencode())[:QUERY_STRING_MAX]


def log_export(*, user, list_name: str, list_title: str, query_string: str, row_count: int) -> ExportLog:
    district_id = user.district_id or (user.organisation.district_id if user.organisation_id else None)
    return ExportLog.objects.create(
        user=user,
        username=user.get_username(),
        role=user.role,
        district_id=district_id,
        list_name=list_name,
        list_title=list_title,
        query_string=query_string,
        row_count=row_count,
    )
