import itertools
import random
import re

import pytest
from django.test import Client
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from cases.models import CaseStory, Status

from .factories import CaseStoryFactory

pytestmark = pytest.mark.django_db


def html_of(response) -> str:
    return response.content.decode()


# --- List ----------------------------------------------------------------------


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


# --- Detail --------------------------------------------------------------------


def test_detail_shows_every_section_photo_renditions_and_facts(client):
    energy = Tag.objects.create(name="Renewable energy")
    story = CaseStoryFactory(
        lessons="Start small.",
        photo_credit="Ram Thapa",
        organisation="Himal Solar",
        country="NP",
        themes=[energy],
    )

    response = client.get(f"/cases/{story.slug}/")

    html = html_of(response)
    for heading in (
        "The challenge",
        "What was done",
        "Results for the environment",
        "Results for jobs and working conditions",
        "Lessons learnt",
    ):
        assert f"<h2>{heading}</h2>" in html
    assert "Start small." in html
    assert 'srcset="/media/cases/photos/' in html and " 400w, " in html and " 800w" in html
    assert 'alt="Two workers install a solar panel"' in html
    assert "Photo: Ram Thapa" in html
    assert "Himal Solar" in html and "Nepal" in html
    assert 'href="/cases/?country=NP"' in html and 'href="/cases/?theme=renewable-energy"' in html
    assert "<time datetime=" in html
    assert "data-share-print" in html and "Share by email" in html and "data-share-url" in html
    assert story.contributor_name not in html and story.contributor_email not in html
    assert '"@type": "Article"' in html


def test_lessons_heading_is_left_out_when_empty(client):
    story = CaseStoryFactory(lessons="")
    assert "Lessons learnt" not in html_of(client.get(f"/cases/{story.slug}/"))


def test_detail_has_one_canonical_feed_links_article_metadata_and_one_share_box(client):
    story = CaseStoryFactory(title="Solar & jobs", slug="solar-jobs")

    html = html_of(client.get("/cases/solar-jobs/"))

    assert html.count('rel="canonical"') == 1
    assert '<link rel="canonical" href="http://testserver/cases/solar-jobs/">' in html
    assert '<meta property="og:type" content="article">' in html
    assert f'<meta property="og:image" content="http://testserver{story.rendition_url()}">' in html
    assert 'type="application/rss+xml" title="New case stories" href="/cases/feed/"' in html
    assert 'type="application/atom+xml" title="New case stories (Atom)" href="/cases/feed/atom/"' in html
    assert html.count('class="share"') == 1 and html.count("Share by email") == 1
    mailto = "mailto:?subject=Solar%20%26%20jobs&amp;body=Solar%20%26%20jobs%0A"
    mailto += "http%3A%2F%2Ftestserver%2Fcases%2Fsolar-jobs%2F"
    assert f'href="{mailto}"' in html
    assert "linkedin.com" not in html and "data-print " not in html


def test_preview_has_no_og_image_and_is_not_indexed(webmaster_client):
    CaseStoryFactory(slug="waiting", pending=True)

    html = html_of(webmaster_client.get("/cases/waiting/"))

    assert '<meta name="robots" content="noindex">' in html
    assert "og:image" not in html and '"@type": "Article"' not in html


def test_list_links_its_feeds(client):
    html = html_of(client.get("/cases/"))
    assert 'type="application/rss+xml" title="New case stories" href="/cases/feed/"' in html
    assert 'type="application/atom+xml" title="New case stories (Atom)" href="/cases/feed/atom/"' in html


def test_related_stories_share_themes_most_shared_first(client):
    a, b, c = (Tag.objects.create(name=n) for n in ("A", "B", "C"))
    story = CaseStoryFactory(themes=[a, b])
    two = CaseStoryFactory(title="Shares two", themes=[a, b])
    one = CaseStoryFactory(title="Shares one", themes=[b, c])
    CaseStoryFactory(title="Shares none", themes=[c])
    CaseStoryFactory(title="Pending shares two", themes=[a, b], pending=True)

    related = client.get(f"/cases/{story.slug}/").context["related"]

    assert related == [two, one]


