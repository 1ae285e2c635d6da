"""Revisions: what the contributor sent is kept unchanged; the webmaster sees what they changed before
publishing; the contributor is told the text was edited and can read both."""

import pytest
from django.core import mail
from django.test import Client
from taggit.models import Tag

from cases.models import CaseStory
from cases.revisions import changes, diff_html, edits_since_sent, story_fields
from cases.services import case_publish, case_submit

from .conftest import html_of, submission

pytestmark = pytest.mark.django_db

CHANGE = "/admin/cases/casestory/{}/change/"


def test_the_diff_is_word_by_word_and_escaped():
    html = diff_html("Ten <b>technicians</b> hired.", "Twelve <b>technicians</b> hired in 2024.\nAll paid.")
    assert str(html) == (
        "<del>Ten</del> <ins>Twelve</ins> &lt;b&gt;technicians&lt;/b&gt; <del>hired.</del> "
        "<ins>hired in 2024.<br>All paid.</ins>"
    )


def test_changes_lists_changed_fields_in_form_order_as_people_read_them():
    before = {"title": "A", "country": "NP", "themes": ["Wind"], "organisation_type": "cooperative", "photo": "a.jpg"}
    after = {
        "title": "A",
        "country": "KE",
        "themes": ["Solar", "Wind"],
        "organisation_type": "cooperative",
        "photo": "b.jpg",
    }
    found = changes(before, after)
    assert [(c.label, c.before, c.after) for c in found] == [
        ("Country", "Nepal", "Kenya"),
        ("Themes", "Wind", "Solar, Wind"),
        ("Photo", "a photo", "a photo"),
    ]
    assert str(found[2].html) == "The photo was replaced."
    assert str(found[0].html) == "<del>Nepal</del> <ins>Kenya</ins>"


@pytest.fixture
def story(webmaster, media_root, site_domain):
    Tag.objects.create(name="Renewable energy")
    story = case_submit(**submission(themes=["Renewable energy"]))
    mail.outbox.clear()
    return story


def edit(story, **fields):
    CaseStory.objects.filter(pk=story.pk).update(**fields)
    return CaseStory.objects.get(pk=story.pk)


def test_the_copy_as_sent_stays_unchanged_when_the_webmaster_edits(story):
    sent = story.submissions.get()
    before = dict(sent.fields)
    edited = edit(story, title="Solar pumps bring ten jobs", challenge="Diesel was too expensive.")

    sent.refresh_from_db()
    assert sent.fields == before == {**story_fields(story), "title": "Solar pumps for rice farmers"}
    assert [c.name for c in edits_since_sent(edited)] == ["title", "challenge"]


def test_the_change_form_shows_what_the_webmaster_changed(webmaster_client, story):
    edit(story, challenge='Diesel was too <script>alert("x")</script> expensive.')

    html = html_of(webmaster_client.get(CHANGE.format(story.pk)))

    assert "Your edits to what the contributor sent" in html
    assert '<table class="case-diff">' in html
    assert "<ins>too &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; </ins>" in html
    assert '<script>alert("x")</script>' not in html
    assert "The challenge" in html.split('class="case-diff"', 1)[1]


def test_an_unedited_story_says_so(webmaster_client, story):
    assert "Nothing: the story is as the contributor sent it." in html_of(webmaster_client.get(CHANGE.format(story.pk)))


def test_the_published_email_says_the_text_was_edited_and_links_to_the_status_page(story, webmaster):
    case_publish(case=edit(story, title="Solar pumps bring ten jobs"), by=webmaster)

    [message] = mail.outbox
    status = f"http://greenjobs.example/cases/status/{story.status_token}/"
    assert "The webmaster edited your story before publishing it" in message.body and status in message.body
    assert f'<a href="{status}">' in message.alternatives[0][0]


def test_the_published_email_of_an_unedited_story_does_not_say_edited(story, webmaster):
    case_publish(case=story, by=webmaster)
    [message] = mail.outbox
    assert "edited" not in message.body
    assert f"http://greenjobs.example/cases/status/{story.status_token}/" in message.body


def test_the_status_page_shows_what_was_sent_and_what_the_webmaster_changed(story, webmaster):
    case_publish(case=edit(story, job_results="Ten technicians hired, with contracts."), by=webmaster)

    html = html_of(Client().get(story.get_status_url()))

    changed = html.split('id="changes-title"', 1)[1].split("</section>", 1)[0]
    assert "Results for jobs and working conditions" in changed
    assert "<del>hired.</del> <ins>hired, with contracts.</ins>" in changed
    assert "Ten technicians hired.</p>" in html.split('class="prose case-sent"', 1)[1]  # as sent
    assert f'href="{story.get_absolute_url()}"' in html  # and the published story
