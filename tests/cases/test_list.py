"""The list of case stories: filters, counts, pages, cards and their query budget."""

import itertools
import random

import pytest
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from cases.models import CaseStory, Status

from .conftest import html_of
from .factories import CaseStoryFactory

pytestmark = pytest.mark.django_db


def test_list_shows_published_stories_only_newest_first(client):
    now = timezone.now()
    old = CaseStoryFactory(title="Old story", published_at=now - timezone.timedelta(days=5))
    new = CaseStoryFactory(title="New story", published_at=now)
    CaseStoryFactory(title="Waiting story", pending=True)
    CaseStoryFactory(title="Refused story", rejected=True)

    response = client.get("/cases/")

    assert response.status_code == 200
    html = html_of(response)
    assert html.index(new.title) < html.index(old.title)
    assert "Waiting story" not in html and "Refused story" not in html


def test_cards_show_thumbnail_title_country_flag_themes_and_summary(client):
    theme = Tag.objects.create(name="Renewable energy")
    story = CaseStoryFactory(country="FJ", themes=[theme], summary="Solar for island schools.")

    html = html_of(client.get("/cases/"))

    assert f'src="/media/{story.photo_renditions[0]["name"]}"' in html
    assert 'alt="Two workers install a solar panel"' in html
    assert f'<a href="/cases/{story.slug}/">{story.title}</a>' in html
    assert 'src="/static/flags/fj.gif"' in html and "Fiji" in html
    assert 'href="/cases/?theme=renewable-energy">Renewable energy</a>' in html
    assert "Solar for island schools." in html
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]


def test_list_pages_by_12_and_pagination_keeps_the_filters(client):
    for n in range(14):
        CaseStoryFactory(country="IN", title=f"Indian story {n}", photo_file=False)
    CaseStoryFactory(country="NP", photo_file=False)

    first = client.get("/cases/?country=IN")
    second = client.get("/cases/?country=IN&page=2")

    assert len(first.context["stories"]) == 12
    assert 'href="?country=IN&amp;page=2"' in html_of(first)
    assert len(second.context["stories"]) == 2
    assert "14 stories" in html_of(first)


def test_filters_combine_and_each_option_counts_with_the_other_filters(client):
    energy, waste = Tag.objects.create(name="Renewable energy"), Tag.objects.create(name="Waste")
    CaseStoryFactory(title="Nepal energy coop", country="NP", organisation_type="cooperative", themes=[energy])
    CaseStoryFactory(title="Nepal waste firm", country="NP", organisation_type="enterprise", themes=[waste])
    CaseStoryFactory(title="India energy firm", country="IN", organisation_type="enterprise", themes=[energy])
    CaseStoryFactory(title="Hidden energy", country="IN", themes=[energy], pending=True)

    response = client.get("/cases/?theme=renewable-energy&country=NP")

    assert [s.title for s in response.context["stories"]] == ["Nepal energy coop"]
    options = response.context["options"]
    assert {o["value"]: o["count"] for o in options["theme"]} == {"renewable-energy": 1, "waste": 1}
    assert {o["value"]: o["count"] for o in options["country"]} == {"NP": 1, "IN": 1}
    assert {o["value"]: o["count"] for o in options["type"]} == {"cooperative": 1}
    html = html_of(response)
    assert 'href="/cases/">Clear filters</a>' in html
    assert 'href="?theme=renewable-energy&amp;country=IN"' in html
    assert 'India <span class="count">(1)</span>' in html


def test_type_filter_and_search(client):
    CaseStoryFactory(title="Solar mini-grids", organisation_type="cooperative")
    CaseStoryFactory(title="Bamboo furniture", organisation_type="enterprise", challenge="Hardwood ran out.")

    assert [s.title for s in client.get("/cases/?type=enterprise").context["stories"]] == ["Bamboo furniture"]
    assert [s.title for s in client.get("/cases/?q=hardwood").context["stories"]] == ["Bamboo furniture"]
    assert [s.title for s in client.get("/cases/?q=mini-grids").context["stories"]] == ["Solar mini-grids"]


@pytest.mark.parametrize(
    "query",
    [
        "country=ZZ",
        "country=%3Cscript%3E",
        "page=abc",
        "page=99999",
        "page=-1",
        "theme=no-such-theme",
        "type=spaceship",
        "q=" + "x" * 5000,
        "q=%27%3B+drop+table",
        "theme=%00",
    ],
)
def test_bad_list_parameters_never_give_a_500(client, query):
    CaseStoryFactory(title="Visible story")
    response = client.get(f"/cases/?{query}")
    assert response.status_code == 200


def test_unknown_filter_values_give_no_results_and_a_way_back(client):
    CaseStoryFactory(title="Visible story")
    html = html_of(client.get("/cases/?country=ZZ"))
    assert "Visible story" not in html
    assert "No published story matches these filters yet." in html
    assert 'href="/cases/">Clear filters</a>' in html


def test_page_out_of_range_shows_the_last_page(client):
    CaseStoryFactory(title="Only story")
    assert "Only story" in html_of(client.get("/cases/?page=99999"))
    assert "Only story" in html_of(client.get("/cases/?page=abc"))


