from django import forms
from django.contrib import admin, messages
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from greenjobs.core.adminthemes import ThemeChoiceAdminMixin
from greenjobs.core.siteurl import view_on_site
from greenjobs.core.translated import translation_fieldsets

from .forms import DocumentAdminForm, EventAdminForm
from .models import AgendaItem, Document, Event
from .services import event_duplicate_as_draft


class WhenFilter(admin.SimpleListFilter):
    title = _("when")
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("upcoming", _("Upcoming")), ("past", _("Past"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "upcoming":
            return queryset.filter(ends_at__gte=now)
        if self.value() == "past":
            return queryset.filter(ends_at__lt=now)
        return queryset


class AgendaItemInline(admin.StackedInline):
    """Stacked, a few fields to a row: a table of eight columns was twice as wide as a 1,280 px window."""

    model = AgendaItem
    extra = 1
    fields = [
        ("date", "start_time", "end_time"),
        ("title", "session_type"),
        ("speakers", "order"),
        "description",
        ("title_fr", "description_fr"),
        ("title_es", "description_es"),
    ]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 60})}}
    classes = ["agenda-inline"]


class DocumentInline(admin.TabularInline):
    model = Document
    form = DocumentAdminForm
    extra = 1
    fields = ["title", "title_fr", "title_es", "kind", "file", "order", "size_label"]
    readonly_fields = ["size_label"]

    @admin.display(description=_("size"))
    def size_label(self, obj):
        return f"{obj.file_type}, {filesizeformat(obj.size)}" if obj.pk else "-"


@admin.register(Event)
class EventAdmin(ThemeChoiceAdminMixin, admin.ModelAdmin):
    form = EventAdminForm
    view_on_site = view_on_site
    list_display = ["title", "kind", "status", "start_date", "end_date", "timezone", "city", "country"]
    list_filter = [WhenFilter, "kind", "country", "status"]
    search_fields = ["title", "summary", "venue", "city", "organiser"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "start_date"
    inlines = [AgendaItemInline, DocumentInline]
    actions = ["duplicate_as_draft"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "status", "summary", "themes"]}),
        (_("Dates"), {"fields": ["all_day", ("start_date", "start_time"), ("end_date", "end_time"), "timezone"]}),
        (_("Course"), {"fields": ["linked_course"]}),
        (_("Place"), {"fields": ["venue", "city", "country", "online_url"]}),
        (_("Sections (Markdown)"), {"fields": ["background", "objectives", "target_participants", "programme"]}),
        (_("Organiser and contact"), {"fields": ["organiser", "contact_name", "contact_title", "contact_email"]}),
        *translation_fieldsets(Event),
    ]

    @admin.action(description=_("Duplicate as draft"), permissions=["add"])
    def duplicate_as_draft(self, request, queryset):
        copies = [event_duplicate_as_draft(event=event) for event in queryset]
        self.message_user(
            request,
            ngettext(
                "Created %(count)d draft copy: %(titles)s.",
                "Created %(count)d draft copies: %(titles)s.",
                len(copies),
            )
            % {"count": len(copies), "titles": ", ".join(copy.slug for copy in copies)},
            messages.SUCCESS,
        )
