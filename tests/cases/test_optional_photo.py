"""A story without a photo: sent, listed and shown as finished pages; the description is needed only with a photo."""

import re

import pytest
from django.core.exceptions import ValidationError
from taggit.models import Tag

from cases.models import CaseStory
from cases.services import case_submit

from . import images
from .conftest import form_data, html_of, media_files, submission
from .factories import CaseStoryFactory

pytestmark = pytest.mark.django_db

DESCRIPTION_ERROR = "Describe the photo for people who cannot see it, or send the story without a photo."


def test_a_story_without_a_photo_is_sent(client, media_root, webmaster):
    response = client.post("/cases/submit/", form_data(photo=None, photo_description=""))

    story = CaseStory.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/submit/thanks/{story.status_token}/"
    assert not story.photo and story.photo_renditions == [] and story.photo_width is None
    assert media_files(media_root) == []


def test_a_description_without_a_photo_is_not_kept(client, webmaster):
    assert client.post("/cases/submit/", form_data(photo=None)).status_code == 302
    assert CaseStory.objects.get().photo_description == ""


def test_with_a_photo_its_description_is_required_and_everything_typed_is_kept(client, media_root):
    response = client.post("/cases/submit/", form_data(photo_description=""))

    assert response.status_code == 200
    html = html_of(response)
    assert DESCRIPTION_ERROR in html and 'href="#id_photo_description"' in html
    assert 'aria-describedby="photo_description-error photo_description-help"' in html
    assert 'value="Solar pumps for rice farmers"' in html and "Diesel was expensive." in html
    assert "please choose your photo again" in html.lower()
    assert not CaseStory.objects.exists() and media_files(media_root) == []


def test_a_bad_photo_is_still_judged_by_its_header(client, media_root):
    html = html_of(client.post("/cases/submit/", form_data(photo=images.bomb_png(), photo_description="")))
    assert "Upload a JPEG, PNG or WebP photo of at most 10 MB" in html
    assert not CaseStory.objects.exists() and media_files(media_root) == []


def test_the_service_takes_a_story_without_a_photo_and_refuses_a_photo_without_description(media_root, webmaster):
    story = case_submit(**submission(photo=None, photo_description=""))
    assert not story.photo

    with pytest.raises(ValidationError) as refused:
        case_submit(**submission(photo_description="  "))
    assert "photo_description" in refused.value.message_dict
    assert CaseStory.objects.count() == 1
    assert media_files(media_root) == []


def test_the_form_says_the_photo_is_optional(client):
    html = html_of(client.get("/cases/submit/"))
    photo = re.search(r'<input type="file" name="photo"[^>]*>', html).group(0)
    assert "required" not in photo
    assert "Optional: JPEG, PNG or WebP, at most 10 MB." in html
    assert "Needed with a photo: describe it for people who cannot see it" in html


# --- Pages without a photo ------------------------------------------------------------------


@pytest.fixture
def photoless(db):
    theme = Tag.objects.create(name="Renewable energy")
    return CaseStoryFactory(
        title="Wind workshop without a photo", photo_file=False, photo_description="", themes=[theme]
    ), theme


def card_of(html: str, title: str) -> str:
    start = html.index(title)
    return html[html.rindex('<article class="card case-card">', 0, start) : html.index("</article>", start)]


def test_a_card_without_a_photo_has_a_tinted_placeholder_and_no_empty_image(client, photoless):
    story, theme = photoless
    CaseStoryFactory(title="Story with a photo")
    for path in ("/cases/", "/", f"/themes/{theme.slug}/"):
        html = html_of(client.get(path))
        card = card_of(html, story.title)
        assert '<svg class="case-card__placeholder"' in card and 'aria-hidden="true"' in card, path
        assert re.search(r'<rect width="60" height="40" fill="#[0-9a-f]{6}"/>', card), path
        assert "<img src=" not in card.split('class="flag"')[0], path  # only the flag is an image
        assert 'src=""' not in html and 'alt=""  width="400"' not in html, path
        with_photo = card_of(html, "Story with a photo") if "Story with a photo" in html else ""
        assert not with_photo or "case-card__placeholder" not in with_photo


def test_stories_of_one_theme_share_the_placeholder_tint(client, photoless):
    story, theme = photoless
    CaseStoryFactory(title="Second photoless story", photo_file=False, themes=[theme])
    html = html_of(client.get("/cases/"))
    tints = {re.search(r'fill="(#[0-9a-f]{6})"', card_of(html, title)).group(1) for title in (story.title, "Second")}
    assert len(tints) == 1


def test_a_story_page_without_a_photo_has_no_figure(client, photoless):
    story, _ = photoless
    response = client.get(story.get_absolute_url())
    html = html_of(response)
    assert response.status_code == 200
    assert "<figure" not in html and "srcset" not in html
    assert 'property="og:image"' not in html
    assert '"image"' not in html.split('application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<h2>The challenge</h2>" in html


def test_feeds_list_a_story_without_a_photo(client, photoless):
    story, theme = photoless
    for path in ("/cases/feed/", "/cases/feed/atom/", f"/themes/{theme.slug}/feed/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert story.title in response.content.decode(), path
