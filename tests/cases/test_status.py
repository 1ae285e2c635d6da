"""The contributor's private pages: the thanks page with the status link, and the status page showing
what was sent in every state."""

import pytest
from django.core import mail
from django.test import Client, override_settings

from cases.models import CaseStory
from cases.services import case_publish, case_reject, case_request_changes, case_submit

from .conftest import form_data, html_of, submission
from .factories import CaseStoryFactory

pytestmark = pytest.mark.django_db


def test_the_thanks_page_shows_the_private_status_link_to_keep(client, webmaster, site_domain):
    response = client.post("/cases/submit/", form_data(), follow=True)

    story = CaseStory.objects.get()
    html = html_of(response)
    link = f"http://greenjobs.example/cases/status/{story.status_token}/"
    assert f'<a href="{link}">{link}</a>' in html
    assert "Keep this link" in html and "share it with no one" in html
    assert 'content="noindex, nofollow"' in html
    assert link in mail.outbox[0].body  # the same link as in the email


@override_settings(PAGE_CACHE_SECONDS=60)
def test_the_thanks_page_with_the_link_is_private_and_never_cached(webmaster):
    story = case_submit(**submission(photo=None))
    path = f"/cases/submit/thanks/{story.status_token}/"
    for _ in range(2):
        response = Client().get(path)
        assert response.status_code == 200 and "Age" not in response
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
        assert story.status_token in html_of(response)


@pytest.mark.parametrize("token", ["wrong", "x" * 43, "%00"])
def test_a_thanks_page_for_an_unknown_token_is_404(client, token):
    CaseStoryFactory(pending=True, photo_file=False)
    assert client.get(f"/cases/submit/thanks/{token}/").status_code == 404


def test_the_plain_thanks_page_still_answers_without_a_link(client):
    html = html_of(client.get("/cases/submit/thanks/"))
    assert "Thank you: your story awaits review" in html and "/cases/status/" not in html


# --- What was sent, in every state ------------------------------------------------------------------


def sent_section(html: str) -> str:
    return html.split('class="prose case-sent"', 1)[1]


@pytest.fixture
def story(webmaster, media_root):
    return case_submit(**submission(lessons="Start small.\n\nThen grow."))


def test_pending_shows_what_was_sent(client, story):
    html = html_of(client.get(story.get_status_url()))
    assert "Pending review" in html
    part = sent_section(html)
    assert "What you sent on" in part
    for text in ("Solar pumps for rice farmers", "Diesel was expensive.", "Nepal", "Cooperative", "Sun Farmers"):
        assert text in part
    assert "<p>Start small.</p>\n<p>Then grow.</p>" in part  # paragraphs kept, escaped


def test_changes_requested_shows_what_was_sent_below_the_form(client, story, webmaster):
    case_request_changes(case=story, by=webmaster, note="Add figures.")
    html = html_of(client.get(story.get_status_url()))
    assert html.index('class="case-form"') < html.index('class="prose case-sent"')
    assert "<details" in html and "Diesel was expensive." in sent_section(html)


def test_published_shows_what_was_sent_and_the_link(client, story, webmaster):
    case_publish(case=story, by=webmaster)
    html = html_of(client.get(story.get_status_url()))
    assert "Read your story on the site" in html and "Diesel was expensive." in sent_section(html)
    assert "What the webmaster changed" not in html  # not edited


def test_rejected_shows_the_reason_and_what_was_sent(client, story, webmaster):
    case_reject(case=story, by=webmaster, reason="Out of scope.")
    html = html_of(client.get(story.get_status_url()))
    assert "Not accepted" in html and "Out of scope." in html
    assert "Diesel was expensive." in sent_section(html) and 'name="title"' not in html


def test_html_sent_is_escaped_on_the_status_page(client, webmaster):
    story = case_submit(**submission(photo=None, challenge='<script>alert("x")</script>'))
    html = html_of(client.get(story.get_status_url()))
    assert '<script>alert("x")</script>' not in html and "&lt;script&gt;" in html


def test_a_story_sent_before_copies_were_kept_shows_the_story_as_it_is(client):
    story = CaseStoryFactory(pending=True, photo_file=False, challenge="Old challenge text.")
    html = html_of(client.get(story.get_status_url()))
    assert "Your story" in html and "Old challenge text." in sent_section(html)
