"""The portal's own Russian 404 and 500 pages in the embedded default (DEBUG on) as well.

With DEBUG on, Django answers an unknown address or Http404 with its English technical page and an
exception with the traceback page; a user trying `make run` should see what the server shows. This
middleware hands both to the project's handler404/handler500 (whatever ROOT_URLCONF names, so core
imports no higher layer) unless the developer asks for the technical pages with TECHNICAL_ERROR_PAGES=true.
The traceback still goes to the console through the «django.request» logger. With DEBUG off it does
nothing: Django calls the same handlers itself. 403 needs nothing: Django uses handler403 in DEBUG too.
"""
from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.urls import Resolver404, get_resolver

logger = logging.getLogger("django.request")


class RussianErrorPagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def _active() -> bool:
        return settings.DEBUG and not getattr(settings, "TECHNICAL_ERROR_PAGES", False)

    @staticmethod
    def _handler(request, status: int):
        return get_resolver(getattr(request, "urlconf", None)).resolve_error_handler(status)

    def __call__(self, request):
        if self._active():
            # An address no URL pattern matches never reaches a view (nor process_exception): answer it
            # here, as Django does with DEBUG off. CommonMiddleware, earlier in the chain, has already
            # redirected «/path» to «/path/» where that one exists.
            try:
                get_resolver(getattr(request, "urlconf", None)).resolve(request.path_info)
            except Resolver404 as exception:
                return self._handler(request, 404)(request, exception)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not self._active():
            return None
        if isinstance(exception, Http404):
            return self._handler(request, 404)(request, exception)
        if isinstance(exception, (PermissionDenied, SuspiciousOperation, BadRequest)):
            return None  # Django answers these with handler403/handler400 whatever DEBUG says
        logger.error("Internal Server Error: %s", request.path, exc_info=exception,
                     extra={"status_code": 500, "request": request})
        return self._handler(request, 500)(request)
