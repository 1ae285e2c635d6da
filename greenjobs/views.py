from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@require_safe
def home(request):
    return render(request, "home.html")


@never_cache
@require_safe
def healthz(request):
    """Liveness for load balancers: 200 ``ok`` when the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without a RequestContext: the failing request may be what broke.
    return HttpResponse(loader.get_template("500.html").render(), status=500)


@require_safe
def ping(request):
    """The benchmark baseline: same server and middleware, a fixed small response, no database."""
    return HttpResponse("pong", content_type="text/plain")
