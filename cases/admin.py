"""The stories in the admin, laid out for moderation: the pending queue first, one row of buttons with the
publishing ones first, what the webmaster changed in the contributor's text, and a preview of unsaved edits."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from greenjobs.core.adminthemes import ThemeChoiceAdminMixin
from greenjobs.core.siteurl import view_on_site

from .admin_decisions import ModerationAdminMixin
from .admin_filters import CountryInUseFilter, StatusFilter
from .models import CaseStory, CaseStoryTranslation, ModerationDecision, Status
from .photos import photo_open
from .revisions import edits_since_sent, rounds
from .services import case_publish, case_set_photo, cases_delete

# The story's own text, in the order of the form and of the edit page.
STORY_TEXT_FIELDS = (
    "title",
    "slug",
    "summary",
    "challenge",
    "actions",
    "environment_results",
    "job_results",
    "lessons",
)
CHANGELIST = "admin:cases_casestory_changelist"


class CaseStoryAdminForm(forms.ModelForm):
    new_photo = forms.FileField(
        label=_("New photo"),
        required=False,
        help_text=_("JPEG, PNG or WebP, at most 10 MB. Re-encoded without metadata; renditions are made on save."),
    )

    class Meta:
        model = CaseStory
        fields = (
            *STORY_TEXT_FIELDS,
            "country",
            "organisation",
            "organisation_type",
            "themes",
            "photo_description",
            "photo_credit",
            "contributor_name",
            "contributor_email",
        )
        widgets = {"summary": forms.Textarea(attrs={"rows": 3, "cols": 80})}

    def clean_new_photo(self):
        upload = self.cleaned_data.get("new_photo")
        return photo_open(upload) if upload else None

    def clean(self):
        cleaned = super().clean()
        has_photo = cleaned.get("new_photo") is not None or bool(self.instance.photo)
        if has_photo and not cleaned.get("photo_description") and "photo_description" not in self._errors:
            self.add_error("photo_description", _("A photo needs its description, for people who cannot see it."))
        return cleaned


class CaseStoryTranslationInline(admin.StackedInline):
    """The webmaster's translations of the story into the other site languages (one per language)."""

    model = CaseStoryTranslation
    extra = 0
    max_num = len(settings.LANGUAGES) - 1
    fields = (("language", "title"), "summary", "challenge", "actions", "environment_results", "job_results", "lessons")
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 80})}}


class ModerationDecisionInline(admin.TabularInline):
    model = ModerationDecision
    extra = 0
    can_delete = False
    fields = ("at", "action", "who", "reason")
    readonly_fields = fields
    verbose_name_plural = _("decision history")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("by"))
    def who(self, obj):
        """Plain text: the user pages are not the webmaster's (they would answer 403)."""
        if obj.action == ModerationDecision.Action.RESENT:
            return _("the contributor")
        return user_name(obj.by) if obj.by else self.get_empty_value_display()


def user_name(user) -> str:
    return user.get_full_name() or user.get_username()


