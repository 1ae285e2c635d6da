"""Themes in admin forms: ticked from the existing list, never typed, so a typo cannot create a public theme.

New themes are made only under *Themes* in the admin. ``ThemeChoiceAdminMixin`` on a ModelAdmin swaps
django-taggit's free-text field for ``ThemeChoiceField`` (a form that declares its own field can use
``theme_formfield``); the model form saves the choice with ``instance.themes.set(...)`` (taggit's
``save_form_data``).
"""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import Tag


class ThemeCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes in columns inside a box that scrolls, so hundreds of themes stay one screen tall
    (``.theme-choices`` in static/admin/greenjobs.css, which templates/admin/base_site.html loads)."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "theme-choices", **(attrs or {})})


class ThemeChoiceField(forms.ModelMultipleChoiceField):
    """Existing themes only, by name; an unknown value is an error, never a new theme."""

    widget = ThemeCheckboxes
    default_error_messages = {
        "invalid_choice": _("“%(value)s” is not one of the themes. New themes are added under Themes."),
        "invalid_pk_value": _("“%(pk)s” is not one of the themes. New themes are added under Themes."),
    }

    def __init__(self, queryset=None, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", capfirst(_("themes")))
        super().__init__(queryset=Tag.objects.order_by("name") if queryset is None else queryset, **kwargs)


def theme_formfield(db_field: TaggableManager, **kwargs) -> ThemeChoiceField:
    """The theme field for a model's TaggableManager, keeping its label, help text and whether it is required."""
    defaults = {
        "label": capfirst(db_field.verbose_name),
        "help_text": db_field.help_text,
        "required": not db_field.blank,
    }
    return ThemeChoiceField(**{**defaults, **kwargs})


class ThemeChoiceAdminMixin:
    """For a ModelAdmin: the model's taggit fields become ThemeChoiceFields in the add and change forms."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, TaggableManager):
            return theme_formfield(db_field)
        return super().formfield_for_dbfield(db_field, request, **kwargs)
