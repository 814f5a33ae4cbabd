"""The pages of export jobs (core/exports.py): «Мои выгрузки», one job's page, its polled status, its file.

Every view reads only the user's own jobs (`exports.jobs_for_user`): another user's job is a 404, the
same answer as a job that does not exist. The file is answered here, never by a media URL.
"""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from . import exports

LIST_LIMIT = 50


@login_required
def export_list(request):
    jobs = exports.jobs_for_user(request.user).order_by("-created_at")[:LIST_LIMIT]
    return render(request, "core/export_list.html", {"jobs": jobs, "title": "Мои выгрузки",
                                                      "threshold": exports.threshold()})


@login_required
def export_detail(request, pk: int):
    job = get_object_or_404(exports.jobs_for_user(request.user), pk=pk)
    return render(request, "core/export_detail.html", {"job": job, "title": f"Выгрузка «{job.title}»"})


@login_required
def export_status(request, pk: int):
    """The status partial htmx polls while the job runs; once ready it carries the download link."""
    job = get_object_or_404(exports.jobs_for_user(request.user), pk=pk)
    return render(request, "core/export_status.html", {"job": job, "polled": True})


@login_required
def export_download(request, pk: int):
    job = get_object_or_404(exports.jobs_for_user(request.user), pk=pk)
    if not job.is_downloadable:
        raise Http404("Файл выгрузки не готов или уже удалён.")
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename,
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
