from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "events"

    def ready(self):
        """Declare what the app publishes: the discovery layer finds it only here."""
        from greenjobs.core.registry import Block, NavLink, Publication, registry

        from . import links, search, sitemaps, themes
        from .models import Event

        registry.register(
            Publication(
                app_label=self.label,
                kind=search.KIND,
                model=Event,
                label=_("Event"),
                order=20,
                nav=(NavLink("events:list", _("Events"), order=30),),
                list_url="events:list",
                dated=True,
                index=search.event_fields,
                sitemap_rows=sitemaps.sitemap_rows,
                theme_section=Block("events/_theme_section.html", themes.theme_section),
                theme_feed_items=themes.theme_feed_items,
                home=(Block("events/_home.html"),),
                page_params={
                    "events:list": ("country", "kind", "page", "theme"),
                    "events:past": ("page", "year"),
                    "events:jump": ("month", "year"),
                    "events:calendar_feed": ("theme",),
                },
                demo="events.demo",
                linked_items=links.linked_items,
            )
        )
