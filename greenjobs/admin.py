from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.flatpages.admin import FlatPageAdmin
from django.contrib.flatpages.forms import FlatpageForm
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from taggit.models import Tag

from greenjobs.core.siteurl import view_on_site
from greenjobs.discovery.theme_services import themes_merge
from greenjobs.models import SearchDocument

admin.site.unregister(Tag)
# Links are built from SITE_URL, never the Sites record: nothing to edit there (and no 403 for the webmaster).
admin.site.unregister(Site)
admin.site.unregister(FlatPage)


class AboutPageForm(FlatpageForm):
    """The about page form without the Sites choice: every page is on the one site (SITE_ID)."""

    def clean(self):
        url = self.cleaned_data.get("url")
        if url and FlatPage.objects.filter(url=url, sites=settings.SITE_ID).exclude(pk=self.instance.pk).exists():
            raise ValidationError({"url": _("Another about page already has this URL.")}, code="duplicate_url")
        return super().clean()


@admin.register(FlatPage)
class AboutPageAdmin(FlatPageAdmin):
    form = AboutPageForm
    fieldsets = (
        (None, {"fields": ("url", "title", "content")}),
        (_("Advanced options"), {"classes": ("collapse",), "fields": ("registration_required", "template_name")}),
    )
    list_filter = ["registration_required"]

    view_on_site = view_on_site

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.sites.add(settings.SITE_ID)


class MergeThemesForm(forms.Form):
    keep = forms.ModelChoiceField(
        queryset=Tag.objects.none(),
        widget=forms.RadioSelect,
        label=_("Theme to keep"),
        help_text=_("Every item of the other selected themes moves to this one; the others are deleted."),
    )

    def __init__(self, *args, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = themes


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "item_count"]
    ordering = ["name"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["merge_themes"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_count=Count("taggit_taggeditem_items"))

    @admin.display(description=_("items"), ordering="item_count")
    def item_count(self, obj):
        return obj.item_count

    @admin.action(description=_("Merge themes"), permissions=["change", "delete"])
    def merge_themes(self, request, queryset):
        themes = queryset.order_by("name")
        if themes.count() < 2:
            self.message_user(request, _("Select at least two themes to merge."), messages.WARNING)
            return None
        form = MergeThemesForm(request.POST if "confirm" in request.POST else None, themes=themes)
        if form.is_valid():
            keep = form.cleaned_data["keep"]
            merged = [theme for theme in themes if theme.pk != keep.pk]
            moved = themes_merge(keep=keep, merged=merged)
            self.message_user(
                request,
                ngettext(
                    "Merged %(count)d theme into “%(keep)s” (%(moved)d items moved).",
                    "Merged %(count)d themes into “%(keep)s” (%(moved)d items moved).",
                    len(merged),
                )
                % {"count": len(merged), "keep": keep.name, "moved": moved},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Merge themes"),
            "opts": self.model._meta,
            "form": form,
            "themes": themes,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "themes/admin_merge.html", context)


@admin.register(SearchDocument)
class SearchDocumentAdmin(admin.ModelAdmin):
    """Read-only view of the search index, to check what the public search sees."""

    list_display = ["title", "kind", "url", "date", "updated"]
    list_filter = ["kind"]
    search_fields = ["title", "url"]
    readonly_fields = ["content_type", "object_id", "kind", "title", "summary", "body", "url", "themes", "date"]
    exclude = ["theme_ids"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
