"""Content in three languages: events, courses (steps, session notes), about pages and themes have French and
Spanish versions beside the English; a field left untranslated shows the English text marked lang="en", with
a notice in the page's language. Search reads each language with its own configuration and unaccent, and
puts results in the visitor's language first."""

import re

import pytest
from django.contrib.flatpages.models import FlatPage
from django.test import Client
from taggit.models import Tag

from cases.models import CaseStory, CaseStoryTranslation
from greenjobs.models import SearchDocument, ThemeTranslation
from greenjobs.pages import about_page_save
from tests.cases.factories import CaseStoryFactory
from tests.cases.test_admin import change_data
from tests.courses.factories import CourseFactory, CourseSessionFactory, PreparationStepFactory
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db

PARTLY = "Certaines parties de cette page ne sont pas encore disponibles dans votre langue"
NONE_FR = "Ce contenu n'est pas encore disponible dans votre langue"


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def test_a_translated_event_shows_french_and_marks_what_is_still_english(client):
    EventFactory(
        slug="solar-week",
        title="Solar week",
        title_fr="Semaine solaire",
        summary="A week about solar jobs.",
        summary_fr="Une semaine consacrée aux emplois solaires.",
        background="Why solar jobs matter.",
    )

    french = page(client, "/fr/events/solar-week/")
    assert "<h1>Semaine solaire</h1>" in french
    assert '<p class="lead">Une semaine consacrée aux emplois solaires.</p>' in french
    assert '<div lang="en"><p>Why solar jobs matter.</p>' in french  # the background is not translated
    assert PARTLY in french and NONE_FR not in french

    spanish = page(client, "/es/events/solar-week/")
    assert '<h1 lang="en">Solar week</h1>' in spanish
    assert "Este contenido aún no está disponible en su idioma" in spanish

    english = page(client, "/events/solar-week/")
    assert "<h1>Solar week</h1>" in english and 'lang="en">' not in english.split("<main", 1)[1]


def test_a_course_its_steps_and_its_session_notes_in_spanish(client):
    course = CourseFactory(slug="skills", title="Skills for green jobs", title_es="Competencias para empleos verdes")
    PreparationStepFactory(course=course, title="Read the brief", title_es="Lea la nota", order=1)
    PreparationStepFactory(course=course, title="Bring a laptop", order=2)
    CourseSessionFactory(course=course, notes="Visas take a month.", notes_es="Los visados tardan un mes.")

    spanish = page(client, "/es/courses/skills/")
    assert re.search(r'<h1 id="course-title">Competencias para empleos verdes</h1>', spanish)
    assert re.search(r'class="step__title">Lea la nota<', spanish)
    assert re.search(r'class="step__title" lang="en">Bring a laptop<', spanish)
    assert '<p class="meta">Los visados tardan un mes.</p>' in spanish
    assert re.search(r'<p class="lead" lang="en">', spanish)  # the summary is English only
    assert "Algunas partes de esta página aún no están disponibles en su idioma" in spanish

    english = page(client, "/courses/skills/")
    assert "Skills for green jobs" in english and "Visas take a month." in english


def test_about_pages_and_their_menu_titles_in_french(client):
    about_page_save(
        page=FlatPage(url="/about/partners/", title="Our partners"),
        markdown="We work with **UNEP**.",
        menu_title="Partners",
        in_footer=True,
        translations={
            "title_fr": "Nos partenaires",
            "menu_title_fr": "Partenaires",
            "markdown_fr": "Nous travaillons avec le **PNUE**.",
        },
    )

    french = page(client, "/fr/about/partners/")
    assert "<h1>Nos partenaires</h1>" in french
    assert "<p>Nous travaillons avec le <strong>PNUE</strong>.</p>" in french
    assert '<a href="/fr/about/partners/">Partenaires</a>' in french  # the footer, in French
    assert "pas encore disponible" not in french

    spanish = page(client, "/es/about/partners/")
    assert '<h1 lang="en">Our partners</h1>' in spanish and "<strong>UNEP</strong>" in spanish
    assert '<a href="/es/about/partners/">Partners</a>' in spanish


