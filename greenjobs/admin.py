from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from taggit.models import Tag

from greenjobs.core.siteurl import view_on_site
from greenjobs.core.translated import translation_fieldsets
from greenjobs.discovery.theme_services import (
    merge_plan,
    theme_check,
    theme_save,
    themes_delete,
    themes_merge,
    themes_use,
)
from greenjobs.models import AboutPage, SearchDocument, Theme, ThemeAlias, ThemeTranslation
from greenjobs.pages import about_page_save

admin.site.site_header = _("Green Jobs Portal administration")
admin.site.site_title = _("Green Jobs Portal")

# Themes are edited under their own name (``Theme``), never as taggit's "Tags".
admin.site.unregister(Tag)
# Links are built from SITE_URL, never the Sites record: nothing to edit there (and no 403 for the webmaster).
admin.site.unregister(Site)
admin.site.unregister(FlatPage)


# --- About pages --------------------------------------------------------------------------------


ABOUT_FIELDS = forms.fields_for_model(
    AboutPage,
    fields=["markdown", "menu_title", "menu_order", "in_footer"],
    widgets={"markdown": forms.Textarea(attrs={"rows": 20, "class": "vLargeTextField"})},
    help_texts={
        "markdown": _(
            "Markdown: a blank line between paragraphs, **bold**, [a link](https://example.org), "
            "“- ” for a list item, “## ” for a heading. Other HTML than simple tags is removed."
        )
    },
)


TRANSLATED_ABOUT = [f"{name}_{code}" for code in ("fr", "es") for name in ("title", "menu_title", "markdown")]


