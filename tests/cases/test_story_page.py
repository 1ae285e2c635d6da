"""A story page: its sections, metadata, related stories, escaping, and previews of stories not published."""

import re

import pytest
from django.test import Client
from django.utils import timezone
from taggit.models import Tag

from .conftest import html_of
from .factories import CaseStoryFactory

pytestmark = pytest.mark.django_db


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
    assert "data-print " not in html


def test_preview_has_no_og_image_and_is_not_indexed(webmaster_client):
    CaseStoryFactory(slug="waiting", pending=True)

    html = html_of(webmaster_client.get("/cases/waiting/"))

    assert '<meta name="robots" content="noindex">' in html
    assert "og:image" not in html and '"@type": "Article"' not in html


def test_related_stories_share_the_most_themes_newest_first(client):
    a, b, c = (Tag.objects.create(name=n) for n in ("A", "B", "C"))
    now = timezone.now()
    story = CaseStoryFactory(themes=[a, b])
    CaseStoryFactory(title="Shares two, older", themes=[a, b], published_at=now - timezone.timedelta(days=3))
    two = CaseStoryFactory(title="Shares two", themes=[a, b], summary="Two themes in common.")
    CaseStoryFactory(title="Shares one", themes=[b, c])
    CaseStoryFactory(title="Shares one, the newest", themes=[c, a], published_at=now + timezone.timedelta(days=1))
    CaseStoryFactory(title="Shares none", themes=[c])
    CaseStoryFactory(title="Pending shares two", themes=[a, b], pending=True)

    response = client.get(f"/cases/{story.slug}/")

    assert [item.title for item in response.context["related"]] == [
        "Shares two",
        "Shares two, older",
        "Shares one, the newest",
    ]
    html = html_of(response)
    section = html[html.index('aria-labelledby="related-title"') :]
    assert '<h2 id="related-title">Related stories</h2>' in section
    assert f'<a href="/cases/{two.slug}/">Shares two</a>' in section and "Two themes in common." in section


def test_no_related_section_without_shared_themes(client):
    story = CaseStoryFactory(themes=["Alone"])
    CaseStoryFactory(themes=["Elsewhere"])
    assert "related-title" not in html_of(client.get(f"/cases/{story.slug}/"))


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


def test_story_page_reads_the_story_and_its_related_stories_in_one_query_each(client, django_assert_num_queries):
    theme = Tag.objects.create(name="Energy")
    story = CaseStoryFactory(themes=[theme], lessons="Start small.", photo_credit="Ram")
    CaseStoryFactory.create_batch(3, themes=[theme])

    # and, built afresh inside a test's transaction, the story index's two and the footer's about pages
    with django_assert_num_queries(2 + 2 + 1):
        response = client.get(f"/cases/{story.slug}/")

    html = html_of(response)
    assert html.count('<article class="card related-card">') == 3
    assert "<h2>Lessons learnt</h2>\n    <p>Start small.</p>" in html and "<figcaption>Photo: Ram</figcaption>" in html


# --- Previews: the public sees published stories; staff who may view stories see the others too -------


@pytest.mark.parametrize("state", ["pending", "rejected"])
def test_unpublished_story_is_404_for_anonymous_and_preview_for_the_webmaster(webmaster_client, state):
    story = CaseStoryFactory(**{state: True}, title="Waiting story")

    assert Client().get(f"/cases/{story.slug}/").status_code == 404
    response = webmaster_client.get(f"/cases/{story.slug}/")
    assert response.status_code == 200 and response.context["is_preview"]
    html = html_of(response)
    assert 'class="banner banner--preview"' in html and "Not published: preview" in html
    assert f"Status: {story.get_status_display()}" in html and "Waiting story" in html
    assert '<meta name="robots" content="noindex">' in html


def test_staff_without_the_permission_to_view_stories_get_404_for_a_pending_one(client, django_user_model):
    story = CaseStoryFactory(pending=True)
    client.force_login(django_user_model.objects.create_user("editor", is_staff=True))

    assert client.get(f"/cases/{story.slug}/").status_code == 404


def test_unknown_story_is_404_for_everyone(webmaster_client, superuser):
    assert Client().get("/cases/no-such-story/").status_code == 404
    assert webmaster_client.get("/cases/no-such-story/").status_code == 404
    superuser_client = Client()
    superuser_client.force_login(superuser)
    assert superuser_client.get("/cases/no-such-story/").status_code == 404


def test_published_story_has_no_preview_banner_for_staff(webmaster_client):
    story = CaseStoryFactory()
    response = webmaster_client.get(f"/cases/{story.slug}/")
    assert not response.context["is_preview"] and "banner--preview" not in html_of(response)
