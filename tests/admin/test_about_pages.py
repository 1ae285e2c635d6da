"""About pages: written in Markdown (rendered safely), only the fields a webmaster needs, listed by menu order."""

import pytest
from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.urls import reverse

from greenjobs.models import AboutPage, SearchDocument

pytestmark = pytest.mark.django_db

ADD = reverse("admin:flatpages_flatpage_add")


def page_post(**overrides):
    data = {
        "title": "Our partners",
        "url": "/about/partners/",
        "markdown": "We work with **four** organisations.\n\n## Who they are\n\n- UNEP\n- ILO",
        "menu_title": "Partners",
        "menu_order": "15",
        "in_footer": "on",
    }
    data.update(overrides)
    return data


def test_the_form_has_only_what_a_webmaster_needs(webmaster_client):
    html = webmaster_client.get(ADD).content.decode()
    for name in ("title", "url", "markdown", "menu_title", "menu_order", "in_footer"):
        assert f'name="{name}"' in html
    for name in ("sites", "template_name", "registration_required", "enable_comments", 'name="content"'):
        assert name not in html


def test_a_page_written_in_markdown_is_published_on_the_site_and_in_menus(webmaster_client, about_pages):
    response = webmaster_client.post(ADD, page_post())

    assert response.status_code == 302
    page = FlatPage.objects.get(url="/about/partners/")
    assert list(page.sites.values_list("pk", flat=True)) == [settings.SITE_ID]
    assert page.content.startswith("<p>We work with <strong>four</strong> organisations.</p>")
    assert "<h2>Who they are</h2>" in page.content, "the first heading is the page's second level"
    assert AboutPage.objects.get(page=page).markdown.startswith("We work with **four**")
    assert "four organisations" in SearchDocument.objects.get(url="/about/partners/").body

    public = webmaster_client.get("/about/partners/").content.decode()
    assert "<strong>four</strong>" in public
    footer = public[public.index('<footer class="site-footer">') :]
    assert footer.index("The initiative") < footer.index("Partners") < footer.index("What is a green job?")
    about_menu = public[
        public.index('<nav aria-label="About">') : public.index("</nav>", public.index('aria-label="About"'))
    ]
    assert '<strong class="tag" aria-current="page">Partners</strong>' in about_menu
    assert 'href="/about/initiative/"' in about_menu


def test_a_page_left_out_of_the_footer_stays_in_the_about_menu(webmaster_client, about_pages):
    webmaster_client.post(ADD, page_post(in_footer=""))
    html = webmaster_client.get("/about/initiative/").content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert "Partners" not in footer
    assert 'href="/about/partners/">Partners</a>' in html


@pytest.mark.parametrize(
    "markdown",
    [
        "Hello <script>alert('x')</script>",
        "[click](javascript:alert('x'))",
        '<img src="x" onerror="alert(\'x\')">',
        '<a href="#" onclick="alert(\'x\')">link</a>',
    ],
)
def test_markdown_never_lets_a_script_reach_the_page(webmaster_client, markdown):
    assert webmaster_client.post(ADD, page_post(markdown=markdown)).status_code == 302
    html = webmaster_client.get("/about/partners/").content.decode()
    assert "alert(" not in html
    assert "alert(" not in FlatPage.objects.get(url="/about/partners/").content


def test_editing_shows_the_markdown_and_keeps_the_menu_settings(webmaster_client, about_pages):
    page = FlatPage.objects.get(url="/about/green-jobs/")
    change = reverse("admin:flatpages_flatpage_change", args=[page.pk])
    form = webmaster_client.get(change).context["adminform"].form
    assert form.initial["markdown"].startswith("A green job helps")
    assert (form.initial["menu_order"], form.initial["in_footer"]) == (20, True)

    data = page_post(title=page.title, url=page.url, markdown="Short *now*.", menu_title="", menu_order="5")
    assert webmaster_client.post(change, data).status_code == 302
    page.refresh_from_db()
    assert page.content == "<p>Short <em>now</em>.</p>"
    assert AboutPage.objects.get(page=page).menu_order == 5


@pytest.mark.parametrize(
    ("url", "message"),
    [("/about/initiative/", "Another about page already has this URL."), ("about/x", "starts and ends with a slash")],
)
def test_a_taken_or_malformed_address_is_refused_and_the_text_kept(webmaster_client, about_pages, url, message):
    response = webmaster_client.post(ADD, page_post(url=url, markdown="Keep *this* text"))
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "Keep *this* text" in html
    assert not FlatPage.objects.filter(title="Our partners").exists()


def test_the_admin_header_names_the_site(webmaster_client):
    html = webmaster_client.get(reverse("admin:index")).content.decode()
    assert "Green Jobs Portal administration" in html
    assert "<title>Site administration | Green Jobs Portal</title>" in html
    assert "Django administration" not in html and "Django site admin" not in html
