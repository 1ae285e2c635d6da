import datetime as dt

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.http import QueryDict
from django.urls import reverse
from taggit.models import Tag

from greenjobs.discovery.theme_services import theme_save, themes_merge
from greenjobs.models import ThemeAlias
from tests.search.factories import CourseFactory, EventFactory, case

pytestmark = pytest.mark.django_db

THEME = "Renewable energy"


@pytest.fixture
def theme(db):
    return Tag.objects.create(name=THEME)


def test_theme_list_counts_published_items_only(client, theme):
    case(themes=[THEME])
    case(themes=[THEME, "Policy"])
    case(pending=True, themes=[THEME])
    EventFactory().themes.add(THEME)
    EventFactory(draft=True).themes.add(THEME)
    CourseFactory(themes=[THEME])
    CourseFactory(is_published=False, themes=[THEME])
    Tag.objects.create(name="Unused theme")

    response = client.get(reverse("themes:list"))

    counts = {tag.name: tag.item_count for tag in response.context["themes"]}
    assert counts == {THEME: 4, "Policy": 1, "Unused theme": 0}
    html = response.content.decode()
    assert 'href="/themes/renewable-energy/"' in html
    assert "4 items" in html and "1 item" in html


@time_machine.travel(dt.datetime(2030, 6, 1, 12, tzinfo=dt.UTC), tick=False)
def test_theme_page_lists_published_cases_events_upcoming_first_and_courses(client, theme):
    case(title="Wind turbine technicians", themes=[THEME])
    case(title="Secret draft", pending=True, themes=[THEME])
    case(title="Other theme story", themes=["Policy"])
    EventFactory(title="Past wind meeting", start_date=dt.date(2029, 1, 5)).themes.add(THEME)
    EventFactory(title="Later wind meeting", start_date=dt.date(2030, 9, 1)).themes.add(THEME)
    EventFactory(title="Soon wind meeting", start_date=dt.date(2030, 7, 1)).themes.add(THEME)
    EventFactory(title="Draft wind meeting", start_date=dt.date(2030, 7, 2), draft=True).themes.add(THEME)
    CourseFactory(title="Wind course", themes=[THEME])
    CourseFactory(title="Hidden course", is_published=False, themes=[THEME])

    response = client.get(reverse("themes:detail", kwargs={"slug": theme.slug}))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Renewable energy</h1>" in html
    assert "Wind turbine technicians" in html and "Wind course" in html
    for hidden in ["Secret draft", "Other theme story", "Draft wind meeting", "Hidden course"]:
        assert hidden not in html
    assert html.index("Soon wind meeting") < html.index("Later wind meeting") < html.index("Past wind meeting")
    assert html.index("Coming up") < html.index("Past events")


def test_theme_page_query_count_does_not_grow(client, theme, django_assert_max_num_queries):
    for _n in range(15):
        case(themes=[THEME, "Policy", "Skills for green jobs"])
        EventFactory().themes.add(THEME)
        CourseFactory(themes=[THEME])
    ContentType.objects.clear_cache()  # as in a fresh server process
    with django_assert_max_num_queries(8):
        response = client.get(reverse("themes:detail", kwargs={"slug": theme.slug}))
    assert len(response.context["cases"]) == 12
    assert response.context["more_cases"]
    assert f'href="/cases/?theme={theme.slug}"' in response.content.decode()


def test_theme_list_query_count(client, theme, django_assert_max_num_queries):
    for n in range(10):
        Tag.objects.create(name=f"Theme {n}")
        case(themes=[f"Theme {n}"])
    with django_assert_max_num_queries(3):
        client.get(reverse("themes:list"))


def test_an_empty_theme_says_so(client, theme):
    response = client.get(reverse("themes:detail", kwargs={"slug": theme.slug}))
    assert "Nothing is published on this theme yet." in response.content.decode()


def test_unknown_theme_is_404(client):
    assert client.get("/themes/no-such-theme/").status_code == 404
    assert client.get("/themes/no-such-theme/feed/").status_code == 404
    assert client.get("/themes/no-such-theme/feed/atom/").status_code == 404


def test_theme_page_links_its_feeds_in_the_head(client, theme):
    html = client.get(reverse("themes:detail", kwargs={"slug": theme.slug})).content.decode()
    head = html.split("</head>", maxsplit=1)[0]
    rss = f'type="application/rss+xml" title="Renewable energy: RSS feed" href="/themes/{theme.slug}/feed/"'
    atom = f'type="application/atom+xml" title="Renewable energy: Atom feed" href="/themes/{theme.slug}/feed/atom/"'
    assert f'<link rel="alternate" {rss}>' in head
    assert f'<link rel="alternate" {atom}>' in head


# --- Old addresses of merged and renamed themes -------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/themes/sun-power/", "/themes/renewable-energy/"),
        ("/themes/sun-power/feed/", "/themes/renewable-energy/feed/"),
        ("/themes/sun-power/feed/atom/", "/themes/renewable-energy/feed/atom/"),
    ],
)
def test_a_merged_themes_pages_and_feeds_answer_301_to_the_kept_one(client, theme, old, new):
    merged = Tag.objects.create(name="Sun power")
    case(title="Sunny story", themes=["Sun power"])
    themes_merge(keep=theme, merged=[merged])

    response = client.get(old)

    assert response.status_code == 301
    assert response["Location"] == new
    assert "Sunny story" in client.get(new).content.decode()


def test_a_renamed_themes_old_address_answers_301_for_ever(client, theme):
    theme_save(name="Clean energy", theme=theme)
    theme_save(name="Clean power", theme=theme)

    for old in ("/themes/renewable-energy/", "/themes/clean-energy/"):
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, "/themes/clean-power/")
    assert client.get("/themes/clean-power/").status_code == 200


def test_an_alias_never_shadows_a_live_theme(client, theme):
    Tag.objects.create(name="Policy")
    ThemeAlias.objects.create(slug="policy", theme=theme)
    assert client.get("/themes/policy/").status_code == 200
    assert client.get("/themes/policy/feed/").status_code == 200


def test_an_unknown_theme_is_still_404(client):
    assert client.get("/themes/never-was/").status_code == 404
    assert client.get("/themes/never-was/feed/").status_code == 404


def test_an_old_slug_in_a_list_filter_becomes_the_kept_one(theme):
    merged = Tag.objects.create(name="Sun power")
    themes_merge(keep=theme, merged=[merged])
    assert ThemeAlias.objects.moved_query(QueryDict("theme=sun-power&page=2")) == "theme=renewable-energy&page=2"
    assert ThemeAlias.objects.moved_query(QueryDict("theme=unknown")) is None
    assert ThemeAlias.objects.moved_query(QueryDict("country=PE")) is None


@pytest.mark.parametrize("path", ["/cases/", "/events/", "/courses/"])
def test_every_list_filtered_by_an_old_theme_answers_301_to_the_kept_one(client, theme, path):
    merged = Tag.objects.create(name="Sun power")
    themes_merge(keep=theme, merged=[merged])

    response = client.get(f"{path}?theme=sun-power&page=2")
    assert response.status_code == 301
    assert response["Location"] == f"{path}?theme=renewable-energy&page=2"
    assert client.get(f"{path}?theme=renewable-energy").status_code == 200
    assert client.get(f"{path}?theme=never-was").status_code in {200, 404}  # an unknown theme is not moved
