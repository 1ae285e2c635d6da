from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cases"

    def ready(self):
        """Declare what the app publishes: the discovery layer finds it only here."""
        from greenjobs.core.registry import Block, NavLink, Publication, registry

        from . import search, sitemaps, themes
        from .models import CaseStory

        registry.register(
            Publication(
                app_label=self.label,
                kind=search.KIND,
                model=CaseStory,
                label=_("Case story"),
                order=10,
                nav=(
                    NavLink("cases:list", _("Case stories"), order=10),
                    NavLink("cases:submit", _("Share your story"), order=90, exact=True, css_class="nav-cta"),
                ),
                list_url="cases:list",
                dated=True,
                index=search.case_fields,
                index_prefetch=("translations",),
                sitemap_rows=sitemaps.sitemap_rows,
                theme_section=Block("cases/_theme_section.html", themes.theme_section),
                theme_feed_items=themes.theme_feed_items,
                home=(Block("cases/_home.html"),),
                page_params={"cases:list": ("country", "language", "page", "q", "theme", "type")},
                private_urls=("cases:submit",),
                private_models=("cases.moderationdecision",),
                demo="cases.demo",
            )
        )
