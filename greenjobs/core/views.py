"""Views that know no content: health, the benchmark baseline, and the error pages."""

import sys

from django.conf import settings
from django.db import Error, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from greenjobs.core import dbguard


@never_cache
@require_safe
def healthz(request):
    """Liveness for load balancers: 200 ``ok`` when the database answers, 503 within seconds when not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Error as exc:
        response = HttpResponse("database unavailable", status=503, content_type="text/plain")
        response["Retry-After"] = str(dbguard.RETRY_AFTER_SECONDS)
        return dbguard.report(request, exc, response)
    return HttpResponse("ok", content_type="text/plain")


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    """The 500 page, or the 503 page when the database is away (errors raised before any view ran).

    Rendered without a RequestContext: the failing request may be what broke.
    """
    exc = sys.exc_info()[1]
    if dbguard.is_unavailable(exc):
        return dbguard.unavailable_response(request, exc)
    page = loader.get_template("500.html").render({"reported": bool(settings.ADMINS)})
    return HttpResponse(page, status=500)


@require_safe
def ping(request):
    """The benchmark baseline: same server and middleware, a fixed small response, no database."""
    return HttpResponse("pong", content_type="text/plain")