def test_theme_names_follow_the_page_language(client):
    tag = Tag.objects.create(name="Renewable energy")
    ThemeTranslation.objects.create(theme=tag, name_fr="Énergies renouvelables", name_es="Energías renovables")
    event = EventFactory(slug="sun")
    event.themes.add(tag)

    assert "<h1>Énergies renouvelables</h1>" in page(client, f"/fr/themes/{tag.slug}/")
    assert "Energías renovables</a>" in page(client, "/es/events/sun/")
    assert "<h1>Renewable energy</h1>" in page(client, f"/themes/{tag.slug}/")
    assert "Energías renovables" in page(client, "/es/search/?q=green")  # a result's themes


def test_the_webmaster_translates_a_theme_in_the_admin(client, webmaster):
    tag = Tag.objects.create(name="Green building")
    client.force_login(webmaster)
    form = page(client, f"/admin/greenjobs/theme/{tag.pk}/change/")
    assert 'name="translation-0-name_fr"' in form

    response = client.post(
        f"/admin/greenjobs/theme/{tag.pk}/change/",
        {
            "name": "Green building",
            "translation-TOTAL_FORMS": "1",
            "translation-INITIAL_FORMS": "0",
            "translation-0-name_fr": "Bâtiment vert",
            "translation-0-name_es": "Construcción verde",
        },
    )

    assert response.status_code == 302
    assert ThemeTranslation.objects.get(theme=tag).name_fr == "Bâtiment vert"


@pytest.mark.parametrize(
    "path, field",
    [
        ("/admin/events/event/add/", "title_fr"),
        ("/admin/courses/course/add/", "summary_es"),
        ("/admin/flatpages/flatpage/add/", "markdown_fr"),
    ],
)
def test_admin_forms_offer_french_and_spanish_fields(client, webmaster, path, field):
    client.force_login(webmaster)
    form = page(client, path)
    assert f'name="{field}"' in form and "In French" in form and "In Spanish" in form


# --- Search ---------------------------------------------------------------------------------------


def titles(html: str) -> list[str]:
    return re.findall(r'<h2 class="search-result__title"><a href="[^"]*"[^>]*>([^<]+)</a>', html)


def test_french_plurals_and_unaccented_spanish_words_find_their_documents(client):
    CaseStoryFactory(title="Des emplois verts au Sénégal", language="fr", summary="Des maraîchers et leurs pompes.")
    CaseStoryFactory(title="Energía solar en el altiplano", language="es", summary="Técnicas y riego.")
    CaseStoryFactory(title="Wind farms", summary="Turbines and jobs.")

    assert titles(page(client, "/fr/search/?q=emploi")) == ["Des emplois verts au Sénégal"]
    assert titles(page(client, "/fr/search/?q=emplois")) == ["Des emplois verts au Sénégal"]
    assert titles(page(client, "/es/search/?q=energia"))[0] == "Energía solar en el altiplano"
    assert titles(page(client, "/es/search/?q=tecnica")) == ["Energía solar en el altiplano"]
    assert titles(page(client, "/fr/search/?q=senegal")) == ["Des emplois verts au Sénégal"]
    # /cases/?q= finds what the search page finds among stories.
    assert "Energía solar en el altiplano" in page(client, "/es/cases/?q=energia")


def test_results_in_the_visitors_language_come_first_with_their_address_and_title(client):
    EventFactory(slug="solar-a", title="Solar solar solar jobs", summary="Solar.")
    EventFactory(slug="solar-b", title="Solar week", title_fr="Semaine solaire (solar)", summary="Solar.")

    english = titles(page(client, "/search/?q=solar"))
    assert english == ["Solar solar solar jobs", "Solar week"]
    french = page(client, "/fr/search/?q=solar")
    assert titles(french) == ["Semaine solaire (solar)", "Solar solar solar jobs"]
    assert 'href="/fr/events/solar-b/"' in french


