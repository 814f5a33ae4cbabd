#!/usr/bin/env python3
"""`make screens`: screenshots of the portal as each demo role sees it, into docs/screens/.

Reproducible and idempotent:

1. A private demo database (SQLite under /tmp/imc-screens/, never the developer's db.sqlite3): built
   with `migrate` and `load_demo`, and rebuilt from scratch when the migrations or the demo loader
   changed since (a hash of those files is kept next to it) or with --fresh; otherwise reused as is.
2. The portal runs on a free local port (runserver, DEBUG on, Celery eager — the embedded default).
3. Debian's Chromium (CHROMIUM_PATH, as tests/e2e/conftest.py) signs in through the real login form as
   each demo role and saves the pages listed in SHOTS, at 1366 px and — for the home pages — 390 px.
4. Each PNG is cut to a sensible height and quantised to 256 colours (Pillow), so the folder stays
   small; docs/screens/README.md is rewritten with one line per picture, and pictures this script no
   longer makes are removed.

Usage: .venv/bin/python scripts/screens.py [--fresh] [--out docs/screens] [--work /tmp/imc-screens]
                                          [--only home-methodist ...]
"""
from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "docs" / "screens"
DEFAULT_WORK = Path(os.environ.get("SCREENS_WORK_DIR", "/tmp/imc-screens"))
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                 "--lang=ru-RU"]  # native widgets (the file picker) in Russian, as the portal's users see them
WIDE, NARROW = 1366, 390
# Viewport heights: a laptop screen and a phone. Long pages are captured below the fold up to max_height.
VIEWPORT_HEIGHT = {WIDE: 768, NARROW: 844}
PNG_COLOURS = 256
# Files whose change makes the demo database stale (rebuilt then from scratch).
DB_INPUTS = ("*/migrations/*.py", "demo/**/*")


# ----------------------------------------------------------------------------------------------- the pictures

@dataclass(frozen=True)
class Shot:
    name: str  # file stem in docs/screens/
    username: str
    path: str  # may hold {programme}, {report}
    title: str  # one line of docs/screens/README.md (Russian, as the portal)
    widths: tuple[int, ...] = (WIDE,)
    max_height: dict[int, int] = field(default_factory=lambda: {WIDE: 1500, NARROW: 2600})
    wait_for: str | None = None  # a CSS selector that shows the page is complete


def home_shots(roles: dict[str, str]) -> list[Shot]:
    """One home page per role present in the demo (role value → demo login); the city role only once it exists."""
    labels = [
        ("methodist", "home-methodist", "Главная методиста: черновики и возвращённые справки, кампании, "
                                        "закрывающиеся в течение 7 дней, сбои импорта и задач"),
        ("director", "home-director", "Главная директора ИМЦ: справки на утверждение и подпись, периоды на "
                                      "утверждение"),
        ("school_admin", "home-school-admin", "Главная администратора ОУ: анкеты и диагностики со сроками, "
                                              "ИОМ на согласование, мероприятия"),
        ("observer", "home-observer", "Главная наблюдателя: справки, подписанные с прошлого визита"),
        ("city", "home-city", "Куда попадает городской методист / комитет после входа: все районы, только просмотр"),
        ("portal_admin", "home-portal-admin", "Куда попадает администратор портала после входа"),
    ]
    return [Shot(name, roles[role], "/", title, widths=(WIDE, NARROW)) for role, name, title in labels if role in roles]


def page_shots() -> list[Shot]:
    return [
        Shot("organisations-sorted", "metodist", "/registry/organisations/?sort=name&per_page=25",
             "Список организаций района, отсортированный по названию («№ 2» раньше «№ 12»), с номерами "
             "страниц и выбором размера страницы", max_height={WIDE: 2000}),
        Shot("plan-fact-grid", "metodist", "/monitoring/{programme}/grid/",
             "Таблица план/факт программы мониторинга (ввод значений)"),
        Shot("monitoring-dashboard", "metodist", "/monitoring/{programme}/dashboard/",
             "Дашборд программы мониторинга: выполнение показателей по периодам", wait_for="svg, canvas"),
        Shot("report-signed", "direktor", "/reports/{report}/",
             "Страница подписанной справки: статус, файлы, история"),
    ]


# ----------------------------------------------------------------------------------------------- the database