def test_every_filter_combination_lists_pages_and_counts_as_the_database_does(client):
    rng = random.Random(12)
    themes = [Tag.objects.create(name=name) for name in ("Energy", "Waste", "Skills")]
    now = timezone.now()
    for n in range(41):
        state = (
            {"pending": True} if n % 10 == 0 else {"published_at": now - timezone.timedelta(hours=rng.randint(0, 4))}
        )
        CaseStoryFactory(
            title=f"Mixed story {n}",
            country=rng.choice(["NP", "IN", "FJ"]),
            organisation_type=rng.choice(["enterprise", "cooperative", "government"]),
            themes=rng.sample(themes, rng.randint(0, 2)),
            photo_file=False,
            **state,
        )
    published = list(
        CaseStory.objects.published().prefetch_related("themes")
    )  # newest first, then the highest id first
    for story in published:
        story.slugs = {theme.slug for theme in story.themes.all()}

    def keep(story, theme, country, kind, skip=""):
        return (
            (skip == "theme" or not theme or theme in story.slugs)
            and (skip == "country" or not country or story.country == country)
            and (skip == "type" or not kind or story.organisation_type == kind)
        )

    for theme, country, kind in itertools.product(["", "energy", "waste"], ["", "NP"], ["", "cooperative"]):
        chosen = [s for s in published if keep(s, theme, country, kind)]
        for page in (1, 2, 3, 4):
            params = {"theme": theme, "country": country, "type": kind, "page": page}
            response = client.get("/cases/", {k: v for k, v in params.items() if v})
            start = (min(page, max(1, -(-len(chosen) // 12))) - 1) * 12
            shown = [story.title for story in response.context["stories"]]
            assert shown == [story.title for story in chosen[start : start + 12]], params
            assert response.context["page_obj"].paginator.count == len(chosen)
        options = response.context["options"]
        theme_counts = {
            t.slug: sum(t.slug in s.slugs for s in published if keep(s, theme, country, kind, "theme")) for t in themes
        }
        assert {o["value"]: o["count"] for o in options["theme"]} == {k: v for k, v in theme_counts.items() if v}
        country_counts = {}
        for s in published:
            if keep(s, theme, country, kind, "country"):
                country_counts[s.country.code] = country_counts.get(s.country.code, 0) + 1
        assert {o["value"]: o["count"] for o in options["country"]} == country_counts
        type_counts = {}
        for s in published:
            if keep(s, theme, country, kind, "type"):
                type_counts[s.organisation_type] = type_counts.get(s.organisation_type, 0) + 1
        assert {o["value"]: o["count"] for o in options["type"]} == type_counts


def test_story_cards_and_page_follow_an_edit(client, django_capture_on_commit_callbacks):
    story = CaseStoryFactory(title="Before the edit", photo_file=False)
    assert "Before the edit" in html_of(client.get("/cases/"))

    with django_capture_on_commit_callbacks(execute=True):
        story.title = "After the edit"
        story.save()
        CaseStoryFactory(title="Newly published", photo_file=False)

    html = html_of(client.get("/cases/"))
    assert "After the edit" in html and "Before the edit" not in html and "Newly published" in html


def make_many(count: int):
    energy, waste, skills = (Tag.objects.create(name=n) for n in ("Energy", "Waste", "Skills"))
    now = timezone.now()
    stories = CaseStory.objects.bulk_create(
        CaseStory(
            title=f"Story {n}",
            slug=f"story-{n}",
            summary="Summary",
            challenge="c",
            actions="a",
            environment_results="e",
            job_results="j",
            country=("NP", "IN", "FJ", "TH")[n % 4],
            organisation="Org",
            organisation_type=("enterprise", "cooperative")[n % 2],
            contributor_name="A",
            contributor_email="a@example.org",
            status=Status.PUBLISHED,
            published_at=now - timezone.timedelta(hours=n),
            photo_description="x",
        )
        for n in range(count)
    )
    CaseStoryFactory(slug="with-photo", themes=[energy, waste])
    for n, story in enumerate(stories):
        story.themes.add(*[(energy, waste, skills)[n % 3], skills])
    return stories


@pytest.mark.parametrize("count", [10, 300])
def test_list_and_detail_stay_within_6_queries(client, django_assert_max_num_queries, count):
    stories = make_many(count)
    assert TaggedItem.objects.count() >= count

    with django_assert_max_num_queries(6):
        assert client.get("/cases/").status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get("/cases/?theme=energy&country=NP&type=enterprise&q=story&page=2").status_code == 200
    with django_assert_max_num_queries(6):
        response = client.get(f"/cases/{stories[5].slug}/")
    assert response.status_code == 200
    assert len(response.context["related"]) == 3
    with django_assert_max_num_queries(6):
        assert client.get("/cases/with-photo/").status_code == 200


def test_list_links_its_feeds(client):
    html = html_of(client.get("/cases/"))
    assert 'type="application/rss+xml" title="New case stories" href="/cases/feed/"' in html
    assert 'type="application/atom+xml" title="New case stories (Atom)" href="/cases/feed/atom/"' in html


def test_escaped_everywhere_on_list_and_home(client):
    CaseStoryFactory(title="<script>alert(1)</script>", summary="<b>x</b>")
    for url in ("/cases/", "/"):
        html = html_of(client.get(url))
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<b>x</b>" not in html
