import pytest
from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core.cache import cache
from django.test import override_settings

from greenjobs.core.webmaster import webmaster_ensure


@pytest.fixture(autouse=True)
def media_root(tmp_path):
    """Each test gets its own empty MEDIA_ROOT, so 'no file left on disk' can be checked by listing it."""
    root = tmp_path / "media"
    root.mkdir()
    with override_settings(MEDIA_ROOT=str(root)):
        yield root


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: derived documents are keyed by a content version
    that test transactions never bump (its on_commit hook does not run), and that starts again
    from the same number in every test database. The footer's about links are kept in the process
    by that version too, and so are a few derived values (greenjobs.core.derived)."""
    from django.utils import translation

    from greenjobs.core.derived import forget_in_process
    from greenjobs.core.taxonomy import _kept_names
    from greenjobs.templatetags.seo_tags import _kept_about_links

    # A request to /fr/ or /es/ leaves its language active in the thread: each test starts in English.
    translation.activate(settings.LANGUAGE_CODE)
    cache.clear()
    forget_in_process()
    _kept_about_links.clear()
    _kept_names.clear()
    yield
    cache.clear()
    forget_in_process()
    _kept_about_links.clear()
    _kept_names.clear()


@pytest.fixture
def webmaster(db):
    """The real webmaster account, as `make run` creates it."""
    user, _ = webmaster_ensure(password="webmaster-pass-123")
    return user


@pytest.fixture
def webmaster_client(client, webmaster):
    client.force_login(webmaster)
    return client


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@greenjobs.example", "root-pass-123")


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def about_pages(db):
    from greenjobs import demo

    demo.load()
    return FlatPage.objects.all()


@pytest.fixture
def site(db):
    return Site.objects.get_current()


# Real services for the tests that start servers or need what several servers share (tests/services.py).
from tests.services import collected_static, key_prefix, redis_url, shared_cache  # noqa: E402, F401
