from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GreenjobsConfig(AppConfig):
    name = "greenjobs"
    verbose_name = _("Site: search and themes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        """After the content apps (INSTALLED_APPS order): add the site's own publication, then connect
        the search index and the content version to everything registered."""
        from greenjobs.core import contentversion, taxonomy
        from greenjobs.core.registry import registry
        from greenjobs.discovery import search

        from .pages import ABOUT_PAGES, MENU

        registry.register(ABOUT_PAGES)
        registry.add_nav(*MENU)
        registry.watch("taggit", "sites")
        search.connect_signals()
        contentversion.connect_signals()
        taxonomy.connect_signals()
