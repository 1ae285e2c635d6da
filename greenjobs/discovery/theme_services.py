"""Writes on themes (taggit tags) with rules, and what the merge page shows before one.

Every write saves or deletes ``Tag`` rows (never the admin's ``Theme`` proxy), so the search index and
the content version, which listen to ``Tag``, follow. A slug a theme gives up (merged away, renamed)
becomes a ``ThemeAlias``: its pages and feeds answer 301 to the theme, for ever.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from taggit.models import Tag, TaggedItem

from greenjobs.core.registry import registry
from greenjobs.models import ThemeAlias


def theme_slug(name: str) -> str:
    return Tag().slugify(name.strip())


def theme_check(*, name: str, theme: Tag | None = None) -> str:
    """The slug ``name`` gives, or a ValidationError naming the theme that already has the name or slug."""
    slug = theme_slug(name)
    if not slug:
        raise ValidationError(
            {"name": ValidationError(_("A theme name needs at least one letter or digit."), code="empty_slug")}
        )
    others = Tag.objects.exclude(pk=getattr(theme, "pk", None))
    clash = others.filter(name__iexact=name.strip()).first() or others.filter(slug=slug).first()
    if clash is not None:
        message = _("The theme “%(name)s” (%(slug)s) already exists: merge the two instead.")
        raise ValidationError(
            {"name": ValidationError(message, code="duplicate_theme", params={"name": clash.name, "slug": clash.slug})}
        )
    return slug


def _alias(slugs: list[str], keep: Tag) -> None:
    """Point ``slugs`` at ``keep``; a live theme's slug is never an alias (it would shadow nothing)."""
    slugs = [slug for slug in slugs if slug and slug != keep.slug]
    for slug in slugs:
        ThemeAlias.objects.update_or_create(slug=slug, defaults={"theme": keep})


@transaction.atomic
def theme_save(*, name: str, theme: Tag | None = None) -> Tag:
    """Create a theme, or rename one: the slug follows the name and the old slug stays as an alias."""
    slug = theme_check(name=name, theme=theme)
    tag = Tag() if theme is None else Tag.objects.select_for_update().get(pk=theme.pk)
    old_slug = tag.slug
    tag.name, tag.slug = name.strip(), slug
    tag.save()
    ThemeAlias.objects.filter(slug=slug).delete()
    if old_slug and old_slug != slug:
        _alias([old_slug], tag)
    return tag


@transaction.atomic
def themes_delete(*, pks) -> int:
    """Delete themes (their items lose them; their old addresses answer 404)."""
    _total, per_model = Tag.objects.filter(pk__in=list(pks)).delete()
    return per_model.get(Tag._meta.label, 0)


@transaction.atomic
def themes_merge(*, keep: Tag, merged: list[Tag]) -> int:
    """Move every item of ``merged`` onto ``keep`` and delete them; returns the items moved.

    An item that already has ``keep`` (or two of the merged themes) keeps one row only. The merged
    slugs, and the old slugs that pointed at them, now point at ``keep``. The search index follows
    through the Tag delete signal.
    """
    ids = [tag.pk for tag in merged if tag.pk != keep.pk]
    if not ids:
        return 0
    locked = list(Tag.objects.select_for_update().filter(pk__in=[keep.pk, *ids]).order_by("pk"))
    seen = set(TaggedItem.objects.filter(tag=keep).values_list("content_type_id", "object_id"))
    moving, dropping = [], []
    rows = TaggedItem.objects.filter(tag_id__in=ids).order_by("pk").values_list("pk", "content_type_id", "object_id")
    for pk, content_type_id, object_id in rows:
        key = (content_type_id, object_id)
        (dropping if key in seen else moving).append(pk)
        seen.add(key)
    TaggedItem.objects.filter(pk__in=dropping).delete()
    TaggedItem.objects.filter(pk__in=moving).update(tag=keep)
    ThemeAlias.objects.filter(theme_id__in=ids).update(theme=keep)
    _alias([tag.slug for tag in locked if tag.pk in ids], keep)
    Tag.objects.filter(pk__in=ids).delete()
    return len(moving)


# --- What the merge page shows ------------------------------------------------------------------


@dataclass
class ThemeUse:
    """One theme on the merge page: its items per kind (every item, drafts too: they all move)."""

    theme: Tag
    counts: dict = field(default_factory=dict)  # kind label -> items
    total: int = 0
    aliases: list = field(default_factory=list)  # old slugs that already point here


def _kind_label(publication) -> str:
    return capfirst(publication.model._meta.verbose_name_plural)


def themes_use(themes) -> list[ThemeUse]:
    """Each theme's items per kind of the registry (two queries), in the themes' order."""
    kinds = {
        ContentType.objects.get_for_model(publication.model).pk: _kind_label(publication)
        for publication in registry.with_("theme_section")
    }
    uses = {theme.pk: ThemeUse(theme=theme, counts=dict.fromkeys(kinds.values(), 0)) for theme in themes}
    rows = (
        TaggedItem.objects.filter(tag_id__in=uses, content_type_id__in=kinds)
        .values_list("tag_id", "content_type_id")
        .annotate(items=Count("pk"))
    )
    for tag_id, content_type_id, items in rows:
        uses[tag_id].counts[kinds[content_type_id]] += items
        uses[tag_id].total += items
    for alias in ThemeAlias.objects.filter(theme_id__in=uses).order_by("slug"):
        uses[alias.theme_id].aliases.append(alias.slug)
    return list(uses.values())


def merge_plan(*, keep: Tag, merged: list[Tag]) -> dict:
    """What a merge will do, per kind: the items that move to ``keep`` and those that have it already."""
    kinds = {
        ContentType.objects.get_for_model(publication.model).pk: _kind_label(publication)
        for publication in registry.with_("theme_section")
    }
    ids = [tag.pk for tag in merged if tag.pk != keep.pk]
    has_keep = set(TaggedItem.objects.filter(tag=keep).values_list("content_type_id", "object_id"))
    moving, already = defaultdict(set), defaultdict(set)
    for content_type_id, object_id in TaggedItem.objects.filter(tag_id__in=ids).values_list(
        "content_type_id", "object_id"
    ):
        label = kinds.get(content_type_id, _("Other items"))
        (already if (content_type_id, object_id) in has_keep else moving)[label].add(object_id)
    labels = [*kinds.values(), _("Other items")]
    return {
        "moving": [(label, len(moving[label])) for label in labels if moving[label]],
        "already": [(label, len(already[label])) for label in labels if already[label]],
        "moving_total": sum(len(items) for items in moving.values()),
    }
