"""`celery` with the PDF renderer slowed down, so a fault test can kill the worker mid-render.

Run as `python tests/faults/slow_worker.py -A imc_portal worker …` (the same arguments as the
`celery` command). FAULTS_RENDER_DELAY seconds of sleep go before every reports.rendering
.render_report_pdf call; the patch is made in the parent process before Celery forks its pool,
so the prefork children render slowly too. Test-only: the product code has no such hook.
"""
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imc_portal.settings")


def _slow_down_rendering(delay: float) -> None:
    import django

    django.setup()
    from reports import rendering

    real = rendering.render_report_pdf

    def render_report_pdf(report, *, final):
        time.sleep(delay)
        return real(report, final=final)

    rendering.render_report_pdf = render_report_pdf


if __name__ == "__main__":
    delay = float(os.environ.get("FAULTS_RENDER_DELAY") or 0)
    if delay:
        _slow_down_rendering(delay)
    from celery.__main__ import main

    sys.argv = ["celery", *sys.argv[1:]]
    sys.exit(main())
