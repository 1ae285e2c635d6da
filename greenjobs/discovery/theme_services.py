"""Writes on themes (taggit tags) with rules."""

from django.db import transaction
from taggit.models import Tag, TaggedItem


@transaction.atomic
def themes_merge(*, keep: Tag, merged: list[Tag]) -> int:
    """Move every item of ``merged`` onto ``keep`` and delete them; returns the items moved.

    An item that already has ``keep`` (or two of the merged themes) keeps one row only.
    The search index follows through the Tag delete signal.
    """
    ids = [tag.pk for tag in merged if tag.pk != keep.pk]
    if not ids:
        return 0
    list(Tag.objects.select_for_update().filter(pk__in=[keep.pk, *ids]).order_by("pk"))
    seen = set(TaggedItem.objects.filter(tag=keep).values_list("content_type_id", "object_id"))
    moving, dropping = [], []
    rows = TaggedItem.objects.filter(tag_id__in=ids).order_by("pk").values_list("pk", "content_type_id", "object_id")
    for pk, content_type_id, object_id in rows:
        key = (content_type_id, object_id)
        (dropping if key in seen else moving).append(pk)
        seen.add(key)
    TaggedItem.objects.filter(pk__in=dropping).delete()
    TaggedItem.objects.filter(pk__in=moving).update(tag=keep)
    Tag.objects.filter(pk__in=ids).delete()
    return len(moving)
