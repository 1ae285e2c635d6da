"""No admin form creates a theme by typing: every model with themes ticks them from the existing list."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from taggit.managers import TaggableManager
from taggit.models import Tag

from greenjobs.core.adminthemes import ThemeChoiceField

pytestmark = pytest.mark.django_db


def themed_admins():
    return [
        model_admin
        for model, model_admin in admin.site._registry.items()
        if any(isinstance(field, TaggableManager) for field in model._meta.many_to_many)
    ]


def admin_form(model_admin, superuser, data=None):
    request = RequestFactory().get("/")
    request.user = superuser
    return model_admin.get_form(request)(data=data)


def test_stories_events_and_courses_are_the_admins_with_themes():
    labels = {model_admin.model._meta.label for model_admin in themed_admins()}
    assert {"cases.CaseStory", "events.Event", "courses.Course"} <= labels


@pytest.mark.parametrize("model_admin", themed_admins(), ids=lambda model_admin: model_admin.model._meta.label)
def test_the_theme_field_offers_existing_themes_and_refuses_a_typed_one(model_admin, superuser):
    policy = Tag.objects.create(name="Policy")
    Tag.objects.create(name="Skills")

    field = admin_form(model_admin, superuser).fields["themes"]
    assert isinstance(field, ThemeChoiceField)
    assert [choice[1] for choice in field.choices] == ["Policy", "Skills"]
    html = str(admin_form(model_admin, superuser)["themes"])
    assert f'type="checkbox" name="themes" value="{policy.pk}"' in html
    assert "<textarea" not in html and 'type="text"' not in html

    form = admin_form(model_admin, superuser, data={"themes": ["Typo theme", "Policy, Energy"]})
    form.is_valid()
    assert "themes" in form.errors
    assert "is not one of the themes. New themes are added under Themes." in str(form.errors["themes"])
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["Policy", "Skills"]
