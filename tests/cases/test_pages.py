"""Pages around the stories: a contributor's status page, the home slot, and what every page shares."""

import pytest
from django.utils import timezone

from .conftest import html_of
from .factories import CaseStoryFactory

pytestmark = pytest.mark.django_db


# --- Status page -----------------------------------------------------------------


def test_status_page_shows_pending_published_and_rejected(client):
    pending = CaseStoryFactory(pending=True)
    published = CaseStoryFactory()
    rejected = CaseStoryFactory(rejected=True, decision_reason="Please add <b>figures</b>.")

    assert "Pending review" in html_of(client.get(f"/cases/status/{pending.status_token}/"))
    html = html_of(client.get(f"/cases/status/{published.status_token}/"))
    assert "Published" in html and f'href="/cases/{published.slug}/"' in html
    html = html_of(client.get(f"/cases/status/{rejected.status_token}/"))
    assert "Not accepted" in html and "Please add &lt;b&gt;figures&lt;/b&gt;." in html
    assert 'content="noindex, nofollow"' in html


@pytest.mark.parametrize("token", ["wrong", "x" * 43, "a" * 500])
def test_wrong_status_token_is_404(client, token):
    story = CaseStoryFactory(pending=True)
    assert client.get(f"/cases/status/{token}/").status_code == 404
    assert client.get(f"/cases/status/{story.status_token[:-1]}/").status_code == 404


def test_submit_and_status_routes_are_not_swallowed_by_the_slug_route(client):
    assert client.get("/cases/submit/").context["form"] is not None
    assert "Thank you" in html_of(client.get("/cases/submit/thanks/"))


# --- Home slot -------------------------------------------------------------------


def test_home_shows_the_three_latest_published_stories(client, django_assert_max_num_queries):
    now = timezone.now()
    for n in range(5):
        CaseStoryFactory(title=f"Home story {n}", published_at=now - timezone.timedelta(days=n))
    CaseStoryFactory(title="Home pending", pending=True)

    html = html_of(client.get("/"))

    assert 'aria-labelledby="latest-cases-title"' in html
    assert all(f"Home story {n}" in html for n in range(3))
    assert "Home story 3" not in html and "Home pending" not in html


def test_home_slot_renders_nothing_without_stories(client):
    CaseStoryFactory(pending=True)
    assert "latest-cases-title" not in html_of(client.get("/"))


# --- What every page shares ----------------------------------------------------


def main_menu(html: str) -> str:
    return html[html.index('<nav class="main-nav"') : html.index("</nav>", html.index('<nav class="main-nav"'))]


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/", 'href="/"'),
        ("/cases/", 'href="/cases/"'),
        ("/cases/story-number-1/", 'href="/cases/"'),
        ("/cases/?page=2", 'href="/cases/"'),
        ("/cases/submit/", 'href="/cases/submit/"'),
        ("/themes/", None),
        ("/search/?q=solar", None),
    ],
)
def test_main_menu_marks_the_current_section_on_every_page(client, path, current):
    CaseStoryFactory(slug="story-number-1")
    for other in ("/", "/cases/submit/", "/events/", "/themes/"):  # each section's header is kept once rendered
        client.get(other)

    menu = main_menu(html_of(client.get(path)))

    if current is None:
        assert "aria-current" not in menu
    else:
        assert menu.count('aria-current="page"') == 1
        assert f'{current} aria-current="page"' in menu or f'{current}" aria-current="page"' in menu


def test_site_search_box_keeps_only_the_search_pages_words_escaped(client):
    html = html_of(client.get("/search/", {"q": '"><script>x</script>'}))
    assert 'name="q" value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"' in html

    html = html_of(client.get("/cases/", {"q": "solar"}))
    assert 'id="site-search-q" name="q" value=""' in html


def test_fixed_markup_is_rendered_once_per_language():
    from django.template import engines
    from django.utils import translation

    page = engines["django"].from_string("{% load seo_tags %}{% once %}{{ value }}{% endonce %}|{{ value }}")

    assert page.render({"value": "first"}) == "first|first"
    assert page.render({"value": "second"}) == "first|second"
    with translation.override("fr"):
        assert page.render({"value": "third"}) == "third|third"