@admin.register(CaseStory)
class CaseStoryAdmin(ThemeChoiceAdminMixin, ModerationAdminMixin, admin.ModelAdmin):
    view_on_site = view_on_site
    form = CaseStoryAdminForm
    list_display = (
        "title",
        "summary_start",
        "theme_names",
        "country",
        "organisation_kind",
        "submitted_on",
        "status",
        "thumbnail",
    )
    list_display_links = ("title",)
    list_filter = (
        StatusFilter,
        CountryInUseFilter,
        ("themes", admin.RelatedOnlyFieldListFilter),
        "organisation_type",
        "submitted_at",
        "published_at",
    )
    search_fields = ("title", "summary", "organisation", "contributor_name", "contributor_email")
    date_hierarchy = "submitted_at"
    inlines = (CaseStoryTranslationInline, ModerationDecisionInline)
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = (
        "status",
        "thumbnail_large",
        "submitted_at",
        "published_at",
        "moderated_by_name",
        "decision_reason",
        "consent",
        "consent_at",
        "changes_since_sent",
        "contributor_rounds",
    )
    fieldsets = (
        (
            _("Moderation"),
            {"fields": ("status", "submitted_at", "published_at", "moderated_by_name", "decision_reason")},
        ),
        (_("What changed"), {"fields": ("changes_since_sent", "contributor_rounds")}),
        (_("Story"), {"fields": STORY_TEXT_FIELDS}),
        (_("Where and who"), {"fields": ("country", "organisation", "organisation_type", "themes")}),
        (_("Photo"), {"fields": ("thumbnail_large", "new_photo", "photo_description", "photo_credit")}),
        (
            _("Contributor (never shown publicly)"),
            {"fields": ("contributor_name", "contributor_email", "consent", "consent_at")},
        ),
    )
    change_form_template = "admin/cases/casestory/change_form.html"

    class Media:
        css = {"all": ["cases/admin.css"]}

    def get_fieldsets(self, request, obj=None):
        """A story added here was sent by no contributor: nothing to compare."""
        fieldsets = super().get_fieldsets(request, obj)
        return fieldsets if obj is not None else [f for f in fieldsets if "changes_since_sent" not in f[1]["fields"]]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("themes")

    def get_ordering(self, request):
        pending_first = Case(When(status=Status.PENDING, then=Value(0)), default=Value(1), output_field=IntegerField())
        return (pending_first.asc(), "-submitted_at")

    def get_list_display(self, request):
        """The list of one status (the pending queue) leaves out the status and the photo: room for the summary."""
        shown = super().get_list_display(request)
        if request.GET.get(StatusFilter.parameter_name) in Status.values:
            shown = tuple(name for name in shown if name not in {"status", "thumbnail"})
        return shown

    def changelist_view(self, request, extra_context=None):
        """The list opens on the stories waiting for review; "All" is a choice of the status filter."""
        if request.method == "GET" and not request.GET and self.has_view_or_change_permission(request):
            return HttpResponseRedirect(f"{request.path}?{StatusFilter.parameter_name}={Status.PENDING}")
        return super().changelist_view(request, extra_context)

    def save_related(self, request, form, formsets, change):
        """A translation added, changed or removed: the story is saved again, so its search document and the
        cached pages follow."""
        super().save_related(request, form, formsets, change)
        if any(formset.model is CaseStoryTranslation and formset.has_changed() for formset in formsets):
            form.instance.save()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if form.cleaned_data.get("new_photo") is not None:
            case_set_photo(case=obj, photo=form.cleaned_data["new_photo"])

    def delete_model(self, request, obj):
        cases_delete([obj])

    def delete_queryset(self, request, queryset):
        cases_delete(queryset)

    # --- Columns and read-only fields -----------------------------------------------------

    @admin.display(description=_("summary"))
    def summary_start(self, obj):
        return Truncator(obj.summary).chars(140)

    @admin.display(description=_("submitted"), ordering="submitted_at")
    def submitted_on(self, obj):
        return date_format(localtime(obj.submitted_at), "j M Y")

    @admin.display(description=_("type"), ordering="organisation_type")
    def organisation_kind(self, obj):
        return obj.get_organisation_type_display()

    @admin.display(description=_("themes"))
    def theme_names(self, obj):
        return ", ".join(sorted(theme.name for theme in obj.themes.all())) or self.get_empty_value_display()

    @admin.display(description=_("photo"))
    def thumbnail(self, obj):
        if not obj.photo:
            return self.get_empty_value_display()
        return format_html(
            '<img src="{}" alt="{}" width="80" height="{}" loading="lazy">',
            obj.thumbnail_url,
            obj.photo_description,
            obj.rendition_height(80) or 53,
        )

    @admin.display(description=_("current photo"))
    def thumbnail_large(self, obj):
        if not obj.photo:
            return self.get_empty_value_display()
        return format_html(
            '<a href="{}"><img src="{}" alt="{}" width="400" height="{}"></a>',
            obj.rendition_url(1200),
            obj.thumbnail_url,
            obj.photo_description,
            obj.thumbnail_height or 267,
        )

    @admin.display(description=_("moderated by"))
    def moderated_by_name(self, obj):
        """Plain text: the user pages are not the webmaster's (they would answer 403)."""
        return user_name(obj.moderated_by) if obj.moderated_by else self.get_empty_value_display()

    @admin.display(description=_("your edits to what the contributor sent"))
    def changes_since_sent(self, obj):
        edits = edits_since_sent(obj) if obj.pk else None
        if edits is None:
            return _("No copy of what the contributor sent was kept (sent before copies were kept).")
        if not edits:
            return _("Nothing: the story is as the contributor sent it.")
        return diff_table(edits)

    @admin.display(description=_("what the contributor changed when sending again"))
    def contributor_rounds(self, obj):
        sent = rounds(obj) if obj.pk else []
        later = [r for r in sent if r["changes"] is not None]
        if not later:
            return _("The story was sent once.")
        return format_html_join(
            "",
            "<p><strong>{}</strong></p>{}",
            (
                (
                    _("Sending %(n)d, %(date)s") % {"n": r["number"], "date": f"{r['sent'].sent_at:%Y-%m-%d %H:%M}"},
                    diff_table(r["changes"]) if r["changes"] else _("No change."),
                )
                for r in later
            ),
        )

    # --- Buttons: publish (and go on), ask for changes, reject, preview -------------------

    def response_change(self, request, obj):
        if not self.has_change_permission(request, obj):
            return super().response_change(request, obj)
        post = request.POST
        if "_publish" in post or "_publish_next" in post:
            if not obj.is_public:
                case_publish(case=obj, by=request.user)
            self.message_user(
                request, _("“%(title)s” is saved and published.") % {"title": obj.title}, messages.SUCCESS
            )
            if "_publish_next" in post:
                return self._next_pending(request, obj)
            return HttpResponseRedirect(self._change_url(obj))
        for button, name in (("_changes", "cases_casestory_changes"), ("_reject", "cases_casestory_reject")):
            if button in post:
                self.message_user(request, _("“%(title)s” is saved.") % {"title": obj.title}, messages.SUCCESS)
                return HttpResponseRedirect(reverse(f"admin:{name}", args=[obj.pk]))
        return super().response_change(request, obj)

    def _next_pending(self, request, obj):
        following = CaseStory.objects.next_pending(obj)
        if following is None:
            self.message_user(request, _("No more stories wait for review."), messages.INFO)
            return HttpResponseRedirect(f"{reverse(CHANGELIST)}?{StatusFilter.parameter_name}={Status.PENDING}")
        return HttpResponseRedirect(self._change_url(following))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id:
            extra_context = {"show_save_and_add_another": False, **(extra_context or {})}
            if (
                request.method == "POST"
                and "_preview" in request.POST
                and (preview := self.preview_view(request, object_id))
            ):
                return preview
        return super().changeform_view(request, object_id, form_url, extra_context)

    def preview_view(self, request, object_id):
        """The story page as the posted form would make it, nothing saved; None when the form has errors."""
        story = self.get_object(request, unquote(object_id))
        if story is None:
            raise Http404
        if not self.has_view_or_change_permission(request, story):
            raise PermissionDenied
        form = self.get_form(request, story, change=True)(request.POST, request.FILES, instance=story)
        valid = form.is_valid()
        new_photo = form.cleaned_data.get("new_photo") if valid else None
        if new_photo is not None:
            new_photo.close()
        if not valid:
            return None
        story = form.save(commit=False)
        themes = sorted(form.cleaned_data.get("themes") or [], key=lambda theme: (theme.name, theme.pk))
        context = {
            "story": story,
            "themes": themes,
            "related": [],
            "is_preview": True,
            "unsaved": True,
            "photo_not_shown": new_photo is not None,
        }
        return render(request, "cases/case_detail.html", context)


def diff_table(edits) -> str:
    """The changed fields, each with its words removed and added."""
    return format_html(
        '<table class="case-diff"><tbody>{}</tbody></table>',
        format_html_join("", '<tr><th scope="row">{}</th><td>{}</td></tr>', ((e.label, e.html) for e in edits)),
    )
