from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


def media_files(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in Path(root).rglob("*") if p.is_file())


@pytest.fixture
def site_domain(db):
    from django.contrib.sites.models import Site

    Site.objects.update_or_create(id=settings.SITE_ID, defaults={"domain": "greenjobs.example", "name": "Green Jobs"})
    Site.objects.clear_cache()
    return "greenjobs.example"