def portal_env(work: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND")}
    env.update(
        DEBUG="true",
        DATABASE_URL=f"sqlite:///{work / 'db.sqlite3'}",
        MEDIA_ROOT=str(work / "media"),
        EMAIL_URL="consolemail://",
        DJANGO_SETTINGS_MODULE="imc_portal.settings",
        PYTHONUNBUFFERED="1",
    )
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def inputs_hash(src: Path) -> str:
    digest = hashlib.sha256()
    for pattern in DB_INPUTS:
        for path in sorted(src.glob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts and ".venv" not in path.parts:
                digest.update(str(path.relative_to(src)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def manage(src: Path, env: dict[str, str], *args: str, log: Path) -> None:
    with log.open("a", encoding="utf-8") as out:
        result = subprocess.run([sys.executable, "manage.py", *args], cwd=src, env=env, stdout=out,
                                stderr=subprocess.STDOUT)
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed (exit {result.returncode}); see {log}")


def prepare_database(src: Path, work: Path, env: dict[str, str], fresh: bool) -> None:
    work.mkdir(parents=True, exist_ok=True)
    stamp, db = work / "inputs.sha256", work / "db.sqlite3"
    wanted = inputs_hash(src)
    if fresh or not db.exists() or not stamp.exists() or stamp.read_text().strip() != wanted:
        print("demo database: building from scratch (about a minute)…", flush=True)
        for stale in (db, work / "db.sqlite3-wal", work / "db.sqlite3-shm", stamp):
            stale.unlink(missing_ok=True)
        subprocess.run(["rm", "-rf", str(work / "media")], check=True)
    else:
        # Built from exactly these migrations and this demo loader: nothing to add.
        print("demo database: up to date", flush=True)
        return
    log = work / "manage.log"
    log.write_text("")
    manage(src, env, "migrate", "--noinput", log=log)
    manage(src, env, "load_demo", log=log)
    stamp.write_text(wanted + "\n")


def resolve_targets(src: Path, env: dict[str, str]) -> tuple[str, dict[str, str], dict[str, int], list[str]]:
    """Ask the demo database (in a subprocess, with the portal's environment) for the logins and objects to show."""
    code = r"""
import json, django
django.setup()
from django.db.models import Count
from imc_portal.models import User
from monitoring.models import Programme
from reports.models import Report
from demo.users import DEFAULT_PASSWORD, DEMO_USERS
demo = [spec.username for spec in DEMO_USERS]
roles = {}
for user in User.objects.filter(username__in=demo, is_active=True):
    roles.setdefault(user.role, user.username)  # DEMO_USERS lists the Frunzensky accounts first
roles = {role: roles[role] for role in sorted(roles, key=lambda r: demo.index(roles[r]))}
methodist = User.objects.get(username="metodist")
made = []
try:  # the city level: a demo login of that role if the demo has one, else one made here (this database only)
    from core.roles import Role
    if "city" in Role.values and "city" not in roles:
        user, _ = User.objects.get_or_create(username="gorod", defaults=dict(
            role="city", region=methodist.district.region, last_name="Белова", first_name="Ольга",
            patronymic="Игоревна", position="Главный специалист комитета по образованию"))
        user.set_password(DEFAULT_PASSWORD)
        user.save()
        roles["city"] = user.username
        made.append(user.username)
except Exception as exc:  # the role is not finished yet: no city picture
    print("no city login:", exc)
programme = (Programme.objects.filter(district=methodist.district).annotate(n=Count("indicators"))
             .order_by("-n", "pk").first())
report = (Report.objects.filter(district=methodist.district, status="signed").order_by("-pk").first()
          or Report.objects.filter(district=methodist.district).order_by("-pk").first())
print(json.dumps({"password": DEFAULT_PASSWORD, "roles": roles, "made": made, "objects": {"programme": programme and programme.pk,
                                               "report": report and report.pk}}))
"""
    result = subprocess.run([sys.executable, "-c", code], cwd=src, env=env, capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"could not read the demo database:\n{result.stderr}")
    lines = result.stdout.strip().splitlines()
    for line in lines[:-1]:
        print(" ", line, flush=True)
    data = json.loads(lines[-1])
    for username in data["made"]:
        print(f"  {username}: a login made in the screenshots' database (the demo has none of its role)", flush=True)
    objects = {key: value for key, value in data["objects"].items() if value}
    return data["password"], data["roles"], objects, data["made"]


def export_tree(ref: str, work: Path) -> Path:
    """The files of a commit under work/src (git archive: the repository itself is not touched)."""
    src = work / "src"
    subprocess.run(["rm", "-rf", str(src)], check=True)
    src.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", "--format=tar", ref], cwd=ROOT, capture_output=True)
    if archive.returncode:
        sys.exit(f"git archive {ref} failed: {archive.stderr.decode(errors='replace')}")
    subprocess.run(["tar", "-x", "-C", str(src)], input=archive.stdout, check=True)
    print(f"running {ref} ({subprocess.check_output(['git', 'rev-parse', '--short', ref], cwd=ROOT, text=True).strip()})"
          f" from {src}", flush=True)
    return src


# ----------------------------------------------------------------------------------------------- the portal

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_portal(src: Path, env: dict[str, str], work: Path):
    port = free_port()
    log = (work / "runserver.log").open("w", encoding="utf-8")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"],
        cwd=src, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                sys.exit(f"the portal did not start; see {work / 'runserver.log'}")
            try:
                with urllib.request.urlopen(f"{base}/healthz/", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    sys.exit(f"the portal did not answer in 60 s; see {work / 'runserver.log'}")
                time.sleep(0.3)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


# ----------------------------------------------------------------------------------------------- the browser

def save_png(raw: bytes, target: Path) -> int:
    from PIL import Image

    with Image.open(io.BytesIO(raw)) as image:
        small = image.convert("RGB").quantize(colors=PNG_COLOURS, method=Image.Quantize.MEDIANCUT,
                                              dither=Image.Dither.NONE)
        small.save(target, format="PNG", optimize=True)
    return target.stat().st_size


def capture(page, shot: Shot, width: int, target: Path) -> int:
    page.set_viewport_size({"width": width, "height": VIEWPORT_HEIGHT[width]})
    page.wait_for_load_state("networkidle")
    if shot.wait_for:
        with contextlib.suppress(Exception):
            page.locator(shot.wait_for).first.wait_for(timeout=5_000)
    height = page.evaluate("Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)")
    height = max(VIEWPORT_HEIGHT[width], min(int(height), shot.max_height[width]))
    raw = page.screenshot(full_page=True, clip={"x": 0, "y": 0, "width": width, "height": height},
                          animations="disabled", caret="hide")
    return save_png(raw, target)


def take_shots(base: str, shots: list[Shot], objects: dict[str, int], password: str, out: Path) -> list[tuple]:
    from playwright.sync_api import sync_playwright

    made = []
    by_user: dict[str, list[Shot]] = {}
    for shot in shots:
        by_user.setdefault(shot.username, []).append(shot)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            for username, own in by_user.items():
                context = browser.new_context(base_url=base, locale="ru-RU", timezone_id="Europe/Moscow",
                                              viewport={"width": WIDE, "height": VIEWPORT_HEIGHT[WIDE]})
                context.set_default_timeout(30_000)
                page = context.new_page()
                login(page, username, password)
                for shot in own:
                    try:
                        path = shot.path.format(**objects)
                    except KeyError as missing:
                        print(f"  skipped {shot.name}: no {missing} in the demo", flush=True)
                        continue
                    response = page.goto(path)
                    if response is not None and response.status >= 400:
                        print(f"  WARNING {shot.name}: {path} answered {response.status}", flush=True)
                    for width in shot.widths:
                        target = out / f"{shot.name}-{width}.png"
                        size = capture(page, shot, width, target)
                        made.append((target.name, shot, width, page.url.removeprefix(base), size))
                        print(f"  {target.name:36} {size // 1024:5} KB  {page.url.removeprefix(base)}", flush=True)
                context.close()
        finally:
            browser.close()
    return made


def login(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.locator("form button[type=submit], form input[type=submit]").first.click()
    if "/accounts/login/" in page.url:
        sys.exit(f"login as {username!r} failed (password changed in {DEFAULT_WORK}? run with --fresh)")


# ----------------------------------------------------------------------------------------------- the index

def write_index(out: Path, made: list[tuple], made_logins: list[str] = ()) -> None:
    lines = [
        "# Как выглядит портал",
        "",
        "Снимки экрана на демо-данных (`make demo`), по одному входу на роль. Сделаны скриптом",
        "`scripts/screens.py` (`make screens`): он поднимает портал на отдельной демо-базе, входит через",
        "настоящую форму входа в Chromium и сохраняет страницы при ширине 1366 px, главные страницы — ещё и",
        "при 390 px (телефон). Длинные страницы обрезаны по высоте. Запустите `make screens` снова, чтобы",
        "обновить снимки.",
        "",
        "| Снимок | Вход | Что на нём |",
        "|---|---|---|",
    ]
    for filename, shot, width, _url, _size in made:
        mark = "*" if shot.username in made_logins else ""
        lines.append(f"| [{filename}]({filename}) | `{shot.username}`{mark} | {shot.title}, {width} px |")
    if made_logins:
        lines += ["", "\\* В демо-данных нет входа с этой ролью; скрипт создал его только в своей демо-базе."]
    (out / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh", action="store_true", help="rebuild the demo database from scratch")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="the demo database and logs")
    parser.add_argument("--ref", default=None,
                        help="run a committed version (e.g. HEAD) exported under --work instead of the working tree "
                             "(others' unfinished edits then cannot break the run)")
    parser.add_argument("--only", nargs="*", default=None, help="file stems to make (e.g. home-methodist)")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} not found: apt-get install -y chromium (or set CHROMIUM_PATH)")
    started = time.monotonic()
    env = portal_env(args.work)
    src = export_tree(args.ref, args.work) if args.ref else ROOT
    prepare_database(src, args.work, env, args.fresh)
    password, roles, objects, made_logins = resolve_targets(src, env)
    shots = home_shots(roles) + page_shots()
    if args.only:
        shots = [shot for shot in shots if shot.name in args.only]
    args.out.mkdir(parents=True, exist_ok=True)
    with running_portal(src, env, args.work) as base:
        made = take_shots(base, shots, objects, password, args.out)
    order = {shot.name: index for index, shot in enumerate(shots)}
    made.sort(key=lambda row: (order[row[1].name], -row[2]))
    if not args.only:
        keep = {filename for filename, *_ in made}
        for stale in args.out.glob("*.png"):
            if stale.name not in keep:
                stale.unlink()
        write_index(args.out, made, made_logins)
    total = sum(path.stat().st_size for path in args.out.glob("*.png"))
    print(f"{len(made)} screenshots in {args.out} ({total / 1024 / 1024:.2f} MB) in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
