"""The client's address, as rate limits and django-axes must see it behind a reverse proxy.

With ``TRUSTED_PROXIES = 0`` (the default) it is the socket's address, ``REMOTE_ADDR``, and
``X-Forwarded-For`` is ignored: anyone can send that header. With N trusted proxies in front
of the app, each appends the address it saw to ``X-Forwarded-For``, so the N-th entry from the
right is the one the outermost trusted proxy saw; whatever stands further left came from the
client and is ignored. A missing or malformed header falls back to ``REMOTE_ADDR``.
"""

import ipaddress

from django.conf import settings


def _address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The client's IP address, normalised (``""`` if even the socket gives none)."""
    remote = _address(request.META.get("REMOTE_ADDR") or "") or ""
    trusted = int(getattr(settings, "TRUSTED_PROXIES", 0) or 0)
    if trusted <= 0:
        return remote
    hops = (request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",")
    if len(hops) < trusted:
        return remote
    return _address(hops[-trusted]) or remote
