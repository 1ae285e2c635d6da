"""The story admin fitted to the work: the pending queue, one row of buttons, publish and go on, ask for
changes with a ready-made text, preview of unsaved edits, themes ticked from the list, no link to a 403."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from taggit.models import Tag

from cases.models import CaseStory, ModerationDecision, Status
from cases.reasons import CHANGE_REQUESTS, REJECTION_REASONS

from .conftest import html_of
from .factories import CaseStoryFactory, TagFactory
from .test_admin import CHANGELIST, change_data

pytestmark = pytest.mark.django_db


def change_url(story) -> str:
    return f"{CHANGELIST}{story.pk}/change/"


# --- The list -------------------------------------------------------------------------------------


def test_the_list_opens_on_the_pending_stories_and_all_is_a_choice(webmaster_client):
    CaseStoryFactory(title="Waiting story", pending=True)
    CaseStoryFactory(title="Published story")

    response = webmaster_client.get(CHANGELIST)
    assert response.status_code == 302 and response["Location"] == f"{CHANGELIST}?status__exact=pending"

    html = html_of(webmaster_client.get(response["Location"]))
    assert "Waiting story" in html and "Published story" not in html
    assert 'href="?status__exact=all"' in html
    everything = html_of(webmaster_client.get(f"{CHANGELIST}?status__exact=all"))
    assert "Waiting story" in everything and "Published story" in everything
    assert "Published story" in html_of(webmaster_client.get(f"{CHANGELIST}?q=Published"))


def test_the_pending_list_shows_what_triage_needs(webmaster_client, django_assert_max_num_queries):
    wind, solar = TagFactory(name="Wind power"), TagFactory(name="Solar power")
    for n in range(5):
        CaseStoryFactory(
            title=f"Pending {n}",
            pending=True,
            summary=f"Summary of story {n}: twenty workers retrofit homes.",
            country="KE",
            organisation_type="workers",
            themes=[wind, solar],
            submitted_at=timezone.make_aware(timezone.datetime(2026, 3, 4 + n, 9, 0)),
            photo_file=False,
        )

    with django_assert_max_num_queries(12):
        html = html_of(webmaster_client.get(f"{CHANGELIST}?status__exact=pending"))

    row = html.split("Pending 0", 1)[1].split("</tr>", 1)[0]
    assert "Summary of story 0: twenty workers retrofit homes." in row
    assert "Solar power, Wind power" in row and "Kenya" in row and "Workers&#x27; organisation" in row
    assert "4 Mar 2026" in row and "column-status" not in html  # one status: no status column
    for column in ("column-summary_start", "column-theme_names", "column-country", "column-organisation_kind"):
        assert column in html


def test_the_country_and_theme_filters_list_only_values_in_use(webmaster_client):
    TagFactory(name="Unused theme")
    CaseStoryFactory(country="NP", themes=[TagFactory(name="Used theme")], photo_file=False)
    CaseStoryFactory(country="KE", pending=True, photo_file=False)

    html = html_of(webmaster_client.get(f"{CHANGELIST}?status__exact=all"))

    countries = html.split("By country", 1)[1].split("</ul>", 1)[0]
    assert re.findall(r'<a href="[^"]*country=(\w+)', countries) == ["KE", "NP"]
    assert "Kenya" in countries and "Nepal" in countries and "Zimbabwe" not in html
    themes = html.split("By themes", 1)[1].split("</ul>", 1)[0]
    assert "Used theme" in themes and "Unused theme" not in themes


def test_moderated_by_and_the_decision_history_never_link_to_a_user_page(webmaster_client, webmaster):
    story = CaseStoryFactory(pending=True, photo_file=False)
    ModerationDecision.objects.create(case=story, by=webmaster, action="changes_requested", reason="Add figures.")
    ModerationDecision.objects.create(case=story, by=None, action="resent")
    CaseStory.objects.filter(pk=story.pk).update(moderated_by=webmaster)

    html = html_of(webmaster_client.get(change_url(story)))

    assert "/admin/auth/user/" not in html
    moderation = html.split("field-moderated_by_name", 1)[1].split("</div>\n", 3)[0]
    assert "webmaster" in moderation
    assert "the contributor" in html and "Sent again by the contributor" in html
    assert webmaster_client.get(f"/admin/auth/user/{webmaster.pk}/change/").status_code == 403


# --- The change form ----------------------------------------------------------------------------


def submit_names(html: str) -> list[str]:
    row = html.split('class="submit-row case-buttons"', 1)[1].split("</div>", 1)[0]
    return re.findall(r'<input type="submit"[^>]*name="(\w+)"', row)


def test_one_row_of_buttons_publishing_first(webmaster_client):
    story = CaseStoryFactory(pending=True, photo_file=False)
    html = html_of(webmaster_client.get(change_url(story)))

    assert html.count('class="submit-row') == 1
    names = submit_names(html)
    assert names[0] == "_continue"  # hidden: what Enter in a text field does (save, stay on the story)
    assert names[1:] == ["_publish", "_publish_next", "_changes", "_reject", "_preview", "_continue"]
    hidden = re.search(r'<input type="submit"[^>]*name="_continue"[^>]*>', html).group(0)
    assert 'tabindex="-1"' in hidden and 'aria-hidden="true"' in hidden
    assert 'formtarget="_blank"' in re.search(r'<input[^>]*name="_preview"[^>]*>', html).group(0)


def test_published_and_rejected_stories_offer_only_what_fits(webmaster_client):
    published = submit_names(html_of(webmaster_client.get(change_url(CaseStoryFactory(photo_file=False)))))
    assert published[1:] == ["_reject", "_preview", "_continue"]
    rejected = submit_names(html_of(webmaster_client.get(change_url(CaseStoryFactory(rejected=True)))))
    assert rejected[1:] == ["_publish", "_publish_next", "_preview", "_continue"]


def test_the_summary_is_a_textarea_and_themes_are_checkboxes(webmaster_client):
    TagFactory(name="Wind power")
    story = CaseStoryFactory(pending=True, photo_file=False)
    html = html_of(webmaster_client.get(change_url(story)))
    assert re.search(r'<textarea name="summary"[^>]*>', html)
    assert re.search(r'<input type="checkbox" name="themes" value="\d+"', html) and "Wind power" in html
    assert not re.search(r'<input type="text" name="themes"', html)


def test_a_typed_theme_is_refused_and_creates_nothing(webmaster_client):
    story = CaseStoryFactory(pending=True, photo_file=False)
    response = webmaster_client.post(change_url(story), change_data(webmaster_client, story, themes="Solr power"))
    assert response.status_code == 200
    assert "is not one of the themes" in html_of(response)
    assert not Tag.objects.filter(name__icontains="solr").exists()


def test_themes_are_saved_from_the_checkboxes(webmaster_client):
    wind = TagFactory(name="Wind power")
    story = CaseStoryFactory(pending=True, photo_file=False)
    response = webmaster_client.post(change_url(story), change_data(webmaster_client, story, themes=[wind.pk]))
    assert response.status_code == 302
    assert list(story.themes.names()) == ["Wind power"]


def test_publish_and_open_the_next_pending_story(webmaster_client, django_capture_on_commit_callbacks):
    now = timezone.now()
    newer = CaseStoryFactory(title="Newer", pending=True, submitted_at=now, photo_file=False)
    older = CaseStoryFactory(title="Older", pending=True, submitted_at=now - timezone.timedelta(days=1))

    with django_capture_on_commit_callbacks(execute=True):
        response = webmaster_client.post(
            change_url(newer), change_data(webmaster_client, newer, _publish_next="Publish and open the next")
        )

    assert response.status_code == 302 and response["Location"] == change_url(older)
    newer.refresh_from_db()
    assert newer.status == Status.PUBLISHED and len(mail.outbox) == 1

    last = webmaster_client.post(change_url(older), change_data(webmaster_client, older, _publish_next="Publish"))
    assert last["Location"] == f"{CHANGELIST}?status__exact=pending"
    assert "No more stories wait for review." in html_of(webmaster_client.get(last["Location"]))


def test_ask_for_changes_from_the_change_form_saves_then_asks_for_the_note(webmaster_client, site_domain):
    story = CaseStoryFactory(pending=True, photo_file=False, title="Typo tittle")
    response = webmaster_client.post(
        change_url(story), change_data(webmaster_client, story, title="Fixed title", _changes="Ask for changes…")
    )
    assert response.status_code == 302 and response["Location"] == f"{CHANGELIST}{story.pk}/changes/"
    story.refresh_from_db()
    assert story.title == "Fixed title" and story.status == Status.PENDING

    page = html_of(webmaster_client.get(response["Location"]))
    assert "Note, sent to the contributor" in page and "Fixed title" in page
    done = webmaster_client.post(response["Location"], {"reason": "Please add figures on jobs."})
    assert done.status_code == 302 and done["Location"] == change_url(story)
    story.refresh_from_db()
    assert story.status == Status.CHANGES_REQUESTED and story.decision_reason == "Please add figures on jobs."
    assert "Please add figures on jobs." in mail.outbox[0].body


def test_reject_from_the_change_form_goes_to_the_reason_page(webmaster_client):
    story = CaseStoryFactory(pending=True, photo_file=False)
    response = webmaster_client.post(change_url(story), change_data(webmaster_client, story, _reject="Reject…"))
    assert response["Location"] == f"{CHANGELIST}{story.pk}/reject/"


# --- Ready-made texts ----------------------------------------------------------------------------


@pytest.mark.parametrize(("page", "texts"), [("changes", CHANGE_REQUESTS), ("reject", REJECTION_REASONS)])
def test_decision_pages_offer_ready_made_texts_that_work_without_javascript(webmaster_client, page, texts):
    story = CaseStoryFactory(pending=True, photo_file=False)
    url = f"{CHANGELIST}{story.pk}/{page}/"
    key, label, text = texts[0]

    html = html_of(webmaster_client.get(url))
    assert f'type="radio" name="ready_made" value="{key}"' in html and str(label) in html and str(text) in html
    assert "/static/cases/admin-reasons.js" in html

    filled = html_of(webmaster_client.post(url, {"ready_made": key, "reason": "", "_fill": "Use this text"}))
    assert re.search(rf'<textarea name="reason"[^>]*>\n{re.escape(str(text))}</textarea>', filled)
    story.refresh_from_db()
    assert story.status == Status.PENDING  # nothing decided yet

    edited = f"{text} And thank you!"
    assert webmaster_client.post(url, {"ready_made": key, "reason": edited}).status_code == 302
    story.refresh_from_db()
    assert story.decision_reason == edited


def test_a_ready_made_text_left_unedited_is_sent_as_it_is(webmaster_client):
    story = CaseStoryFactory(pending=True, photo_file=False)
    key, _, text = CHANGE_REQUESTS[1]
    assert (
        webmaster_client.post(f"{CHANGELIST}{story.pk}/changes/", {"ready_made": key, "reason": ""}).status_code == 302
    )
    story.refresh_from_db()
    assert story.decision_reason == str(text)


def test_no_text_at_all_is_a_clear_error(webmaster_client):
    story = CaseStoryFactory(pending=True, photo_file=False)
    response = webmaster_client.post(f"{CHANGELIST}{story.pk}/changes/", {"reason": "  ", "ready_made": "nonsense"})
    assert response.status_code == 200
    html = html_of(response)
    assert "This field is required." in html or "Select a valid choice" in html
    story.refresh_from_db()
    assert story.status == Status.PENDING


def test_changes_can_be_asked_only_of_a_pending_story(webmaster_client):
    story = CaseStoryFactory(photo_file=False)
    response = webmaster_client.post(f"{CHANGELIST}{story.pk}/changes/", {"reason": "Add figures."}, follow=True)
    assert "changes can be asked only of a story waiting for review" in html_of(response)
    story.refresh_from_db()
    assert story.status == Status.PUBLISHED
    assert webmaster_client.get(f"{CHANGELIST}999999/changes/").status_code == 404


def test_the_bulk_action_asks_for_changes_to_the_pending_stories_only(webmaster_client):
    pending, published = CaseStoryFactory(pending=True, photo_file=False), CaseStoryFactory(photo_file=False)
    selection = {"action": "request_changes_selected", "_selected_action": [pending.pk, published.pk]}

    page = html_of(webmaster_client.post(CHANGELIST + "?status__exact=all", selection))
    assert "Note, sent to the contributor" in page and 'value="request_changes_selected"' in page

    done = webmaster_client.post(
        CHANGELIST + "?status__exact=all", {**selection, "reason": "Add figures."}, follow=True
    )
    html = html_of(done)
    assert "1 story sent back to its contributor for changes." in html
    assert "1 story was left as it was" in html
    pending.refresh_from_db()
    published.refresh_from_db()
    assert pending.status == Status.CHANGES_REQUESTED and published.status == Status.PUBLISHED
    assert [m.to for m in mail.outbox] == [[pending.contributor_email]]


# --- Preview of unsaved edits --------------------------------------------------------------------


def test_preview_shows_the_posted_edits_without_saving(webmaster_client):
    wind = TagFactory(name="Wind power")
    story = CaseStoryFactory(pending=True, title="Saved title", challenge="Saved challenge.", photo_file=False)

    response = webmaster_client.post(
        change_url(story),
        change_data(
            webmaster_client,
            story,
            title="Unsaved <em>title</em>",
            challenge="Unsaved challenge.",
            themes=[wind.pk],
            _preview="Preview",
        ),
    )

    assert response.status_code == 200
    html = html_of(response)
    assert "<h1>Unsaved &lt;em&gt;title&lt;/em&gt;</h1>" in html and "Unsaved challenge." in html
    assert "Wind power" in html
    assert "Not published: preview" in html and "unsaved edits" in html
    assert '<meta name="robots" content="noindex">' in html and "application/ld+json" not in html
    assert "no-store" in response["Cache-Control"]
    story.refresh_from_db()
    assert story.title == "Saved title" and story.challenge == "Saved challenge." and not story.themes.exists()


def test_preview_with_errors_shows_the_form_and_saves_nothing(webmaster_client):
    story = CaseStoryFactory(pending=True, title="Saved title", photo_file=False)
    response = webmaster_client.post(change_url(story), change_data(webmaster_client, story, title="", _preview="P"))
    assert response.status_code == 200 and "This field is required." in html_of(response)
    story.refresh_from_db()
    assert story.title == "Saved title"


def test_preview_is_for_moderators_only(staff_without_rights_client):
    story = CaseStoryFactory(pending=True, photo_file=False)
    anonymous = Client().post(change_url(story), {"title": "x", "_preview": "Preview"})
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
    assert staff_without_rights_client.post(change_url(story), {"title": "x", "_preview": "P"}).status_code == 403


@pytest.fixture
def staff_without_rights_client(django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.create_user("intern", "i@example.org", "pass-123", is_staff=True))
    return client


def test_the_add_form_has_no_comparison_and_saves_like_before(webmaster_client):
    html = html_of(webmaster_client.get(f"{CHANGELIST}add/"))
    assert "What changed" not in html and 'name="_save"' in html
    assert 'name="_publish"' not in html and 'name="_preview"' not in html
