# Image of the ИМЦ portal: one image for web (gunicorn), worker and beat (Celery); see docker-compose.yml.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=imc_portal.settings \
    MPLCONFIGDIR=/tmp/matplotlib

# WeasyPrint needs Pango; documents need Cyrillic fonts (Liberation Serif for the body,
# PT Sans for the signature stamp, DejaVu as the fallback); tzdata for Europe/Moscow.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
        fonts-liberation2 fonts-dejavu-core fonts-paratype \
        tzdata \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, so that a code change does not reinstall them: exactly the production
# lockfile's versions (WeasyPrint and pyHanko behaviour shapes the PDFs), every file checked against
# its hash. The project itself is not installed; gunicorn and celery run from /app.
COPY requirements/base.txt requirements/base.txt
RUN pip install --require-hashes -r requirements/base.txt

COPY . .

# Static files are collected into the image, so every container of it — web, worker, beat and a
# one-off `docker compose run --rm web python manage.py …` — has the same manifest: the worker
# renders PDFs with reports/print.css and the fonts through the manifest storage. (Collected only
# in web's container, the worker's STATIC_ROOT was empty and every render failed with «Missing
# staticfiles manifest entry».) The settings need nothing else at build time; the key is a dummy.
ENV STATIC_ROOT=/app/staticfiles \
    STATICFILES_STORAGE=whitenoise.storage.CompressedManifestStaticFilesStorage \
    WHITENOISE_USE_FINDERS=false
RUN DEBUG=false SECRET_KEY=build-only-collectstatic DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --noinput -v 0 \
    && test -s /app/staticfiles/staticfiles.json

# The collected files stay root's: the portal reads them and never rewrites them.
RUN useradd --system --uid 1000 --home-dir /app --shell /usr/sbin/nologin imc \
    && mkdir -p /app/media /app/var/certs \
    && chown -R imc:imc /app/media /app/var
USER imc

EXPOSE 8000
# gunicorn.conf.py: logs to stdout, public survey paths masked in the access log.
CMD ["gunicorn", "imc_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "-c", "gunicorn.conf.py"]
