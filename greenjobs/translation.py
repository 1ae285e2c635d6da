"""French and Spanish versions of the about pages (django-modeltranslation). The English title and text
also live in the flatpage (``FlatPage.title``, ``FlatPage.content``); an empty translation shows them."""

from modeltranslation.translator import TranslationOptions, register

from greenjobs.models import AboutPage


@register(AboutPage)
class AboutPageTranslation(TranslationOptions):
    fields = ("title", "menu_title", "markdown", "html")
