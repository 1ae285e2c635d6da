"""French and Spanish versions of an event's text (django-modeltranslation): ``title_fr``, ``summary_es``…

An empty translation shows the English text (``MODELTRANSLATION_FALLBACK_LANGUAGES``).
"""

from modeltranslation.translator import TranslationOptions, register

from events.models import AgendaItem, Document, Event


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ("title", "summary", "background", "objectives", "target_participants", "programme")
    required_languages = ("en",)


@register(AgendaItem)
class AgendaItemTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = ("en",)


@register(Document)
class DocumentTranslation(TranslationOptions):
    fields = ("title",)
    required_languages = ("en",)
