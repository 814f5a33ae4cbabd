"""The results XLSX of the largest campaign written by its export job, in-process (issue 15.6: big exports as jobs).

Prepare a city database once (a 200,000-response campaign in the first district, ~5 min):

    createdb -h 127.0.0.1 -U postgres imc_bench_exports
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/imc_bench_exports DEBUG=true .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/imc_bench_exports DEBUG=true \\
        .venv/bin/python manage.py generate_city --responses 200000

then, from the root of the tree:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/imc_bench_exports DEBUG=true \\
        .venv/bin/python benchmarks/export_jobs.py 3

Each round runs, alternately and each in a fresh process (so ru_maxrss is that run's peak alone):

    job       core.exports.export_job_request + the task (eager, in place) for the campaign's first methodist:
              the whole workbook of the direct download (Сводка, Ответы, По группам, О выгрузке) streamed
              into a write-only openpyxl workbook, saved to a temporary file and stored under MEDIA_ROOT;
    baseline  hand-written SQL: the submitted responses joined to their answers in public-id order, read
              with a psycopg2 server-side cursor, one row per response with the same columns (option texts
              looked up in a dict), written to a write-only workbook — the «Ответы» sheet only.

Prints each run's wall time and peak memory (ru_maxrss; also the process's size before the export, Django
loaded), the medians and the ratio job / baseline; targets: job ≤ 60 s and ≤ 300 MB. The produced file is
opened with openpyxl (read-only) and its «Ответы» rows counted against the campaign's responses. The
export jobs it creates are deleted with their files at the end. Not part of the test suite.
"""
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imc_portal.settings")
os.environ.setdefault("EMBEDDED_TASKS", "eager")
import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402

from core import exports  # noqa: E402
from core.models import ExportJob  # noqa: E402
from imc_portal.models import Role, User  # noqa: E402
from surveys import results as r  # noqa: E402
from surveys.export_jobs import request_results_export  # noqa: E402
from surveys.models import Campaign, QuestionKind, ResponseStatus  # noqa: E402
from surveys.responses import questionnaire_structure  # noqa: E402
from surveys.xlsx_results import raw_columns, raw_row_count  # noqa: E402

