import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete
from django.test import Client
from django.urls import reverse
from taggit.models import Tag, TaggedItem

from cases.models import CaseStory
from greenjobs.discovery.theme_services import themes_merge
from greenjobs.models import SearchDocument
from tests.search.factories import CourseFactory, case

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:taggit_tag_changelist")


@pytest.fixture
def themes(db):
    solar = Tag.objects.create(name="Solar")
    solar_power = Tag.objects.create(name="Solar power")
    pv = Tag.objects.create(name="Photovoltaics")
    return solar, solar_power, pv


def post_action(client, tags, **extra):
    data = {"action": "merge_themes", ACTION_CHECKBOX_NAME: [tag.pk for tag in tags], **extra}
    return client.post(CHANGELIST, data)


def test_merge_moves_items_avoids_duplicates_and_deletes_the_rest(themes):
    solar, solar_power, pv = themes
    both = case(themes=["Solar", "Solar power"])
    only_power = case(themes=["Solar power", "Photovoltaics"])
    course = CourseFactory(themes=["Photovoltaics"])

    moved = themes_merge(keep=solar, merged=[solar_power, pv])

    assert moved == 2
    assert list(Tag.objects.values_list("name", flat=True)) == ["Solar"]
    assert [t.name for t in both.themes.all()] == ["Solar"]
    assert [t.name for t in only_power.themes.all()] == ["Solar"]
    assert [t.name for t in course.themes.all()] == ["Solar"]
    assert TaggedItem.objects.count() == 3
    assert set(SearchDocument.objects.values_list("themes", flat=True)) == {"Solar"}
    assert list(SearchDocument.objects.values_list("theme_ids", flat=True)) == [[solar.pk]] * 3


def test_merge_is_one_transaction(themes):
    solar, solar_power, _pv = themes
    case(themes=["Solar power"])

    def fail_after_the_move(sender, instance, **kwargs):
        raise RuntimeError("the last step failed")

    post_delete.connect(fail_after_the_move, sender=Tag, dispatch_uid="test-merge-fails")
    try:
        with pytest.raises(RuntimeError):
            themes_merge(keep=solar, merged=[solar_power])
    finally:
        post_delete.disconnect(dispatch_uid="test-merge-fails", sender=Tag)
    assert Tag.objects.count() == 3
    assert TaggedItem.objects.get().tag == solar_power


def test_webmaster_merges_through_the_intermediate_page(webmaster_client, themes):
    solar, solar_power, pv = themes
    story = case(themes=["Solar power", "Photovoltaics"])

    page = post_action(webmaster_client, [solar, solar_power, pv])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Theme to keep" in html
    for tag in themes:
        assert f'value="{tag.pk}"' in html

    response = post_action(webmaster_client, [solar, solar_power, pv], confirm="yes", keep=solar_power.pk)

    assert response.status_code == 302
    assert list(Tag.objects.values_list("name", flat=True)) == ["Solar power"]
    assert [t.name for t in CaseStory.objects.get(pk=story.pk).themes.all()] == ["Solar power"]
    messages = [str(m) for m in webmaster_client.get(CHANGELIST).context["messages"]]
    assert any("Merged 2 themes into “Solar power”" in m for m in messages)


def test_merge_needs_a_kept_theme_among_the_selected(webmaster_client, themes):
    solar, solar_power, pv = themes
    response = post_action(webmaster_client, [solar, solar_power], confirm="yes", keep=pv.pk)
    assert response.status_code == 200
    assert "Please choose the theme to keep." in response.content.decode()
    assert Tag.objects.count() == 3


def test_merge_needs_two_themes(webmaster_client, themes):
    response = post_action(webmaster_client, [themes[0]], confirm="yes", keep=themes[0].pk)
    assert response.status_code == 302
    assert Tag.objects.count() == 3


def test_superuser_can_merge_and_anonymous_cannot(superuser_client, themes):
    solar, solar_power, _ = themes
    anonymous = post_action(Client(), [solar, solar_power], confirm="yes", keep=solar.pk)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous.url
    assert Tag.objects.count() == 3

    post_action(superuser_client, [solar, solar_power], confirm="yes", keep=solar.pk)
    assert Tag.objects.count() == 2


def test_changelist_shows_item_counts(webmaster_client, themes):
    case(themes=["Solar"])
    response = webmaster_client.get(CHANGELIST)
    assert response.status_code == 200
    assert "Merge themes" in response.content.decode()
    assert ContentType.objects.get_for_model(Tag).app_label == "taggit"


def test_search_index_admin_is_read_only(superuser_client):
    case(title="Indexed story")
    response = superuser_client.get(reverse("admin:greenjobs_searchdocument_changelist"))
    assert response.status_code == 200
    assert "Indexed story" in response.content.decode()
    assert superuser_client.get(reverse("admin:greenjobs_searchdocument_add")).status_code == 403
