from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from greenjobs.core.siteurl import view_on_site

from .models import CaseStory, ModerationDecision, Status
from .photos import photo_open
from .services import case_publish, case_reject, case_set_photo, cases_delete

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


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, sent to the contributor"),
        widget=forms.Textarea(attrs={"rows": 5, "cols": 60}),
        help_text=_("It is emailed to the contributor and shown on their status page."),
    )


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

    def clean_new_photo(self):
        upload = self.cleaned_data.get("new_photo")
        return photo_open(upload) if upload else None


class ModerationDecisionInline(admin.TabularInline):
    model = ModerationDecision
    extra = 0
    can_delete = False
    fields = ("at", "action", "by", "reason")
    readonly_fields = fields
    verbose_name_plural = _("decision history")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CaseStory)
class CaseStoryAdmin(admin.ModelAdmin):
    view_on_site = view_on_site
    form = CaseStoryAdminForm
    list_display = ("title", "country", "submitted_at", "status", "thumbnail")
    list_display_links = ("title",)
    list_filter = ("status", "country", "themes", "submitted_at", "published_at")
    search_fields = ("title", "summary", "organisation", "contributor_name", "contributor_email")
    date_hierarchy = "submitted_at"
    actions = ("publish_selected", "reject_selected")
    inlines = (ModerationDecisionInline,)
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = (
        "status",
        "preview_link",
        "thumbnail_large",
        "submitted_at",
        "published_at",
        "moderated_by",
        "decision_reason",
        "consent",
        "consent_at",
    )
    fieldsets = (
        (
            _("Moderation"),
            {"fields": ("status", "preview_link", "submitted_at", "published_at", "moderated_by", "decision_reason")},
        ),
        (
            _("Story"),
            {"fields": STORY_TEXT_FIELDS},
        ),
        (_("Where and who"), {"fields": ("country", "organisation", "organisation_type", "themes")}),
        (_("Photo"), {"fields": ("thumbnail_large", "new_photo", "photo_description", "photo_credit")}),
        (
            _("Contributor (never shown publicly)"),
            {"fields": ("contributor_name", "contributor_email", "consent", "consent_at")},
        ),
    )
    change_form_template = "admin/cases/casestory/change_form.html"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if form.cleaned_data.get("new_photo") is not None:
            case_set_photo(case=obj, photo=form.cleaned_data["new_photo"])

    def delete_model(self, request, obj):
        cases_delete([obj])

    def delete_queryset(self, request, queryset):
        cases_delete(queryset)

    def get_ordering(self, request):
        pending_first = Case(When(status=Status.PENDING, then=Value(0)), default=Value(1), output_field=IntegerField())
        return (pending_first.asc(), "-submitted_at")

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

    @admin.display(description=_("public page"))
    def preview_link(self, obj):
        if not obj.pk:
            return self.get_empty_value_display()
        label = _("View on site") if obj.is_public else _("Preview (not published)")
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', obj.get_absolute_url(), label)

    # --- Decisions: the same services the public side uses ------------------------

    def _publish(self, request, stories) -> int:
        done = 0
        for story in stories:
            if not story.is_public:
                case_publish(case=story, by=request.user)
                done += 1
        return done

    @admin.action(description=_("Publish selected stories"), permissions=["change"])
    def publish_selected(self, request, queryset):
        done = self._publish(request, queryset)
        self.message_user(
            request,
            ngettext("%(n)d story published.", "%(n)d stories published.", done) % {"n": done},
            messages.SUCCESS,
        )

    @admin.action(description=_("Reject selected stories"), permissions=["change"])
    def reject_selected(self, request, queryset):
        form = RejectForm(request.POST if "reason" in request.POST else None)
        if form.is_bound and form.is_valid():
            for story in queryset:
                case_reject(case=story, by=request.user, reason=form.cleaned_data["reason"])
            n = queryset.count()
            self.message_user(
                request,
                ngettext("%(n)d story rejected.", "%(n)d stories rejected.", n) % {"n": n},
                messages.SUCCESS,
            )
            return None
        return self._reject_page(request, list(queryset), form, action=True)

    def _reject_page(self, request, stories, form, *, action: bool):
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reject stories"),
            "opts": self.model._meta,
            "stories": stories,
            "form": form,
            "action": action,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/cases/casestory/reject.html", context)

    def get_urls(self):
        extra = [
            path(
                "<int:pk>/reject/",
                self.admin_site.admin_view(self.reject_view),
                name="cases_casestory_reject",
            ),
            path(
                "<int:pk>/publish/",
                self.admin_site.admin_view(self.publish_view),
                name="cases_casestory_publish",
            ),
        ]
        return extra + super().get_urls()

    def _story_for_decision(self, request, pk):
        story = get_object_or_404(CaseStory, pk=pk)
        if not self.has_change_permission(request, story):
            raise PermissionDenied
        return story

    def publish_view(self, request, pk):
        story = self._story_for_decision(request, pk)
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:cases_casestory_change", args=[pk]))
        case_publish(case=story, by=request.user)
        self.message_user(request, _("“%(title)s” is published.") % {"title": story.title}, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:cases_casestory_change", args=[pk]))

    def reject_view(self, request, pk):
        story = self._story_for_decision(request, pk)
        form = RejectForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                case_reject(case=story, by=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                form.add_error("reason", error)
            else:
                self.message_user(request, _("“%(title)s” is rejected.") % {"title": story.title}, messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:cases_casestory_change", args=[pk]))
        return self._reject_page(request, [story], form, action=False)

    def response_change(self, request, obj):
        if "_publish" in request.POST and self.has_change_permission(request, obj):
            case_publish(case=obj, by=request.user)
            self.message_user(
                request, _("“%(title)s” is saved and published.") % {"title": obj.title}, messages.SUCCESS
            )
            return HttpResponseRedirect(reverse("admin:cases_casestory_change", args=[obj.pk]))
        return super().response_change(request, obj)
