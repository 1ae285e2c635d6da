"""An event naming its course, without importing the courses app: a generic link to a kind on the one calendar."""

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, Q, Value
from django.db.models.functions import Concat, JSONObject
from django.urls import reverse
from django.utils.translation import gettext as _

from greenjobs.core.registry import registry
from greenjobs.core.translated import in_page_language

LINKED_SHOWN = 20


def linkable_kinds() -> Q:
    """The content types an event may name as its course: the other kinds on the one calendar (course)."""
    kinds = Q(pk__in=[])
    for publication in registry.with_("calendar_entries"):
        if publication.model._meta.label_lower != "events.event":
            kinds |= Q(app_label=publication.model._meta.app_label, model=publication.model._meta.model_name)
    return kinds


def linkable_models() -> list:
    """The models whose items an event may name (the courses)."""
    return [content_type.model_class() for content_type in ContentType.objects.filter(linkable_kinds())]


def course_choices() -> list[tuple[str, str]]:
    """``("<content type>:<pk>", "Course: title")`` for every item an event may name, by title: the admin's select."""
    choices = []
    for model in linkable_models():
        content_type = ContentType.objects.get_for_model(model)
        label = str(model._meta.verbose_name).capitalize()
        for pk, title in model._base_manager.order_by("title").values_list("pk", "title"):
            choices.append((f"{content_type.pk}:{pk}", f"{label}: {title}"))
    return choices


def course_by_slug(slug: str):
    """The item an event may name with this slug (the demo names courses by slug), or None."""
    for model in linkable_models():
        found = model._base_manager.filter(slug=slug).first()
        if found is not None:
            return found
    return None


def linked_course(event, *, public_only: bool = True):
    """The item the event names (its course), or None; for visitors only a public one (one query)."""
    if event.course_type_id is None or event.course_object_id is None:
        return None
    model = ContentType.objects.get_for_id(event.course_type_id).model_class()
    if model is None:
        return None
    found = model._base_manager.filter(pk=event.course_object_id).first()
    if found is None or (public_only and not getattr(found, "is_public", False)):
        return None
    return found


def link_errors(event) -> dict:
    """What is wrong with the event's link, by field."""
    if (event.course_type_id is None) != (event.course_object_id is None):
        return {"course_object_id": _("Give both the linked kind and the linked item, or neither.")}
    if event.course_type_id is None:
        return {}
    content_type = ContentType.objects.get_for_id(event.course_type_id)
    if not ContentType.objects.filter(linkable_kinds(), pk=content_type.pk).exists():
        return {"course_type": _("An event can name a course only.")}
    if linked_course(event, public_only=False) is None:
        return {
            "course_object_id": _("There is no %(kind)s number %(number)s.")
            % {"kind": content_type.name, "number": event.course_object_id}
        }
    return {}


def linked_items(model) -> ArraySubquery:
    """``Publication.linked_items``: the published events naming an item of ``model``, soonest first, as JSON
    objects read with that item (no query of their own)."""
    from .models import Event

    prefix = reverse("events:detail", args=["-"]).removesuffix("-/")
    events = (
        Event.objects.rewrite(False)
        .published()
        .filter(course_type=ContentType.objects.get_for_model(model), course_object_id=OuterRef("pk"))
        .order_by("starts_at", "pk")
    )
    return ArraySubquery(
        events.values(
            row=JSONObject(
                title=in_page_language("title"),
                url=Concat(Value(prefix), "slug", Value("/")),
                first="start_date",
                last="end_date",
            )
        )[:LINKED_SHOWN]
    )
