"""Moderation in the Django admin, and the permission matrix: anonymous, contributor, webmaster, superuser."""

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from cases.models import CaseStory, ModerationDecision, Status

from . import images
from .conftest import media_files
from .factories import CaseStoryFactory, TagFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/cases/casestory/"


@pytest.fixture
def contributor(django_user_model):
    """Someone with an account but no staff access (contributors need none)."""
    return django_user_model.objects.create_user("contributor", "c@example.org", "contributor-pass-123")


@pytest.fixture
def staff_without_rights(django_user_model):
    return django_user_model.objects.create_user("intern", "i@example.org", "intern-pass-123", is_staff=True)


def logged_in(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture(params=["webmaster", "superuser"])
def moderator(request):
    return request.getfixturevalue(request.param)


def story_urls(story):
    return [
        CHANGELIST,
        f"{CHANGELIST}{story.pk}/change/",
        f"{CHANGELIST}{story.pk}/reject/",
        "/admin/",
    ]


@pytest.mark.parametrize("who", ["anonymous", "contributor"])
def test_anonymous_and_contributors_are_sent_to_the_login_page(request, who):
    user = None if who == "anonymous" else request.getfixturevalue("contributor")
    story = CaseStoryFactory(pending=True)
    client = logged_in(user)
    for url in story_urls(story):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url
    response = client.post(f"{CHANGELIST}{story.pk}/publish/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    story.refresh_from_db()
    assert story.status == Status.PENDING


def test_staff_without_the_cases_permissions_cannot_moderate(staff_without_rights):
    story = CaseStoryFactory(pending=True)
    client = logged_in(staff_without_rights)
    assert client.get(CHANGELIST).status_code == 403
    assert client.post(f"{CHANGELIST}{story.pk}/publish/").status_code == 403
    assert client.post(f"{CHANGELIST}{story.pk}/reject/", {"reason": "No"}).status_code == 403
    assert "wait for review" not in client.get("/admin/").content.decode()
    story.refresh_from_db()
    assert story.status == Status.PENDING


def test_moderators_see_pending_first_with_the_columns_and_filters(moderator):
    now = timezone.now()
    CaseStoryFactory(
        title="Published older", submitted_at=now - timezone.timedelta(days=3), themes=[TagFactory(name="Wind")]
    )
    CaseStoryFactory(title="Pending oldest", pending=True, submitted_at=now - timezone.timedelta(days=9))
    CaseStoryFactory(title="Rejected newest", rejected=True, submitted_at=now)

    response = logged_in(moderator).get(f"{CHANGELIST}?status__exact=all")

    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Pending oldest") < html.index("Rejected newest") < html.index("Published older")
    for column in ("column-title", "column-country", "column-submitted_on", "column-status", "column-thumbnail"):
        assert column in html
    assert '<img src="/media/cases/photos/' in html
    for choice in ("By status", "By country", "By themes", "By submitted at"):
        assert choice in html
    assert "Publish selected stories" in html and "Reject selected stories" in html
    assert "Ask for changes to selected stories" in html


def test_search_and_status_filter(moderator):
    CaseStoryFactory(title="Solar in Nepal", pending=True)
    CaseStoryFactory(title="Bamboo furniture")
    client = logged_in(moderator)
    html = client.get(f"{CHANGELIST}?q=solar").content.decode()
    assert "Solar in Nepal" in html and "Bamboo furniture" not in html
    html = client.get(f"{CHANGELIST}?status__exact=published").content.decode()
    assert "Bamboo furniture" in html and "Solar in Nepal" not in html


def test_publish_action_uses_the_service(moderator, site_domain, django_capture_on_commit_callbacks):
    stories = [CaseStoryFactory(pending=True), CaseStoryFactory(pending=True)]
    client = logged_in(moderator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CHANGELIST,
            {"action": "publish_selected", "_selected_action": [s.pk for s in stories]},
            follow=True,
        )

    assert response.status_code == 200
    assert "2 stories published." in response.content.decode()
    assert CaseStory.objects.published().count() == 2
    assert ModerationDecision.objects.filter(action="published", by=moderator).count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(s.contributor_email for s in stories)
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert all(f"http://greenjobs.example/cases/{s.slug}/" in bodies[s.contributor_email] for s in stories)


def test_reject_action_asks_for_a_reason_on_an_intermediate_page(moderator, django_capture_on_commit_callbacks):
    story = CaseStoryFactory(pending=True)
    client = logged_in(moderator)
    selection = {"action": "reject_selected", "_selected_action": [story.pk]}

    page = client.post(CHANGELIST, selection)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Reason, sent to the contributor" in html and story.title in html
    story.refresh_from_db()
    assert story.status == Status.PENDING

    empty = client.post(CHANGELIST, {**selection, "reason": "  "})
    assert empty.status_code == 200 and "This field is required." in empty.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(CHANGELIST, {**selection, "reason": "Please add figures on jobs."}, follow=True)
    assert "1 story rejected." in done.content.decode()
    story.refresh_from_db()
    assert story.status == Status.REJECTED and story.decision_reason == "Please add figures on jobs."
    assert "Please add figures on jobs." in mail.outbox[0].body
    assert "Please add figures on jobs." in Client().get(story.get_status_url()).content.decode()


def test_change_form_has_publish_reject_preview_and_history(moderator):
    story = CaseStoryFactory(pending=True)
    ModerationDecision.objects.create(case=story, by=moderator, action="rejected", reason="Earlier: too short")

    html = logged_in(moderator).get(f"{CHANGELIST}{story.pk}/change/").content.decode()

    assert 'name="_publish"' in html and "Save and publish" in html
    assert 'name="_reject"' in html and 'name="_changes"' in html and 'name="_preview"' in html
    assert f'href="/cases/{story.slug}/"' in html and "Preview" in html
    assert "Decision history" in html and "Earlier: too short" in html
    assert story.contributor_email in html  # visible to moderators only


def test_change_form_of_a_published_story_offers_to_unpublish_it_not_to_publish_it(moderator):
    story = CaseStoryFactory()

    html = logged_in(moderator).get(f"{CHANGELIST}{story.pk}/change/").content.decode()

    assert "Unpublish (reject)…" in html
    assert 'name="_publish"' not in html and 'name="_changes"' not in html
    assert "Preview the saved version" not in html


def test_the_webmaster_edits_the_text_and_publishes_in_one_click(moderator):
    story = CaseStoryFactory(pending=True, title="Typo tittle")
    client = logged_in(moderator)
    data = change_data(client, story, title="Fixed title", _publish="Save and publish")

    response = client.post(f"{CHANGELIST}{story.pk}/change/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    story.refresh_from_db()
    assert story.title == "Fixed title" and story.status == Status.PUBLISHED
    assert ModerationDecision.objects.get().by == moderator


def test_reject_button_page_and_publish_button(moderator, django_capture_on_commit_callbacks):
    story = CaseStoryFactory(pending=True)
    client = logged_in(moderator)

    assert client.get(f"{CHANGELIST}{story.pk}/reject/").status_code == 200
    assert client.get(f"{CHANGELIST}{story.pk}/publish/").status_code == 302  # GET changes nothing
    story.refresh_from_db()
    assert story.status == Status.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{CHANGELIST}{story.pk}/reject/", {"reason": "Not about jobs."})
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == Status.REJECTED
    assert len(mail.outbox) == 1

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{CHANGELIST}{story.pk}/publish/")
    story.refresh_from_db()
    assert story.status == Status.PUBLISHED and story.decision_reason == ""
    assert [d.action for d in story.decisions.order_by("at", "pk")] == ["rejected", "published"]
    assert len(mail.outbox) == 2


def test_unknown_story_decision_urls_are_404(moderator):
    client = logged_in(moderator)
    assert client.post(f"{CHANGELIST}999999/publish/").status_code == 404
    assert client.get(f"{CHANGELIST}999999/reject/").status_code == 404


def test_admin_index_counts_stories_waiting_for_review(moderator):
    CaseStoryFactory(pending=True)
    CaseStoryFactory(pending=True)
    CaseStoryFactory()
    html = logged_in(moderator).get("/admin/").content.decode()
    assert "2 stories wait for review." in html
    assert 'href="/admin/cases/casestory/?status__exact=pending"' in html


def test_admin_index_says_when_the_queue_is_empty(webmaster):
    assert "No stories wait for review." in logged_in(webmaster).get("/admin/").content.decode()


def test_webmaster_cannot_manage_users(webmaster):
    assert logged_in(webmaster).get("/admin/auth/user/").status_code == 403


def change_data(client, story, **overrides):
    """What the story's admin change form posts as it stands (no inline rows), with ``overrides``."""
    form = client.get(f"{CHANGELIST}{story.pk}/change/").context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields if name not in {"themes", "new_photo"}}
    data.update(
        {
            "decisions-TOTAL_FORMS": "0",
            "decisions-INITIAL_FORMS": "0",
            "decisions-MIN_NUM_FORMS": "0",
            "decisions-MAX_NUM_FORMS": "1000",
            "translations-TOTAL_FORMS": "0",
            "translations-INITIAL_FORMS": "0",
        }
    )
    data.update(overrides)
    return data


def test_the_webmaster_replaces_a_photo_through_the_same_checks(
    webmaster, media_root, django_capture_on_commit_callbacks
):
    story = CaseStoryFactory(pending=True)
    old_files = media_files(media_root)
    client = logged_in(webmaster)

    bad = client.post(f"{CHANGELIST}{story.pk}/change/", change_data(client, story, new_photo=images.svg()))
    assert bad.status_code == 200
    assert "Upload a JPEG, PNG or WebP photo of at most 10 MB" in bad.content.decode()
    assert media_files(media_root) == old_files

    with django_capture_on_commit_callbacks(execute=True):
        good = client.post(
            f"{CHANGELIST}{story.pk}/change/",
            change_data(
                client, story, new_photo=images.upload(content=images.image_bytes(size=(1500, 1000), exif=True))
            ),
        )
    assert good.status_code == 302
    story.refresh_from_db()
    assert (story.photo_width, story.photo_height) == (1000, 1500)
    files = media_files(media_root)
    assert len(files) == 4 and not set(files) & set(old_files)
