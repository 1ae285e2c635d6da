from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from greenjobs.core.timezones import timezone_choices

from .models import Course, CourseSession, Language


def https_formfield(field, **kwargs):
    """Links typed without a scheme are taken as https (Django 6.0's default)."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class CourseSessionAdminForm(forms.ModelForm):
    """Start and end are typed as the local time of the session's own time zone."""

    timezone = forms.ChoiceField(
        label=_("Time zone"),
        choices=timezone_choices,
        initial="UTC",
        help_text=CourseSession._meta.get_field("timezone").help_text,
    )

    class Meta:
        model = CourseSession
        formfield_callback = https_formfield
        fields = (
            "course",
            "start",
            "end",
            "timezone",
            "is_online",
            "venue",
            "city",
            "country",
            "language",
            "application_deadline",
            "registration_url",
            "status",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            zone = self.instance.zone
            for name in ("start", "end"):
                value = getattr(self.instance, name)
                if value:
                    self.initial[name] = value.astimezone(zone).replace(tzinfo=None)

    def clean(self):
        data = super().clean()
        zone_name = data.get("timezone")
        if zone_name:
            zone = CourseSession(timezone=zone_name).zone
            for name in ("start", "end"):
                value = data.get(name)
                if value:
                    data[name] = timezone.make_aware(timezone.make_naive(value), zone)
        return data


class CourseAdminForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("languages"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=Course._meta.get_field("languages").help_text,
    )

    class Meta:
        model = Course
        fields = (
            "title",
            "slug",
            "summary",
            "description",
            "is_published",
            "learning_objectives",
            "who_should_attend",
            "prerequisites",
            "format",
            "languages",
            "duration",
            "effort",
            "themes",
            "image",
            "image_alt",
        )
