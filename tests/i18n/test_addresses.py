"""English at today's addresses, French under /fr/, Spanish under /es/: every public page type answers in
each, says its language, links to itself in the others, and lists every language as an alternate."""

import datetime as dt
import re

import pytest
from django.test import Client

from tests.quality.pages import EXPECTED_STATUS, load_demo, page_path

pytestmark = pytest.mark.django_db

LANGUAGES = {"en": "", "fr": "/fr", "es": "/es"}
NAMES = {"en": "English", "fr": "Français", "es": "Español"}
OG = {"en": "en_GB", "fr": "fr_FR", "es": "es_ES"}
PAGE_TYPES = ["home", "case-list", "case-list-filtered", "case-story", "submit-form", "case-status", "events-list",
              "events-past", "month-grid", "event-page", "course-catalogue", "course-page", "about-page",
              "contact-page", "search-results", "theme-list", "theme-page"]  # fmt: skip


@pytest.fixture
def paths(db):
    load_demo()
    return {page_type: page_path(page_type) for page_type in PAGE_TYPES}


def alternates(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([-\w]+)" href="([^"]+)">', html))


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_every_page_type_answers_in_each_language_and_says_so(paths, language):
    client = Client()
    for page_type, path in paths.items():
        address = LANGUAGES[language] + path
        response = client.get(address)
        assert response.status_code == EXPECTED_STATUS.get(page_type, 200), address
        html = response.content.decode()
        assert f'<html lang="{language}">' in html, address
        assert f'<meta property="og:locale" content="{OG[language]}">' in html, address
        others = {OG[other] for other in OG if other != language}
        assert set(re.findall(r'<meta property="og:locale:alternate" content="(\w+)">', html)) == others, address


def test_the_switch_links_to_the_same_page_in_the_other_languages_by_their_own_names(paths):
    client = Client()
    for path in paths.values():
        html = client.get("/fr" + path).content.decode()
        path = path.replace("&", "&amp;")  # noqa: PLW2901 (as HTML writes it)
        switch = html[html.index('<nav class="lang-switch"') : html.index("</nav>", html.index('class="lang-switch"'))]
        assert f'<a href="{path}" hreflang="en" lang="en">English</a>' in switch, path
        assert f'<a href="/es{path}" hreflang="es" lang="es">Español</a>' in switch, path
        assert '<span aria-current="true" lang="fr">Français</span>' in switch, path
        assert switch.startswith('<nav class="lang-switch" aria-label="Langue">'), path
        assert "<script" not in switch


def test_hreflang_alternates_name_every_language_and_a_default(paths):
    client = Client()
    for path in paths.values():
        if "?" in path:
            continue  # filtered lists point to their canonical page, without the filters
        for language, prefix in LANGUAGES.items():
            found = alternates(client.get(prefix + path).content.decode())
            expected = {code: f"http://testserver{LANGUAGES[code]}{path}" for code in LANGUAGES}
            assert found == {**expected, "x-default": expected["en"]}, (language, path)


def test_machines_keep_their_addresses():
    client = Client()
    for address in ("/healthz", "/sitemap.xml", "/robots.txt", "/cases/feed/", "/events/feed/",
                    "/events/calendar.ics", "/courses/feed/"):  # fmt: skip
        assert client.get(address).status_code == 200, address
    for address in ("/fr/healthz", "/es/sitemap.xml", "/fr/admin/"):
        assert client.get(address).status_code == 404, address


def test_a_url_shows_the_language_it_names_whatever_the_browser_prefers(db):
    client = Client()
    english = client.get("/cases/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9").content.decode()
    assert '<html lang="en">' in english
    spanish = client.get("/es/cases/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9").content.decode()
    assert '<html lang="es">' in spanish


def test_filters_keep_working_under_a_language_prefix(paths):
    client = Client()

    def stories(address: str) -> set[str]:
        html = client.get(address).content.decode()
        return {re.sub(r"^/(fr|es)/", "/", href) for href in re.findall(r'class="card__title"><a href="([^"]+)"', html)}

    filtered = paths["case-list-filtered"]
    assert stories("/fr" + filtered) == stories(filtered) == stories("/es" + filtered)
    assert 0 < len(stories("/fr" + filtered)) < len(stories("/fr/cases/"))


def test_the_menu_and_the_home_link_stay_in_the_language(paths):
    html = Client().get("/es/events/").content.decode()
    header = html[html.index("<header") : html.index("</header>")]
    assert 'href="/es/cases/"' in header and 'href="/es/events/"' in header and 'href="/es/"' in header
    assert 'aria-current="page"' in header
    assert 'href="/es/about/green-jobs/"' in header


def test_the_sitemap_lists_every_page_with_its_languages(db):
    from xml.etree import ElementTree

    from tests.cases.factories import CaseStoryFactory

    CaseStoryFactory(slug="solar-schools")
    body = Client().get("/sitemap-cases.xml").content
    root = ElementTree.fromstring(body)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    url = root.find("s:url", ns)
    assert url.find("s:loc", ns).text == "http://testserver/cases/solar-schools/"
    links = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", ns)}
    assert links == {
        "en": "http://testserver/cases/solar-schools/",
        "fr": "http://testserver/fr/cases/solar-schools/",
        "es": "http://testserver/es/cases/solar-schools/",
        "x-default": "http://testserver/cases/solar-schools/",
    }


def test_content_in_english_only_is_marked_and_announced_on_french_and_spanish_pages(paths):
    client = Client()
    notice = '<p class="banner" role="note">'
    from django.contrib.flatpages.models import FlatPage

    from greenjobs.pages import about_page_save
    from tests.events.factories import EventFactory

    EventFactory(slug="english-only")  # no French or Spanish text
    about_page_save(page=FlatPage(url="/about/english-only/", title="English only"), markdown="Only in English.")
    for path, marked in (
        ("/events/english-only/", '<h1 lang="en">'),
        ("/about/english-only/", '<article class="prose" lang="en">'),
    ):
        english = client.get(path).content.decode()
        assert notice not in english and marked not in english, path
        for prefix in ("/fr", "/es"):
            other = client.get(prefix + path).content.decode()
            assert notice in other and marked in other, prefix + path
    story = client.get("/fr" + paths["case-story"]).content.decode()
    assert '<article class="case-story" lang="en">' in story  # a story says its own language


def test_month_grids_name_months_and_days_in_the_language(db):
    client = Client()
    french = client.get("/fr/events/2026/11/").content.decode()
    assert "<caption>novembre 2026</caption>" in french and '<abbr title="lundi">' in french
    spanish = client.get("/es/events/2027/01/").content.decode()
    assert "<caption>enero de 2027</caption>" in spanish and '<abbr title="miércoles">' in spanish


@pytest.mark.parametrize("prefix", ["/fr", "/es"])
def test_bad_addresses_and_queries_in_french_and_spanish_never_give_a_500(db, prefix):
    from tests.core.test_bad_input import BAD_PATHS, BAD_QUERIES, PATHS

    client = Client(raise_request_exception=False)
    for path in PATHS:
        for query in BAD_QUERIES:
            response = client.get(f"{prefix}{path}?{query}")
            assert response.status_code in {200, 302, 404}, f"{prefix}{path}?{query} -> {response.status_code}"
    for path in [*BAD_PATHS, "/fr/fr/", "/es/fr/cases/", "/de/cases/"]:
        assert client.get(f"{prefix}{path}").status_code == 404, prefix + path


def test_dates_are_written_as_each_language_writes_them(db):
    from tests.events.factories import EventFactory

    EventFactory(slug="past-meeting", start_date=dt.date(2014, 4, 28), end_date=dt.date(2014, 4, 30))
    client = Client()
    assert "This event took place on 30 April 2014." in client.get("/events/past-meeting/").content.decode()
    assert "30 avril 2014" in client.get("/fr/events/past-meeting/").content.decode()
    assert "30 de abril de 2014" in client.get("/es/events/past-meeting/").content.decode()
    assert "<caption>abril de 2014</caption>" in client.get("/es/events/2014/04/").content.decode()


def test_links_to_events_and_stories_stay_in_the_language_whichever_was_served_first(db):
    """A web process reverses each detail route once (greenjobs.core.paths); what it keeps is per language."""
    from greenjobs.core.paths import _around
    from tests.cases.factories import CaseStoryFactory
    from tests.events.factories import EventFactory

    _around.cache_clear()
    EventFactory(slug="tree-planting", start_date=dt.date(2026, 11, 10), end_date=dt.date(2026, 11, 10))
    CaseStoryFactory(slug="solar-schools")
    client = Client()
    assert 'href="/events/tree-planting/"' in client.get("/events/2026/11/").content.decode()
    assert '"url": "http://testserver/cases/solar-schools/"' in client.get("/cases/solar-schools/").content.decode()
    for prefix in ("/fr", "/es"):
        month = client.get(f"{prefix}/events/2026/11/").content.decode()
        assert f'href="{prefix}/events/tree-planting/"' in month, prefix
        story = client.get(f"{prefix}/cases/solar-schools/").content.decode()
        assert f'"url": "http://testserver{prefix}/cases/solar-schools/"' in story, prefix


def test_the_language_is_the_address_s_whatever_the_browser_asks_for(db):
    """Nothing reads Accept-Language or the language cookie: a page is one page for every visitor (and cache)."""
    client = Client(headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    client.cookies["django_language"] = "es"
    english = client.get("/events/")
    assert english["Content-Language"] == "en" and '<html lang="en">' in english.content.decode()
    french = client.get("/fr/events/")
    assert french["Content-Language"] == "fr" and '<html lang="fr">' in french.content.decode()
    for response in (english, french):
        assert "accept-language" not in response.get("Vary", "").lower()
    missing = client.get("/es/no-such-page/")
    assert missing.status_code == 404 and missing["Content-Language"] == "es"