def test_contributors_text_is_escaped_paragraphs_kept_links_clickable(client):
    story = CaseStoryFactory(
        title='<img src=x onerror="alert(1)">',
        summary="<script>alert('s')</script>",
        challenge="First paragraph.\n\nSecond <b>paragraph</b>, see https://example.org/report now.",
        organisation="<i>Org</i>",
        photo_description='" onload="alert(1)',
    )

    html = html_of(client.get(f"/cases/{story.slug}/"))

    assert "<img src=x" not in html and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert "<script>alert('s')" not in html and "<i>Org</i>" not in html
    assert "<p>First paragraph.</p>" in html
    assert "<p>Second &lt;b&gt;paragraph&lt;/b&gt;, see " in html
    assert '<a rel="nofollow ugc noopener" href="https://example.org/report">https://example.org/report</a>' in html
    assert 'alt="&quot; onload=&quot;alert(1)"' in html


PLAIN_TEXTS = [
    "",
    "No link here. Just words, a colon: and (brackets) & <tags> \"quoted\" 'single'.",
    "Mail ana@example.org or visit www.example.com/page, or http://x.org.\nNext line\n\nNew paragraph",
    "Domains: example.ORG (example.net/a) [EXAMPLE.com]. Not links: 1.5 km, e.g. this, a.b, ftp://x",
    "Entities stay text: &amp; &#46;com &lt;b&gt; https://example.org/?a=1&b=<2>",
    "A very long address https://example.org/" + "x" * 80 + " ends here.",
    "\r\nWindows\r\nline ends\r\n\r\nand tabs\tinside  ",
]


@pytest.mark.parametrize("text", PLAIN_TEXTS)
def test_plain_text_escapes_text_without_links_exactly_as_urlize_would(text):
    from django.utils.html import urlize

    from cases.templatetags.cases_tags import plain_text

    expected = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n").strip()):
        html = urlize(block.strip(), trim_url_limit=60, autoescape=True)
        html = html.replace('<a href="', '<a rel="nofollow ugc noopener" href="')
        expected.append("<p>" + html.replace("\n", "<br>") + "</p>")

    assert plain_text(text) == ("\n".join(expected) if text.strip() else "")


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


def test_story_page_reads_the_story_and_its_related_cards_in_one_query_each(client, django_assert_num_queries):
    theme = Tag.objects.create(name="Energy")
    story = CaseStoryFactory(themes=[theme], lessons="Start small.", photo_credit="Ram")
    CaseStoryFactory.create_batch(3, themes=[theme])

    with django_assert_num_queries(2 + 2):  # and the story index's two, built afresh inside a test's transaction
        response = client.get(f"/cases/{story.slug}/")

    html = html_of(response)
    assert html.count('<article class="card">') == 3
    assert "<h2>Lessons learnt</h2>\n    <p>Start small.</p>" in html and "<figcaption>Photo: Ram</figcaption>" in html


def test_escaped_everywhere_on_list_and_home(client):
    CaseStoryFactory(title="<script>alert(1)</script>", summary="<b>x</b>")
    for url in ("/cases/", "/"):
        html = html_of(client.get(url))
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<b>x</b>" not in html


@pytest.mark.parametrize("state", ["pending", "rejected"])
def test_unpublished_story_is_404_for_anonymous_and_preview_for_staff(webmaster_client, state):
    story = CaseStoryFactory(**{state: True})

    assert Client().get(f"/cases/{story.slug}/").status_code == 404
    response = webmaster_client.get(f"/cases/{story.slug}/")
    assert response.status_code == 200
    assert 'class="banner banner--preview"' in html_of(response)
    assert "Not published: preview" in html_of(response)
    assert '<meta name="robots" content="noindex">' in html_of(response)


def test_unknown_story_is_404_for_everyone(webmaster_client, superuser):
    assert Client().get("/cases/no-such-story/").status_code == 404
    assert webmaster_client.get("/cases/no-such-story/").status_code == 404
    superuser_client = Client()
    superuser_client.force_login(superuser)
    assert superuser_client.get("/cases/no-such-story/").status_code == 404


def test_published_story_has_no_preview_banner_for_staff(webmaster_client):
    story = CaseStoryFactory()
    assert "banner--preview" not in html_of(webmaster_client.get(f"/cases/{story.slug}/"))


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
