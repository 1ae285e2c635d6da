from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from taggit.models import Tag

from .models import SearchDocument
from .theme_services import themes_merge

admin.site.unregister(Tag)


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
