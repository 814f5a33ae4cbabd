"""Why (issue 9): «The compose access log records IP, exact time, user agent and the organisation
link token of every anonymous answer». gunicorn.conf.py's logger masks public survey paths."""
from __future__ import annotations

import datetime as dt
import importlib.util
import io
import logging
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "AbCdEfGhIjKlMnOp"


def _conf():
    spec = importlib.util.spec_from_file_location("gunicorn_conf", ROOT / "gunicorn.conf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _line(path: str, query: str = "", referer: str = "-", location: str | None = None) -> str:
    conf = _conf()
    config = Config()
    config.set("logger_class", conf.logger_class)
    config.set("accesslog", "-")
    logger = config.logger_class(config)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger.access_log.handlers = [handler]
    raw_uri = path + (f"?{query}" if query else "")
    environ = {"REQUEST_METHOD": "POST", "RAW_URI": raw_uri, "SERVER_PROTOCOL": "HTTP/1.1", "PATH_INFO": path,
               "QUERY_STRING": query, "REMOTE_ADDR": "10.1.2.3", "HTTP_REFERER": referer,
               "HTTP_USER_AGENT": "Mozilla/5.0"}
    headers = [("Location", location)] if location else []
    resp = SimpleNamespace(status="302 Found", sent=0, headers=headers)
    req = SimpleNamespace(headers=[("REFERER", referer)])
    logger.access(resp, req, environ, dt.timedelta(seconds=0, microseconds=1500))
    return stream.getvalue()


def test_the_config_uses_the_masking_logger():
    conf = _conf()
    assert conf.logger_class.__name__ == "MaskedAccessLogger" and conf.accesslog == "-"


@pytest.mark.parametrize("path", [f"/s/{TOKEN}/", f"/s/{TOKEN}/thanks/"])
def test_a_survey_path_its_key_and_its_referer_are_masked(path):
    line = _line(path, query="k=nonce%3Asignature", referer=f"https://imc.example.ru/s/{TOKEN}/?k=nonce:sig",
                 location=f"/s/{TOKEN}/thanks/")
    assert TOKEN not in line and "nonce" not in line and "signature" not in line
    assert '"POST /s/…/ HTTP/1.1"' in line
    assert '"https://imc.example.ru/s/…/"' in line


def test_other_paths_are_logged_as_usual():
    line = _line("/reports/7/", query="page=2")
    assert '"POST /reports/7/?page=2 HTTP/1.1"' in line


def test_the_compose_web_command_and_the_image_use_the_config():
    assert '"-c", "gunicorn.conf.py"' in (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    assert '"-c", "gunicorn.conf.py"' in (ROOT / "Dockerfile").read_text(encoding="utf-8")
