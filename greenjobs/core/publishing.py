"""One way to say "public" for every content model, and one preview rule.

A content model's queryset derives from ``PublishableQuerySet`` and says what is public in
``published()``; the model says the same of one row in its ``is_public`` property. Public views
start from ``published()``; a detail view starts from ``visible_to(request.user)``, which adds
the items not public for those who may preview the model (``may_preview``). Its page then marks
such an item as a preview: ``is_preview`` in the context, the banner ``includes/preview_banner.html``,
``noindex`` and no JSON-LD.
"""

from __future__ import annotations

from django.db import models


def may_preview(user, model) -> bool:
    """Staff with the model's view permission see unpublished items, marked as previews."""
    opts = model._meta
    return bool(
        user is not None
        and user.is_active
        and user.is_staff
        and user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
    )


class PublishableQuerySet(models.QuerySet):
    def published(self):
        raise NotImplementedError("a content queryset says what is public")

    def visible_to(self, user):
        """Everything for those who may preview, the public items for everyone else."""
        return self if may_preview(user, self.model) else self.published()