def test_a_translation_is_indexed_with_its_language(client):
    event = EventFactory(slug="x", title="Waste pickers", summary="Cooperatives.")
    document = SearchDocument.objects.get(object_id=event.pk, kind="event")
    assert (document.language, document.title_fr) == ("en", "")

    event.title_fr = "Récupérateurs de déchets"
    event.save()

    document.refresh_from_db()
    assert document.title_fr == "Récupérateurs de déchets" and document.title == "Waste pickers"
    assert titles(page(client, "/fr/search/?q=récupérateur")) == ["Récupérateurs de déchets"]


def test_demo_content_exists_in_french_and_spanish(media_root):
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    client = Client()
    assert "Politiques et évaluation des emplois verts" in page(
        client, "/fr/courses/green-jobs-policies-and-assessment/"
    )
    assert "<h1>La Iniciativa Empleos Verdes</h1>" in page(client, "/es/about/initiative/")
    assert CaseStory.objects.published().filter(language="fr").count() == 2
    assert CaseStory.objects.published().filter(language="es").count() == 2
    assert ThemeTranslation.objects.exclude(name_fr="").exclude(name_es="").count() == 12


def test_the_webmaster_translates_a_story_and_its_page_shows_it(client, webmaster):
    story = CaseStoryFactory(slug="pumps", title="Solar pumps for farmers", language="en")
    client.force_login(webmaster)
    form = page(client, f"/admin/cases/casestory/{story.pk}/change/")
    assert 'name="translations-0-title"' in form or 'name="translations-__prefix__-title"' in form
    CaseStoryTranslation.objects.create(
        story=story,
        language="es",
        title="Bombas solares para agricultores",
        summary="Bombas que riegan sin diésel.",
        challenge="El diésel era caro.",
        actions="Se instalaron bombas.",
        environment_results="Menos emisiones.",
        job_results="Veinte empleos.",
    )
    story.save()  # as the admin does after saving a translation
    client.logout()

    spanish = page(client, "/es/cases/pumps/")
    assert "<h1>Bombas solares para agricultores</h1>" in spanish
    assert 'href="/cases/pumps/">lea el original</a>' in spanish or 'href="/cases/pumps/"' in spanish
    assert '<article class="case-story">' in spanish  # the text is in the page's language now
    french = page(client, "/fr/cases/pumps/")
    assert "<h1>Solar pumps for farmers</h1>" in french and '<article class="case-story" lang="en">' in french
    assert titles(page(client, "/es/search/?q=bombas")) == ["Bombas solares para agricultores"]


def test_the_french_error_summary_follows_french_typography(client):
    french = client.post("/fr/cases/submit/", {"title": "Des panneaux solaires"}).content.decode()
    assert "Résumé\u00a0: Ce champ est obligatoire." in french
    english = client.post("/cases/submit/", {"title": "Solar panels"}).content.decode()
    assert "Summary: This field is required." in english


def test_a_story_translation_in_the_storys_own_language_is_refused_with_a_message(client, webmaster):
    story = CaseStoryFactory(slug="own", language="fr")
    client.force_login(webmaster)
    data = change_data(
        client,
        story,
        **{
            "translations-TOTAL_FORMS": "1",
            "translations-0-language": "fr",
            "translations-0-title": "Titre",
            "translations-0-summary": "Résumé.",
            "translations-0-challenge": "Défi.",
            "translations-0-actions": "Actions.",
            "translations-0-environment_results": "Environnement.",
            "translations-0-job_results": "Emplois.",
        },
    )

    response = client.post(f"/admin/cases/casestory/{story.pk}/change/", data)

    assert response.status_code == 200
    assert "The story is written in this language: choose another one." in response.content.decode()
    assert not CaseStoryTranslation.objects.exists()
