"""No admin link leads the webmaster to a 403 (or a 500): every admin page the index leads to is followed."""

import re
from collections import Counter, deque
from html import unescape
from urllib.parse import urlsplit

import pytest

from cases.models import CaseStory
from tests.quality.pages import load_demo

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a\s[^>]*href="([^"]+)"')
SKIPPED = ("/admin/logout/", "/admin/jsi18n/")
MAX_PAGES = 300
PER_PATTERN = 2  # /admin/events/event/<id>/change/: two objects of each model are enough


def admin_links(html: str) -> list[str]:
    found = []
    for href in LINK.findall(html):
        parts = urlsplit(unescape(href))
        if parts.netloc or not parts.path.startswith("/admin/") or parts.path.startswith(SKIPPED):
            continue
        found.append(parts.path)
    return found


def crawl(client, start: str = "/admin/") -> dict[str, tuple[int, str]]:
    """The admin pages reachable by links from ``start`` (each path once, two objects per model): the status
    of each and the page that linked to it."""
    seen = {start: (0, "")}
    patterns = Counter()
    queue = deque([(start, "")])
    while queue and len(seen) <= MAX_PAGES:
        path, came_from = queue.popleft()
        response = client.get(path, follow=True)
        seen[path] = (response.status_code, came_from)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            for link in admin_links(response.content.decode()):
                pattern = re.sub(r"/\d+/", "/N/", link)
                if link not in seen and patterns[pattern] < PER_PATTERN:
                    patterns[pattern] += 1
                    seen[link] = (0, path)
                    queue.append((link, path))
    return seen


def test_no_admin_link_leads_the_webmaster_to_a_403_or_a_500(webmaster_client, webmaster):
    load_demo()
    # A story someone moderated: its page names the moderator (a user page the webmaster may not open).
    CaseStory.objects.filter(pk__in=CaseStory.objects.published().order_by("pk").values("pk")[:2]).update(
        moderated_by=webmaster
    )

    pages = crawl(webmaster_client)

    visited = {path: status for path, (status, _from) in pages.items() if status}
    assert len(visited) > 40, "the crawl reached changelists, add and change pages"
    for expected in ("/admin/greenjobs/theme/", "/admin/events/event/add/", "/admin/flatpages/flatpage/"):
        assert visited.get(expected) == 200, expected
    for model in ("cases/casestory", "events/event", "courses/course", "flatpages/flatpage", "greenjobs/theme"):
        assert any(re.fullmatch(rf"/admin/{model}/\d+/change/", path) for path in visited), model
    bad = {path: f"{status} (linked from {came_from})" for path, (status, came_from) in pages.items()
           if status in (403, 404, 500)}  # fmt: skip
    assert not bad, bad
