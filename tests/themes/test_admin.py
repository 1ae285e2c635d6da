import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models.signals import post_delete
from django.test import Client
from django.urls import reverse
from taggit.models import Tag, TaggedItem

from cases.models import CaseStory
from greenjobs.discovery.theme_services import theme_save, themes_merge
from greenjobs.models import SearchDocument, ThemeAlias
from tests.search.factories import CourseFactory, EventFactory, case

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:greenjobs_theme_changelist")
ADD = reverse("admin:greenjobs_theme_add")


def change_url(tag):
    return reverse("admin:greenjobs_theme_change", args=[tag.pk])


@pytest.fixture
def themes(db):
    solar = Tag.objects.create(name="Solar")
    solar_power = Tag.objects.create(name="Solar power")
    pv = Tag.objects.create(name="Photovoltaics")
    return solar, solar_power, pv


# The names-in-other-languages inline, left empty, as the browser sends it.
NO_TRANSLATION = {"translation-TOTAL_FORMS": "1", "translation-INITIAL_FORMS": "0"}


def post_action(client, tags, **extra):
    data = {"action": "merge_themes", ACTION_CHECKBOX_NAME: [tag.pk for tag in tags], **extra}
    return client.post(CHANGELIST, data)


# --- Merging -----------------------------------------------------------------------------------


def test_merge_moves_items_avoids_duplicates_deletes_the_rest_and_keeps_their_slugs(themes):
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
    assert dict(ThemeAlias.objects.values_list("slug", "theme")) == {"solar-power": solar.pk, "photovoltaics": solar.pk}


def test_a_second_merge_carries_the_first_ones_old_slugs_along(themes):
    solar, solar_power, pv = themes
    themes_merge(keep=solar_power, merged=[pv])
    themes_merge(keep=solar, merged=[solar_power])
    assert dict(ThemeAlias.objects.values_list("slug", "theme")) == {"photovoltaics": solar.pk, "solar-power": solar.pk}


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
    assert not ThemeAlias.objects.exists()


def test_merge_page_shows_slugs_and_counts_per_kind_then_what_will_move(webmaster_client, themes):
    solar, solar_power, pv = themes
    case(themes=["Solar power", "Photovoltaics"])
    case(themes=["Solar power", "Solar"], pending=True)
    EventFactory().themes.add("Solar power")
    CourseFactory(themes=["Photovoltaics"])

    first = post_action(webmaster_client, [solar, solar_power, pv])
    assert first.status_code == 200
    html = first.content.decode()
    assert "Theme to keep" in html
    for tag in themes:
        assert f'value="{tag.pk}"' in html and f"<code>{tag.slug}</code>" in html
    uses = {use.theme.name: (use.counts, use.total) for use in first.context["uses"]}
    assert uses["Solar power"] == ({"Case stories": 2, "Events": 1, "Courses": 0}, 3)
    assert uses["Photovoltaics"] == ({"Case stories": 1, "Events": 0, "Courses": 1}, 2)
    assert uses["Solar"] == ({"Case stories": 1, "Events": 0, "Courses": 0}, 1)
    assert "Case stories" in html and "Courses" in html

    review = post_action(webmaster_client, [solar, solar_power, pv], step="review", keep=solar.pk)
    html = review.content.decode()
    assert review.status_code == 200
    assert "Check what will move" in html and "Yes, merge them" in html
    assert review.context["plan"]["moving"] == [("Case stories", 1), ("Events", 1), ("Courses", 1)]
    assert review.context["plan"]["already"] == [("Case stories", 1)]
    assert "<code>/themes/solar-power/</code>" in html and "<code>/themes/solar/</code>" in html
    assert Tag.objects.count() == 3, "nothing changes before the confirmation"


def test_webmaster_merges_after_confirming(webmaster_client, themes):
    solar, solar_power, pv = themes
    story = case(themes=["Solar power", "Photovoltaics"])

    response = post_action(webmaster_client, [solar, solar_power, pv], step="confirm", keep=solar_power.pk)

    assert response.status_code == 302
    assert list(Tag.objects.values_list("name", flat=True)) == ["Solar power"]
    assert [t.name for t in CaseStory.objects.get(pk=story.pk).themes.all()] == ["Solar power"]
    messages = [str(m) for m in webmaster_client.get(CHANGELIST).context["messages"]]
    assert any("Merged 2 themes into “Solar power”" in m for m in messages)


