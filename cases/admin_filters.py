"""List filters of the story admin: the queue by status (opening on the pending stories), the countries in use."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .models import CaseStory, Status


class StatusFilter(admin.SimpleListFilter):
    """By status; the list opens on the stories waiting for review (see ``changelist_view``)."""

    title = _("status")
    parameter_name = "status__exact"
    ALL = "all"

    def lookups(self, request, model_admin):
        return Status.choices

    def queryset(self, request, queryset):
        value = self.value()
        if value in Status.values:
            return queryset.filter(status=value)
        return queryset

    def choices(self, changelist):
        value = self.value()
        yield {
            "selected": value in (None, self.ALL),
            "query_string": changelist.get_query_string({self.parameter_name: self.ALL}),
            "display": _("All"),
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": value == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class CountryInUseFilter(admin.SimpleListFilter):
    """The countries some story is from, by name: not all 250."""

    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        codes = CaseStory.objects.order_by().values_list("country", flat=True).distinct()
        return sorted(((code, countries.name(code)) for code in codes if code), key=lambda c: str(c[1]))

    def queryset(self, request, queryset):
        return queryset.filter(country=self.value()) if self.value() else queryset
