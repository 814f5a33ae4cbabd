"""The docker compose deployment renders PDFs: static files are collected into the image (Dockerfile),
so the worker and one-off `manage.py` commands see the manifest that whitenoise's
CompressedManifestStaticFilesStorage needs.

Before, only web ran collectstatic (in its own container): the worker's STATIC_ROOT was empty and
every render failed with «Missing staticfiles manifest entry for 'reports/print.css'».

- the Dockerfile and docker-compose.yml say what compose runs (read as text: no YAML parser here);
- a справка renders with compose's static settings and the finders off, from a STATIC_ROOT collected
  as the Dockerfile collects it; an empty STATIC_ROOT fails loudly, naming the missing file;
- a Celery worker started with exactly docker-compose.yml's `worker` command line and compose's
  environment (pointed at this machine's PostgreSQL and Redis) renders the final PDF of a справка.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import override_settings

from reports import rendering

BASE_DIR = Path(django_settings.BASE_DIR)
MANIFEST_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"


def _compose() -> str:
    return (BASE_DIR / "docker-compose.yml").read_text()


def _service_block(name: str) -> str:
    """The lines of one service of docker-compose.yml (up to the next service or top-level key)."""
    match = re.search(rf"^  {name}:\n((?:    .*\n|\s*\n)+)", _compose(), re.MULTILINE)
    assert match, f"docker-compose.yml has no service {name}"
    return match.group(1)


def compose_worker_command() -> list[str]:
    """The `worker` service's command, as docker-compose.yml writes it (a flow list: JSON)."""
    match = re.search(r"^    command: (\[.*\])$", _service_block("worker"), re.MULTILINE)
    assert match, "the worker's command is a one-line list"
    return json.loads(match.group(1))


def compose_app_environment() -> dict[str, str]:
    """x-app-environment with every ${VAR:-default} at its default and ${VAR:?…} as a placeholder."""
    block = re.search(r"^x-app-environment: &app-environment\n((?:  .*\n|\s*#.*\n)+)", _compose(), re.MULTILINE)
    assert block
    env = {}
    for key, value in re.findall(r"^  ([A-Z_]+): (.*)$", block.group(1), re.MULTILINE):
        value = re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", value.strip().strip('"'))
        env[key] = re.sub(r"\$\{([A-Z_]+):\?[^}]*\}", r"compose-\1", value)
    return env


# --- what the files say -------------------------------------------------------------------------


def test_the_image_collects_static_files_with_composes_storage():
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    environment = compose_app_environment()

    assert re.search(r"^RUN .*\n?.*manage\.py collectstatic --noinput", dockerfile, re.MULTILINE)
    assert f"STATIC_ROOT={environment['STATIC_ROOT']}" in dockerfile
    assert f"STATICFILES_STORAGE={environment['STATICFILES_STORAGE']}" in dockerfile
    assert environment["STATICFILES_STORAGE"] == MANIFEST_STORAGE
    # The collected files are in the image, not in a volume that would hide them.
    assert "staticfiles" not in "".join(re.findall(r"^\s+- [\w-]+:/app/\S+$", _compose(), re.MULTILINE))


def test_migrate_runs_the_deployment_checks_before_migrating():
    """core.E001 / reports.E003 are deployment checks: compose's one-shot migrate runs them first, and web,
    worker and beat wait for it to succeed."""
    command = json.loads(re.search(r"command: (\[.*\])", _service_block("migrate")).group(1))
    assert command[:2] == ["sh", "-c"]
    assert command[2] == "python manage.py check --deploy --fail-level ERROR && python manage.py migrate --noinput"
    for service in ("web", "worker", "beat"):
        assert re.search(r"migrate:\n\s+condition: service_completed_successfully", _service_block(service)), service


def test_no_service_collects_static_files_at_run_time():
    for service in ("web", "worker", "beat", "migrate"):
        assert "collectstatic" not in _service_block(service), service


def test_the_compose_section_of_the_readme_loads_the_demo_with_one_command():
    assert "docker compose run --rm web python manage.py load_demo" in (BASE_DIR / "README.md").read_text()


def test_compose_check_validates_or_says_it_was_skipped():
    result = subprocess.run(["make", "-s", "compose-check"], cwd=BASE_DIR, capture_output=True, text=True, timeout=60)

    assert result.returncode == 0, result.stdout + result.stderr
    assert ("docker не найден: проверка docker-compose.yml пропущена" in result.stdout
            or "без ошибок" in result.stdout)


# --- rendering with the manifest, as compose configures it --------------------------------------


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory) -> Path:
    """STATIC_ROOT collected as the Dockerfile collects it (manifest storage, compressed)."""
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STATIC_ROOT=root, STORAGES={**django_settings.STORAGES,
                                                       "staticfiles": {"BACKEND": MANIFEST_STORAGE}}):
        call_command("collectstatic", interactive=False, verbosity=0)
    assert (root / "staticfiles.json").is_file()
    return root


def _as_compose(settings, static_root: Path) -> None:
    settings.DEBUG = False  # the manifest storage hands out plain names under DEBUG
    settings.STATIC_ROOT = static_root
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST_STORAGE}}
    settings.WHITENOISE_USE_FINDERS = False
    settings.STATICFILES_FINDERS = []  # the renderer must find print.css and the fonts in STATIC_ROOT


