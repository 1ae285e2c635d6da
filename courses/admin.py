from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from greenjobs.core.adminthemes import ThemeChoiceAdminMixin
from greenjobs.core.siteurl import view_on_site
from greenjobs.core.translated import translation_fieldsets

from .forms import CourseAdminForm, CourseSessionAdminForm
from .models import Course, CourseSession, PreparationStep


class CourseSessionInline(admin.StackedInline):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    model = CourseSession
    form = CourseSessionAdminForm
    extra = 0
    fields = (
        ("start", "end", "timezone"),
        ("is_online", "venue", "city", "country"),
        ("language", "application_deadline", "status"),
        "registration_url",
        ("notes", "notes_fr", "notes_es"),
    )


class PreparationStepInline(admin.StackedInline):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    model = PreparationStep
    extra = 0
    ordering = ("order", "pk")
    fields = (
        ("order", "title", "kind"),
        "description",
        ("title_fr", "description_fr"),
        ("title_es", "description_es"),
        ("url", "file"),
        ("estimated_minutes", "required", "session"),
    )

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        field = formset.form.base_fields.get("session")
        if field is not None:
            field.queryset = (
                CourseSession.objects.filter(course=obj).select_related("course")
                if obj
                else CourseSession.objects.none()
            )
        return formset


@admin.register(Course)
class CourseAdmin(ThemeChoiceAdminMixin, admin.ModelAdmin):
    view_on_site = view_on_site
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    form = CourseAdminForm
    list_display = ("title", "format", "is_published", "session_count", "step_count", "updated")
    list_filter = ("is_published", "format", "themes")
    search_fields = ("title", "summary", "description")
    prepopulated_fields = {"slug": ("title",)}
    list_editable = ("is_published",)
    inlines = (CourseSessionInline, PreparationStepInline)
    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "description", "is_published")}),
        (_("Who and what"), {"fields": ("learning_objectives", "who_should_attend", "prerequisites")}),
        (_("Practicalities"), {"fields": ("format", "languages", "duration", "effort", "themes")}),
        (_("Picture"), {"fields": ("image", "image_alt")}),
        *translation_fieldsets(Course),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(session_count=Count("sessions", distinct=True), step_count=Count("steps", distinct=True))
        )

    @admin.display(description=_("sessions"), ordering="session_count")
    def session_count(self, obj):
        return obj.session_count

    @admin.display(description=_("steps"), ordering="step_count")
    def step_count(self, obj):
        return obj.step_count


@admin.register(CourseSession)
class CourseSessionAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    form = CourseSessionAdminForm
    list_display = ("course", "start", "timezone", "city", "country", "is_online", "status", "application_deadline")
    list_filter = ("status", "is_online", "language", "course")
    search_fields = ("course__title", "venue", "city")
    list_select_related = ("course",)
    date_hierarchy = "start"
    autocomplete_fields = ("course",)
