"""Project middleware: response headers that Django has no setting for; 503 when the database is away."""

from django.conf import settings
from django.utils import translation

from greenjobs.core import dbguard

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"


class PermissionsPolicyMiddleware:
    """Turn off powerful browser features that no page of the portal needs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class DatabaseUnavailableMiddleware:
    """A view that fails because the database is away or frozen answers 503 with Retry-After, not 500.

    Errors raised before the view (by other middleware) reach ``greenjobs.core.views.server_error``,
    which answers the same way.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if dbguard.is_unavailable(exception):
            return dbguard.unavailable_response(request, exception)
        return None


class LanguageFromAddressMiddleware:
    """The language is the address's (English unprefixed, /fr/, /es/:
    ``i18n_patterns(prefix_default_language=False)``); nothing reads Accept-Language or a cookie, so
    responses do not vary on them, and every page stays shareable by the page cache, proxies and CDNs.

    What Django's LocaleMiddleware does for such addresses, without working out from the request's
    headers a language it then sets aside, or adding ``Vary: Accept-Language`` to be taken out again.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        translation.activate(translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class DrainRequestBodyMiddleware:
    """Read to its end the body of a request answered without reading it (a CSRF refusal, a 404, a form
    refused before its upload was parsed), so the app server never closes a connection with unread data.

    Closing with bytes unread makes the kernel reset the connection, and nginx, still sending them, may
    then answer 502 instead of the page Django wrote. nginx caps bodies at 12 MB, so this reads at most
    that, and only for answers given without reading.
    """

    CHUNK = 64 * 1024

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        stream = getattr(request, "_stream", None)
        if stream is not None and request.META.get("CONTENT_LENGTH") not in (None, "", "0"):
            try:
                while stream.read(self.CHUNK):
                    pass
            except OSError:
                pass  # the client went away: nothing left to protect
        return response
