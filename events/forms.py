from django import forms
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from greenjobs.core.timezones import timezone_choices

from .grid import MAX_YEAR, MIN_YEAR
from .links import course_choices
from .models import Document, Event


class MonthJumpForm(forms.Form):
    """The small GET form under the month grid: pick a month and a year."""

    month = forms.TypedChoiceField(
        label=_("Month"),
        coerce=int,
        choices=sorted(MONTHS.items()),
    )
    year = forms.IntegerField(
        label=_("Year"),
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "events-jump__year"}),
    )


class DocumentAdminForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = ["title", "kind", "file", "order"]


class EventAdminForm(forms.ModelForm):
    """The time zone is picked from the IANA list, the same select as a course session's."""

    timezone = forms.ChoiceField(
        label=_("Time zone"),
        choices=timezone_choices,
        initial="UTC",
        help_text=Event._meta.get_field("timezone").help_text,
    )

    linked_course = forms.ChoiceField(
        label=_("Course"),
        required=False,
        help_text=_("The course this event is part of: its page and this event link to each other."),
    )

    class Meta:
        model = Event
        fields = ["timezone"]  # the admin's fieldsets name the rest

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["linked_course"].choices = [("", _("None")), *course_choices()]
        if self.instance.course_type_id and self.instance.course_object_id:
            self.initial["linked_course"] = f"{self.instance.course_type_id}:{self.instance.course_object_id}"

    def clean(self):
        data = super().clean()
        chosen = data.get("linked_course") or ""
        content_type, _sep, pk = chosen.partition(":")
        self.instance.course_type_id = int(content_type) if chosen else None
        self.instance.course_object_id = int(pk) if chosen else None
        return data