TARGET_SECONDS = 60
TARGET_MB = 300


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def cpu_seconds() -> float:
    """This process's CPU time (user + system), PostgreSQL's not included: on a busy machine the wall time
    also holds the time spent waiting for a CPU."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def biggest_campaign() -> tuple[Campaign, int]:
    pk, n = (Campaign.objects.annotate(n=Count("responses", filter=Q(responses__status=ResponseStatus.SUBMITTED)))
             .order_by("-n").values_list("pk", "n").first())
    return Campaign.objects.select_related("questionnaire", "district").get(pk=pk), n


def run_job(campaign: Campaign, read_back: bool) -> dict:
    reader = (User.objects.filter(role=Role.METHODIST, district_id=campaign.district_id, is_active=True)
              .order_by("username").first())
    group = r.whole_campaign(campaign)
    before, cpu = rss_mb(), cpu_seconds()
    started = time.perf_counter()
    job = request_results_export(user=reader, campaign=campaign, group=group, filename="bench.xlsx",
                                 rows_total=raw_row_count(campaign, group))  # the task runs on commit (eager)
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    peak = rss_mb()  # before reading the file back (openpyxl's reader holds more than the writer)
    job.refresh_from_db()
    assert job.is_succeeded, job.message
    path = job.file.path
    rows = _sheet_rows(path, "Ответы") if read_back else job.rows_done
    size = os.path.getsize(path)
    job.file.delete(save=False)
    job.delete()
    return {"seconds": seconds, "cpu": cpu, "peak_mb": peak, "before_mb": before, "rows": rows,
            "rows_done": job.rows_done, "file_mb": size / 2**20}


def run_baseline(campaign: Campaign, read_back: bool) -> dict:
    questions = questionnaire_structure(campaign.questionnaire)
    columns, keys = raw_columns(questions)
    position = {key: index for index, key in enumerate(keys)}
    option_text = {o.pk: o.text for q in questions for o in q.options.all()}
    other = {q.pk: r.other_label(q) for q in questions if q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)}
    names = _names(campaign)
    before, cpu = rss_mb(), cpu_seconds()
    started = time.perf_counter()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Ответы")
    sheet.append([column.header for column in columns])
    connection.ensure_connection()
    with transaction.atomic(), connection.connection.cursor(name="bench_export") as cursor:
        cursor.itersize = 5000
        cursor.execute(
            """SELECT r.public_id, r.organisation_id, r.submitted_on, a.question_id, a.row_id, a.option_id, a.text,
                      a.number
                 FROM surveys_response r LEFT JOIN surveys_answer a ON a.response_id = r.id
                WHERE r.campaign_id = %s AND r.status = %s
                ORDER BY r.public_id, a.id""",
            [campaign.pk, ResponseStatus.SUBMITTED],
        )
        number, current, head, cells = 0, None, None, None

        def flush():
            values = [None if not parts else parts[0] if len(parts) == 1 else "; ".join(map(str, parts))
                      for parts in cells]
            sheet.append([number, str(current), *head, *values])

        for public_id, organisation_id, submitted_on, question_id, row_id, option_id, text, value in cursor:
            if public_id != current:
                if current is not None:
                    flush()
                number += 1
                current, head, cells = public_id, (names.get(organisation_id, ""), submitted_on), [[] for _ in keys]
            index = position.get((question_id, row_id))
            if index is None:
                continue
            if option_id is not None:
                cells[index].append(option_text.get(option_id, ""))
            elif value is not None:
                cells[index].append(value)
            elif question_id in other:
                cells[index].append(f"{other[question_id]}: {text}")
            else:
                cells[index].append(text)
        if current is not None:
            flush()
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    workbook.save(path)
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    peak = rss_mb()
    rows = _sheet_rows(path, "Ответы") if read_back else number
    size = os.path.getsize(path)
    os.unlink(path)
    return {"seconds": seconds, "cpu": cpu, "peak_mb": peak, "before_mb": before, "rows": rows,
            "file_mb": size / 2**20}


def _names(campaign: Campaign) -> dict:
    counts = r.response_counts(campaign)
    shown = r.shown_organisations(campaign, counts)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, short_name FROM clusters_organisation WHERE id = ANY(%s)", [list(shown)])
        return dict(cursor.fetchall())


def _sheet_rows(path: str, title: str) -> int:
    workbook = load_workbook(path, read_only=True)
    try:
        return sum(1 for _ in workbook[title].iter_rows(values_only=True)) - 1  # without the header
    finally:
        workbook.close()


def main(rounds: int) -> None:
    campaign, responses = biggest_campaign()
    print(f"campaign {campaign.pk} «{campaign.title}»: {responses} submitted responses; "
          f"threshold {exports.threshold()}; soffice: {_which('soffice') or 'absent'}")
    ExportJob.objects.filter(filename="bench.xlsx").delete()  # left by an interrupted run (one pending job per user)
    results: dict[str, list[dict]] = {"job": [], "baseline": []}
    for number in range(1, rounds + 1):
        for mode in (("job", "baseline") if number % 2 else ("baseline", "job")):
            # The file is read back (openpyxl, read-only: minutes for 200,000 rows) in the first round only.
            out = subprocess.run([sys.executable, __file__, "--one", mode, "1" if number == 1 else "0"],
                                 capture_output=True, text=True, env=os.environ)
            if out.returncode:
                sys.exit(f"{mode} failed:\n{out.stderr[-3000:]}")
            result = json.loads(out.stdout.strip().splitlines()[-1])
            results[mode].append(result)
            assert result["rows"] == responses, (mode, result["rows"], responses)
            print(f"round {number} {mode:8}: {result['seconds']:6.1f} s (CPU {result['cpu']:5.1f} s), peak {result['peak_mb']:5.0f} MB "
                  f"(before the export {result['before_mb']:.0f} MB), file {result['file_mb']:.1f} MB, "
                  f"«Ответы» rows {'read back' if number == 1 else 'written'}: {result['rows']}", flush=True)
    job = statistics.median(x["seconds"] for x in results["job"])
    base = statistics.median(x["seconds"] for x in results["baseline"])
    job_cpu = statistics.median(x["cpu"] for x in results["job"])
    base_cpu = statistics.median(x["cpu"] for x in results["baseline"])
    job_mb = max(x["peak_mb"] for x in results["job"])
    print(f"median job {job:.1f} s (target ≤ {TARGET_SECONDS} s: {'met' if job <= TARGET_SECONDS else 'NOT met'}), "
          f"baseline {base:.1f} s, job / baseline {job / base:.2f}; CPU job {job_cpu:.1f} s, baseline {base_cpu:.1f} s, "
          f"ratio {job_cpu / base_cpu:.2f}; "
          f"job peak {job_mb:.0f} MB (target ≤ {TARGET_MB} MB: {'met' if job_mb <= TARGET_MB else 'NOT met'}), "
          f"baseline peak {max(x['peak_mb'] for x in results['baseline']):.0f} MB")
    ExportJob.objects.filter(filename="bench.xlsx").delete()


def _which(name: str) -> str | None:
    from shutil import which

    return which(name)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--one":
        campaign, _ = biggest_campaign()
        read_back = sys.argv[3] == "1"
        result = run_job(campaign, read_back) if sys.argv[2] == "job" else run_baseline(campaign, read_back)
        print(json.dumps(result))
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
