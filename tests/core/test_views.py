import pytest
from django.contrib.flatpages.models import FlatPage

from tests.helpers import fresh_get

pytestmark = pytest.mark.django_db


def test_home_page_explains_the_portal_and_invites_stories(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Green jobs that are also decent work" in html
    for audience in ("Enterprises", "Workers and their organisations", "Governments"):
        assert audience in html
    assert "Add your voice" in html
    assert 'href="/cases/submit/"' in html


def test_layout_has_landmarks_navigation_breadcrumbs_and_partners(client, about_pages):
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert 'class="skip-link" href="#main"' in html
    assert "<header" in html and '<main id="main"' in html and "<footer" in html
    assert 'aria-label="Main"' in html
    for label in ("Home", "Case stories", "Courses", "Events", "About", "Share your story"):
        assert f">{label}</a>" in html
    assert "You are here:" in html
    for partner in ("UNEP", "ILO", "IOE", "ITUC"):
        assert f">{partner}</abbr>" in html
    assert 'href="/contact/"' in html
    assert "css/site.css" in html and 'media="print"' in html


def test_unknown_url_gets_the_styled_404_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "Skip to main content" in html
    assert "You are here:" in html


def test_500_page_renders_in_the_layout_without_a_request():
    from django.test import RequestFactory

    from greenjobs.core.views import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    assert "Green Jobs Portal" in html


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/about/green-jobs/", "What makes a job green and decent?"),
        ("/about/initiative/", "The Green Jobs Initiative"),
        ("/contact/", "Contact"),
    ],
)
def test_about_pages_show_demo_content(client, about_pages, url, title):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{title}</h1>" in html
    assert f'<li aria-current="page">{title}</li>' in html
    assert html.count('class="share"') == 1 and 'href="mailto:?subject=' in html
    assert '<a href="/themes/">Themes</a>' in html


def test_about_page_edited_by_the_webmaster_shows_the_edit(client, about_pages):
    page = FlatPage.objects.get(url="/about/initiative/")
    page.content = "<p>Updated by the webmaster.</p>"
    page.save()
    assert "Updated by the webmaster." in client.get("/about/initiative/").content.decode()


def test_unknown_about_page_gets_404(client, about_pages):
    assert client.get("/about/nothing-here/").status_code == 404


def test_healthz_says_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_healthz_says_503_when_the_database_is_unreachable():
    """A real unreachable server: nothing listens on port 1."""
    unreachable = "postgres://nobody@127.0.0.1:1/greenjobs?connect_timeout=2"
    response = fresh_get("/healthz", DATABASE_URL=unreachable, ALLOWED_HOSTS="testserver")
    assert response["status"] == 503


def test_healthz_refuses_post(client):
    assert client.post("/healthz").status_code == 405


def test_ping_is_a_fixed_response_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/ping")
    assert response.status_code == 200
    assert response.content == b"pong"


@pytest.mark.parametrize("url", ["/", "/cases/", "/events/", "/courses/", "/search/?q=solar", "/themes/", "/healthz"])
def test_head_requests_are_answered_like_get(client, url):
    """Link checkers, feed readers and `curl -I` send HEAD."""
    response = client.head(url)
    assert response.status_code == 200
    assert response.content == b""


@pytest.mark.django_db(transaction=True)
def test_the_footer_reads_the_about_pages_once_per_content_version(django_assert_num_queries):
    from greenjobs.core.contentversion import content_version, remembered
    from greenjobs.pages import about_page_save
    from greenjobs.templatetags.seo_tags import about_links

    about_page_save(page=FlatPage(url="/about/partners/", title="Partners"), markdown="Four.", in_footer=True)
    assert [link.title for link in about_links()] == ["Partners"]
    with remembered():  # a page view: it reads the content version once, whatever it shows
        content_version()
        with django_assert_num_queries(0):  # committed rows: the links are kept until the content changes
            assert [link.title for link in about_links()] == ["Partners"]

    about_page_save(page=FlatPage(url="/about/team/", title="Team"), markdown="Us.", menu_order=1)
    assert [link.title for link in about_links()] == ["Team", "Partners"]
