"""How many stories may be sent: floods stop, while a workshop room behind one address loses nothing.

Every POST to the story form counts, per client address (``STORY_LIMIT_PER_ADDRESS`` an hour,
generous: a training room shares one address) and per contributor email, case-insensitive
(``STORY_LIMIT_PER_EMAIL`` an hour). Counting is django-ratelimit's atomic add/incr on the
shared cache, so parallel posts cannot slip through between a check and a count.
django-ratelimit's windows are fixed and may end a minute after they were hit, so going over
also records a block key that lasts a full hour from that moment.

If the cache (Redis) is down, posts are let through and a warning is logged: losing a
contributor's story is worse than a spam wave the webmaster can reject
(``RATELIMIT_FAIL_OPEN``).
"""

import hashlib
import ipaddress
import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from django_ratelimit.core import get_usage

from greenjobs.core.clientip import client_ip

log = logging.getLogger(__name__)

WINDOW = 60 * 60


def address_key(request) -> str:
    """The client's address; an IPv6 client is its /64, as one household or phone holds a whole /64."""
    address = client_ip(request) or "unknown"
    if ":" in address:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return address


def email_key(request) -> str:
    return request.POST.get("contributor_email", "").strip().lower()[:400]


def _limits(request) -> list[tuple[str, str, int]]:
    limits = [("address", address_key(request), settings.STORY_LIMIT_PER_ADDRESS)]
    if email := email_key(request):
        limits.append(("email", email, settings.STORY_LIMIT_PER_EMAIL))
    return limits


def _block_key(kind: str, value: str) -> str:
    return f"cases:submit:blocked:{kind}:{hashlib.sha256(value.encode()).hexdigest()}"


def story_post_wait(request) -> int:
    """Count this story POST; return 0 to go ahead, or the seconds to wait before trying again."""
    now = time.time()
    limits = _limits(request)
    blocks = cache.get_many([_block_key(kind, value) for kind, value, _ in limits])
    until = max(blocks.values(), default=0)
    if until > now:
        return max(1, math.ceil(until - now))
    wait = 0
    for kind, value, limit in limits:
        usage = get_usage(
            request,
            group=f"cases:submit:{kind}",
            key=lambda group, request, value=value: value,
            rate=(limit, WINDOW),
            method="POST",
            increment=True,
        )
        if usage is None:
            if getattr(settings, "RATELIMIT_ENABLE", True):
                log.warning("Story limit not counted (cache unavailable?): letting the post through")
            continue
        if usage["should_limit"]:
            key = _block_key(kind, value)
            cache.add(key, now + WINDOW, WINDOW)
            until = cache.get(key) or now + WINDOW
            wait = max(wait, math.ceil(until - now))
    return wait
