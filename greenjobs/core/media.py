"""Serve uploaded media with its real type and ``nosniff``: photos and PDFs open in the browser, the rest downloads.

Only in development (``SERVE_MEDIA``, which defaults to ``DEBUG``): in production nginx serves
``/media/`` with the same headers (``deploy/nginx/greenjobs.conf``) and Django answers 404.
"""

import mimetypes

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404
from django.views.static import serve

# Types a browser shows by itself; anything else (HTML, SVG, ...) could run as a page of the site, so it downloads.
INLINE_TYPES = {"image/jpeg", "image/png", "image/webp", "application/pdf"}


def media_serve(request, path, document_root=None):
    if not settings.SERVE_MEDIA:
        raise Http404("Media files are served by the web server.")
    document_root = document_root or settings.MEDIA_ROOT
    try:
        response = serve(request, path, document_root=document_root)
    except SuspiciousFileOperation as error:
        raise Http404 from error
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    filename = path.rsplit("/", 1)[-1]
    if content_type not in INLINE_TYPES:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    elif content_type == "application/pdf":  # opens in the browser's viewer; saving it keeps its name
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def stored_size(file, default=None):
    """The size of a stored file in bytes, ``default`` when there is no file or the storage cannot say."""
    if not file:
        return default
    try:
        return file.size
    except (OSError, ValueError):
        return default