def test_a_spravka_renders_with_the_manifest_storage_and_no_finders(settings, collected_static, district_a, methodist):
    from tests.reports.spravka_data import approve_like_seed, frunzensky_report

    _as_compose(settings, collected_static)
    report = approve_like_seed(frunzensky_report(district_a, methodist))
    fetched = []
    real = rendering.static_file_path
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rendering, "static_file_path", lambda relative: fetched.append(relative) or real(relative))
        pdf = rendering.render_report_pdf(report, final=True)

    assert pdf.startswith(b"%PDF")
    assert any(re.fullmatch(r"reports/print\.[0-9a-f]{12}\.css", name) for name in fetched), fetched
    assert all(real(name) is not None and real(name).is_relative_to(collected_static) for name in fetched)


def test_an_empty_static_root_fails_naming_the_missing_file(settings, tmp_path, district_a, methodist):
    """What the worker did before the image carried the manifest: a loud, named error, no PDF."""
    from tests.reports.spravka_data import frunzensky_report

    _as_compose(settings, tmp_path / "empty-staticfiles")
    report = frunzensky_report(district_a, methodist)

    with pytest.raises(ValueError, match=r"Missing staticfiles manifest entry for 'reports/print\.css'"):
        rendering.render_report_pdf(report, final=False)


# --- the Done-when: a worker started exactly as docker-compose.yml starts it ---------------------

LOCAL_REDIS = "redis://127.0.0.1:6379/11"


def _worker_environment(static_root: Path, media_root: Path, ca_dir: Path, broker: str) -> dict[str, str]:
    from django.db import connection

    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    env = compose_app_environment()
    env.update({
        # Compose's hosts (postgres, redis, cache) are this machine's; everything else is compose's.
        "DATABASE_URL": f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": broker, "CELERY_RESULT_BACKEND": broker, "CACHE_URL": broker, "CHART_CACHE_URL": broker,
        "STATIC_ROOT": str(static_root), "MEDIA_ROOT": str(media_root), "REPORT_SIGNING_DEMO_CA_DIR": str(ca_dir),
        "SIGNING_CREDENTIALS_KEY": django_settings.SIGNING_CREDENTIALS_KEY or "",
        "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "HOME": os.environ.get("HOME", "/tmp"), "MPLCONFIGDIR": "/tmp/matplotlib",
    })
    return env


def _forget_broker_connections(app) -> None:
    """The next publish connects to app.conf.broker_url afresh (the pools keep the old URL)."""
    # Not closed: kombu keeps one pool per broker URL and would hand a closed one back to the next
    # publisher of the same URL («Acquire on closed pool»).
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def compose_worker(transactional_db, collected_static, tmp_path, settings):
    """docker-compose.yml's worker command line, run from the project folder like the image's WORKDIR."""
    from django.db import connection

    from imc_portal.celery import app

    if connection.vendor != "postgresql":
        pytest.skip("the worker process reads the test database: PostgreSQL only (SQLite's is in memory)")
    broker = settings.CELERY_BROKER_URL or LOCAL_REDIS
    command = compose_worker_command()
    assert shutil.which(command[0], path=f"{Path(sys.executable).parent}"), f"{command[0]} is not in the venv"
    settings.MEDIA_ROOT = tmp_path / "media"
    env = _worker_environment(collected_static, settings.MEDIA_ROOT, Path(settings.REPORT_SIGNING_DEMO_CA_DIR), broker)
    names = ("task_always_eager", "broker_url", "broker_read_url", "broker_write_url", "result_backend")
    saved = {name: app.conf[name] for name in names}
    app.conf.task_always_eager = False
    for name in names[1:]:  # publishing uses broker_write_url, derived at start-up
        app.conf[name] = broker
    _forget_broker_connections(app)
    app.control.purge()
    log = (tmp_path / "worker.log").open("w+")
    worker = subprocess.Popen(command, env=env, cwd=BASE_DIR, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(timeout=0.5):
            assert worker.poll() is None, f"the worker exited: {log.seek(0) or log.read()[-3000:]}"
            assert time.monotonic() < deadline, "the worker did not answer a ping within 60 s"
        yield worker, log
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        for name, value in saved.items():
            app.conf[name] = value
        _forget_broker_connections(app)
        log.close()


@pytest.mark.worker
def test_a_worker_started_as_compose_starts_it_renders_the_final_spravka(compose_worker, district_a, methodist,
                                                                          director):
    from reports import services
    from reports.models import FileRole, RenderJob
    from tests.reports.spravka_data import frunzensky_report

    worker, log = compose_worker
    report = frunzensky_report(district_a, methodist)
    services.report_submit(report=report, user=methodist)
    services.report_approve(report=report, user=director)  # commits; the final PDF is queued

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not report.files.filter(role=FileRole.FINAL_PDF).exists():
        job = RenderJob.objects.filter(report=report, target=FileRole.FINAL_PDF).order_by("-pk").first()
        assert job is None or job.status != "failed", f"{job.message}\n{log.seek(0) or log.read()[-3000:]}"
        time.sleep(0.5)

    final = report.files.filter(role=FileRole.FINAL_PDF).first()
    assert final is not None, f"no final PDF within 120 s; worker log:\n{log.seek(0) or log.read()[-3000:]}"
    with final.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert worker.poll() is None