def test_merge_needs_a_kept_theme_among_the_selected(webmaster_client, themes):
    solar, solar_power, pv = themes
    for step in ("review", "confirm"):
        response = post_action(webmaster_client, [solar, solar_power], step=step, keep=pv.pk)
        assert response.status_code == 200
        assert "Please choose the theme to keep." in response.content.decode()
    assert Tag.objects.count() == 3


def test_merge_needs_two_themes(webmaster_client, themes):
    response = post_action(webmaster_client, [themes[0]], step="confirm", keep=themes[0].pk)
    assert response.status_code == 302
    assert Tag.objects.count() == 3


def test_superuser_can_merge_and_anonymous_cannot(superuser_client, themes):
    solar, solar_power, _ = themes
    anonymous = post_action(Client(), [solar, solar_power], step="confirm", keep=solar.pk)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous.url
    assert Tag.objects.count() == 3

    post_action(superuser_client, [solar, solar_power], step="confirm", keep=solar.pk)
    assert Tag.objects.count() == 2


# --- Themes in the admin: the name, adding, renaming, deleting ---------------------------------


def test_the_admin_calls_them_themes(webmaster_client, themes):
    case(themes=["Solar"])
    index = webmaster_client.get(reverse("admin:index")).content.decode()
    assert f'href="{CHANGELIST}">Themes</a>' in index
    assert ">Tags<" not in index
    listing = webmaster_client.get(CHANGELIST)
    html = listing.content.decode()
    assert listing.status_code == 200
    assert "Select theme to change" in html and "Merge themes" in html
    assert "solar-power" in html


def test_webmaster_adds_a_theme_under_themes(webmaster_client):
    response = webmaster_client.post(ADD, {"name": "Blue economy", **NO_TRANSLATION})
    assert response.status_code == 302
    assert Tag.objects.get().slug == "blue-economy"


@pytest.mark.parametrize("name", ["solar", "Solar!", "  "])
def test_a_theme_name_that_clashes_or_has_no_letters_is_refused(webmaster_client, themes, name):
    response = webmaster_client.post(ADD, {"name": name, **NO_TRANSLATION})
    assert response.status_code == 200
    html = response.content.decode()
    assert "already exists: merge the two instead" in html or "This field is required" in html
    assert Tag.objects.count() == 3


def test_renaming_changes_the_slug_and_keeps_the_old_one(webmaster_client, themes):
    solar = themes[0]
    story = case(themes=["Solar"])

    response = webmaster_client.post(change_url(solar), {"name": "Solar energy", **NO_TRANSLATION})

    assert response.status_code == 302
    solar.refresh_from_db()
    assert (solar.name, solar.slug) == ("Solar energy", "solar-energy")
    assert ThemeAlias.objects.target("solar") == solar
    assert SearchDocument.objects.get(object_id=story.pk).themes == "Solar energy"
    page = webmaster_client.get(change_url(solar)).content.decode()
    assert "solar-energy" in page and "Old addresses" in page


def test_renaming_back_takes_the_slug_back_from_the_aliases(themes):
    solar = themes[0]
    theme_save(name="Solar energy", theme=solar)
    theme_save(name="Solar", theme=solar)
    assert Tag.objects.get(pk=solar.pk).slug == "solar"
    assert list(ThemeAlias.objects.values_list("slug", flat=True)) == ["solar-energy"]


def test_a_new_theme_takes_its_slug_back_from_an_alias(themes):
    solar, solar_power, _pv = themes
    themes_merge(keep=solar, merged=[solar_power])
    again = theme_save(name="Solar power")
    assert again.slug == "solar-power"
    assert not ThemeAlias.objects.filter(slug="solar-power").exists()


def test_deleting_themes_updates_the_search_index(webmaster_client, themes):
    solar, solar_power, _pv = themes
    case(themes=["Solar", "Solar power"])
    data = {"action": "delete_selected", ACTION_CHECKBOX_NAME: [solar.pk, solar_power.pk], "post": "yes"}
    assert webmaster_client.post(CHANGELIST, data).status_code == 302
    assert list(Tag.objects.values_list("name", flat=True)) == ["Photovoltaics"]
    assert SearchDocument.objects.get().themes == ""


def test_search_index_admin_is_read_only(superuser_client):
    case(title="Indexed story")
    response = superuser_client.get(reverse("admin:greenjobs_searchdocument_changelist"))
    assert response.status_code == 200
    assert "Indexed story" in response.content.decode()
    assert superuser_client.get(reverse("admin:greenjobs_searchdocument_add")).status_code == 403