class AboutPageForm(forms.ModelForm):
    """Only what a webmaster needs: the address, the title, the text in Markdown and where it is listed,
    and the same in French and Spanish (empty: the English page is shown)."""

    markdown, menu_title, menu_order, in_footer = ABOUT_FIELDS.values()
    menu_order.required = False

    class Meta:
        model = FlatPage
        fields = ["url", "title"]
        help_texts = {"url": _("The address, starting and ending with a slash, e.g. /about/partners/.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        about = AboutPage.objects.filter(page=self.instance.pk).first() if self.instance.pk else None
        if about is not None:
            for name in ("markdown", "menu_title", "menu_order", "in_footer", *TRANSLATED_ABOUT):
                self.initial.setdefault(name, getattr(about, name))
        elif self.instance.pk:
            self.initial.setdefault("markdown", self.instance.content)

    def clean_menu_order(self):
        value = self.cleaned_data["menu_order"]
        return AboutPage._meta.get_field("menu_order").default if value is None else value

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        if not (url.startswith("/") and url.endswith("/")):
            raise ValidationError(_("The address starts and ends with a slash, e.g. /about/partners/."), code="slash")
        if FlatPage.objects.filter(url=url, sites=settings.SITE_ID).exclude(pk=self.instance.pk).exists():
            raise ValidationError(_("Another about page already has this URL."), code="duplicate_url")
        return url


# The French and Spanish title, menu title and Markdown, under the English ones (folded fieldsets); declared
# fields of the form, like the English ones, since FlatPage has no such columns.
_TRANSLATED_ABOUT_FIELDS = forms.fields_for_model(
    AboutPage,
    fields=TRANSLATED_ABOUT,
    widgets={
        f"markdown_{code}": forms.Textarea(attrs={"rows": 12, "class": "vLargeTextField"}) for code in ("fr", "es")
    },
)
AboutPageForm.declared_fields.update(_TRANSLATED_ABOUT_FIELDS)
AboutPageForm.base_fields.update(_TRANSLATED_ABOUT_FIELDS)


@admin.register(FlatPage)
class AboutPageAdmin(admin.ModelAdmin):
    form = AboutPageForm
    fieldsets = (
        (None, {"fields": ("title", "url", "markdown")}),
        (_("Menus"), {"fields": ("menu_title", "menu_order", "in_footer")}),
        *translation_fieldsets(AboutPage, ["title", "menu_title", "markdown"]),
    )
    list_display = ["title", "url", "menu_order", "in_footer"]
    search_fields = ["url", "title"]
    ordering = ["about__menu_order", "title"]
    view_on_site = view_on_site

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("about")

    @admin.display(description=_("menu order"), ordering="about__menu_order")
    def menu_order(self, obj):
        return getattr(getattr(obj, "about", None), "menu_order", "-")

    @admin.display(description=_("in the footer"), boolean=True)
    def in_footer(self, obj):
        return bool(getattr(getattr(obj, "about", None), "in_footer", False))

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        about_page_save(
            page=obj,
            markdown=data["markdown"],
            menu_title=data["menu_title"],
            menu_order=data["menu_order"],
            in_footer=data["in_footer"],
            translations={name: data.get(name) or "" for name in TRANSLATED_ABOUT},
        )


# --- Themes -------------------------------------------------------------------------------------


class ThemeForm(forms.ModelForm):
    """A theme's name; the slug (its address) follows the name, and the old one keeps answering."""

    class Meta:
        model = Theme
        fields = ["name"]

    def clean(self):
        data = super().clean()
        if data.get("name"):
            try:
                theme_check(name=data["name"], theme=self.instance if self.instance.pk else None)
            except ValidationError as error:
                self.add_error(None, error)
        return data


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


class ThemeTranslationInline(admin.StackedInline):
    """The theme's name in French and Spanish: pages in those languages show it (empty: the English name)."""

    model = ThemeTranslation
    fields = [("name_fr", "name_es")]
    max_num = extra = 1
    can_delete = False
    verbose_name_plural = _("Names in other languages")


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    form = ThemeForm
    inlines = [ThemeTranslationInline]
    list_display = ["name", "slug", "item_count"]
    ordering = ["name"]
    search_fields = ["name", "slug"]
    actions = ["merge_themes"]
    readonly_fields = ["slug", "old_addresses"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_count=Count("taggit_taggeditem_items"))

    def get_fields(self, request, obj=None):
        return ["name", "slug", "old_addresses"] if obj else ["name"]

    @admin.display(description=_("items"), ordering="item_count")
    def item_count(self, obj):
        return obj.item_count

    @admin.display(description=_("old addresses"))
    def old_addresses(self, obj):
        slugs = ThemeAlias.objects.filter(theme=obj.pk).values_list("slug", flat=True)
        return format_html_join(", ", "{}", ((slug,) for slug in slugs)) or "-"

    def save_model(self, request, obj, form, change):
        tag = theme_save(name=form.cleaned_data["name"], theme=obj if change else None)
        obj.pk, obj.name, obj.slug = tag.pk, tag.name, tag.slug
        obj._state.adding = False

    def delete_model(self, request, obj):
        themes_delete(pks=[obj.pk])

    def delete_queryset(self, request, queryset):
        themes_delete(pks=queryset.values_list("pk", flat=True))

    @admin.action(description=_("Merge themes"), permissions=["change", "delete"])
    def merge_themes(self, request, queryset):
        themes = Tag.objects.filter(pk__in=queryset.values("pk")).order_by("name")
        if themes.count() < 2:
            self.message_user(request, _("Select at least two themes to merge."), messages.WARNING)
            return None
        step = request.POST.get("step", "")
        data = request.POST if step in {"review", "confirm"} else None
        form = MergeThemesForm(data, initial={"keep": request.POST.get("keep")}, themes=themes)
        if form.is_valid() and step == "confirm":
            return self._merge(request, keep=form.cleaned_data["keep"], themes=themes)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Merge themes"),
            "opts": self.model._meta,
            "form": form,
            "uses": themes_use(themes),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        if form.is_valid():
            keep = form.cleaned_data["keep"]
            merged = [theme for theme in themes if theme.pk != keep.pk]
            context.update(keep=keep, merged=merged, plan=merge_plan(keep=keep, merged=merged))
        return TemplateResponse(request, "themes/admin_merge.html", context)

    def _merge(self, request, *, keep, themes):
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
