"""Gunicorn settings of the portal: docker-compose.yml and the Dockerfile start
`gunicorn imc_portal.wsgi:application -c gunicorn.conf.py` (bind, workers and timeout stay on their
command lines).

The access log must not link an anonymous survey answer to anyone. A public survey path names the
organisation's link token (`/s/<token>/`) and its form key (`?k=…`); next to the client address and
the exact time that would tell which school's teacher answered when. `access_log_format` cannot
rewrite a path, so MaskedAccessLogger rewrites every atom of a line (request line, path, query,
referer, redirect Location, environ) for those paths: `/s/<token>/…` becomes `/s/…/` and the query
string is dropped. Everything else is logged as gunicorn always does.
"""
import re

from gunicorn.glogging import Logger

accesslog = "-"
errorlog = "-"

SURVEY_PATH = re.compile(r"/s/[^/?#\s\"]+(?:/[^?#\s\"]*)?(?:\?[^#\s\"]*)?")
MASK = "/s/…/"


def mask_survey_paths(value):
    """`/s/<token>/thanks/?k=…` → `/s/…/` inside any string; other values unchanged."""
    if isinstance(value, str) and "/s/" in value:
        return SURVEY_PATH.sub(MASK, value)
    return value


class MaskedAccessLogger(Logger):
    """gunicorn's logger with public survey paths masked in every access-log atom."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        masked = {key: mask_survey_paths(value) for key, value in atoms.items()}
        if (environ.get("PATH_INFO") or "").startswith("/s/"):
            for key in ("q", "{query_string}e"):
                if key in masked:
                    masked[key] = "-"
        return masked


logger_class = MaskedAccessLogger
