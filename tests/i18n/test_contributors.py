"""A contributor who sends a story from the French (or Spanish) site gets their emails, their status link
and their status page in that language; the webmaster's email stays in English. The story keeps the
language it is written in: its page says so and the list can be filtered by it."""

import pytest
from django.core import mail
from django.test import Client
from taggit.models import Tag

from cases.models import CaseStory
from tests.cases.conftest import form_data
from tests.cases.factories import CaseStoryFactory

pytestmark = pytest.mark.django_db


def test_a_french_contributor_gets_french_emails_and_a_french_status_page(client, media_root, webmaster):
    Tag.objects.create(name="Renewable energy")
    form = client.get("/fr/cases/submit/").content.decode()
    assert '<option value="fr" selected>Français</option>' in form  # the story's language: the page's

    response = client.post("/fr/cases/submit/", form_data(photo=None, photo_description="", language="fr"))

    story = CaseStory.objects.get()
    assert response.status_code == 302 and response["Location"].startswith("/fr/cases/submit/thanks/")
    assert story.language == "fr" and story.contact_language == "fr"
    to_contributor = next(message for message in mail.outbox if message.to == ["maya@example.org"])
    to_webmaster = next(message for message in mail.outbox if message.to != ["maya@example.org"])
    assert "reçue" in to_contributor.subject
    assert f"http://testserver/fr/cases/status/{story.status_token}/" in to_contributor.body
    assert to_webmaster.subject.startswith("New case story to review")
    status = client.get(f"/fr/cases/status/{story.status_token}/").content.decode()
    assert '<html lang="fr">' in status and "Solar pumps for rice farmers" in status


def test_a_spanish_contributor_may_write_in_english_and_still_be_answered_in_spanish(client, media_root):
    client.post("/es/cases/submit/", form_data(photo=None, photo_description="", language="en"))
    story = CaseStory.objects.get()
    assert story.language == "en" and story.contact_language == "es"
    assert "/es/cases/status/" in mail.outbox[0].body


def test_a_story_page_says_the_language_of_the_story_and_the_list_filters_by_it(db):
    CaseStoryFactory(title="Des panneaux solaires pour les écoles", slug="panneaux", language="fr")
    CaseStoryFactory(title="Solar schools", slug="solar-schools", language="en")
    client = Client()

    page = client.get("/es/cases/panneaux/").content.decode()
    assert '<html lang="es">' in page and '<article class="case-story" lang="fr">' in page
    assert '<article class="case-story">' in client.get("/cases/solar-schools/").content.decode()

    listed = client.get("/fr/cases/?language=fr").content.decode()
    assert "Des panneaux solaires pour les écoles" in listed and "Solar schools" not in listed
    assert 'href="?language=en"' in listed or "language=en" in listed
