from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GreenjobsConfig(AppConfig):
    name = "greenjobs"
    verbose_name = _("Site: search and themes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import pagecache, search

        search.connect_signals()
        pagecache.connect_signals()
