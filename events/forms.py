from django import forms
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from .grid import MAX_YEAR, MIN_YEAR
from .models import Document


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
