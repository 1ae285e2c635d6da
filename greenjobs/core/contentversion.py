"""The content version: one number that changes on every committed change to public content.

A counter row in PostgreSQL (``greenjobs.models.ContentVersion``) that every committed change to
*public* content increments (a published row saved, unpublished or deleted, a theme, an about page);
a pending submission, the moderation history or a draft do not touch it. Whatever is derived from
public content (whole pages, page parts, indexes) is kept under this number and so is never served
stale. Which models are watched comes from the registry (``greenjobs.core.registry``).

With a shared cache (Redis) the version is also kept there: a reader needs no database query. A
version key that is missing (Redis restarted, evicted) or older than ``VERSION_TTL`` seconds is read
again from the row, so a lost update cannot keep stale pages long. With a process-local cache each
read goes to the row (one primary-key query).

If the shared cache errs or times out, callers go on without it (``call``), and the cache is left
alone for ``CIRCUIT_SECONDS`` so that no request waits on it again meanwhile.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import time

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from greenjobs.core.registry import registry

log = logging.getLogger(__name__)

VERSION_KEY = "pagecache:version"
VERSION_TTL = 30
CIRCUIT_SECONDS = 5.0

_down_until = 0.0
# The version read in the current page view (see ``remembered``); None outside one.
_memo: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar("content_version_memo", default=None)


def cache_backend():
    """The cache that holds pages, page parts and the version: ``PAGE_CACHE_ALIAS``."""
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


def shared(cache) -> bool:
    """Whether every process sees this cache (Redis, Memcached), so the version may live there."""
    return not isinstance(cache, LocMemCache | DummyCache)


def call(method, *args, default=None):
    """Call the cache; on an error, treat it as a miss and leave the cache alone for a while."""
    global _down_until  # noqa: PLW0603
    if time.monotonic() < _down_until:
        return default
    try:
        return method(*args)
    except Exception:
        _down_until = time.monotonic() + CIRCUIT_SECONDS
        log.warning("Page cache unavailable; serving without it for %s s", CIRCUIT_SECONDS, exc_info=True)
        return default


def _table() -> str:
    from greenjobs.models import ContentVersion

    return connection.ops.quote_name(ContentVersion._meta.db_table)


def db_version() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version FROM {_table()} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else 0


def seed(cache) -> int:
    version = db_version()
    if shared(cache):
        call(cache.add, VERSION_KEY, version, VERSION_TTL)
    return version


def content_version() -> int:
    """A number that changes on every committed change to public content, the same on every server.

    Within ``remembered()`` (an anonymous page being rendered) it is read once and then reused.
    """
    memo = _memo.get()
    if memo:
        return memo[0]
    cache = cache_backend()
    version = call(cache.get, VERSION_KEY) if shared(cache) else None
    if version is None:
        version = seed(cache)
    if memo is not None:
        memo.append(version)
    return version


@contextlib.contextmanager
def remembered(version: int | None = None):
    """Read the version at most once in this block (one page view that writes nothing public).

    ``version``: the value the caller has just read (the page cache reads it with the page).
    """
    token = _memo.set([] if version is None else [version])
    try:
        yield
    finally:
        _memo.reset(token)


def db_bump() -> int:
    table = _table()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (id, version) VALUES (1, 1) "
            f"ON CONFLICT (id) DO UPDATE SET version = {table}.version + 1 RETURNING version"
        )
        return cursor.fetchone()[0]


def bump_content_version() -> int:
    """Increment the row (atomic in PostgreSQL) and publish the new value to the shared cache."""
    version = db_bump()
    memo = _memo.get()
    if memo is not None:
        memo[:] = [version]
    cache = cache_backend()
    if shared(cache):
        call(cache.set, VERSION_KEY, version, VERSION_TTL)
    return version


# --- What is public -----------------------------------------------------------


def _publishable(model) -> bool:
    """Models with a ``published()`` queryset: public views start from it (house rule)."""
    return callable(getattr(model._default_manager, "published", None))


def _published(model, pks) -> bool:
    pks = [pk for pk in pks if pk is not None]
    return bool(pks) and model._default_manager.published().filter(pk__in=pks).exists()


def _is_public(instance) -> bool:
    """Whether a row is something the public sees: published itself, or part of something published."""
    model = type(instance)
    if model._meta.label_lower in registry.private_models():
        return False
    if _publishable(model):
        return _published(model, [instance.pk])
    for field in model._meta.concrete_fields:
        if field.many_to_one and field.related_model is not None and _publishable(field.related_model):
            return _published(field.related_model, [getattr(instance, field.attname)])
    for field in model._meta.private_fields:
        if isinstance(field, GenericForeignKey):
            from django.contrib.contenttypes.models import ContentType

            type_id = getattr(instance, model._meta.get_field(field.ct_field).attname)
            target = ContentType.objects.get_for_id(type_id).model_class() if type_id else None
            if target is not None and _publishable(target):
                return _published(target, [getattr(instance, field.fk_field)])
    return True


def _schedule_bump() -> None:
    """Bump once the change is committed: never before, so no page rendered before it is kept."""
    transaction.on_commit(bump_content_version, robust=True)


def _before_save(sender, instance, **kwargs) -> None:
    if _publishable(sender) and not instance._state.adding and instance.pk is not None:
        instance._pagecache_was_public = _published(sender, [instance.pk])


def _after_save(sender, instance, **kwargs) -> None:
    was_public = instance.__dict__.pop("_pagecache_was_public", False)
    if was_public or _is_public(instance):
        _schedule_bump()


def _before_delete(sender, instance, **kwargs) -> None:
    instance._pagecache_was_public = _is_public(instance)


def _after_delete(sender, instance, **kwargs) -> None:
    if instance.__dict__.pop("_pagecache_was_public", True):
        _schedule_bump()


def _m2m_changed(sender, *, instance, action, reverse, model, pk_set, **kwargs) -> None:
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not {sender._meta.app_label, type(instance)._meta.app_label} & registry.watched_apps():
        return
    # Forward (story.themes.add): the story decides; reverse (tag.<stories>.add): the stories do.
    owners_decide = reverse and _publishable(model)
    if (pk_set is None or _published(model, pk_set)) if owners_decide else _is_public(instance):
        _schedule_bump()


def connect_signals() -> None:
    """Watch the apps that publish (the registry's) only, so other models keep Django's fast deletes."""
    watched = registry.watched_apps()
    for model in apps.get_models():
        if model._meta.app_label in watched:
            uid = f"pagecache-{model._meta.label_lower}"
            pre_save.connect(_before_save, sender=model, dispatch_uid=uid)
            post_save.connect(_after_save, sender=model, dispatch_uid=uid)
            pre_delete.connect(_before_delete, sender=model, dispatch_uid=uid)
            post_delete.connect(_after_delete, sender=model, dispatch_uid=uid)
    m2m_changed.connect(_m2m_changed, dispatch_uid="pagecache-m2m")
