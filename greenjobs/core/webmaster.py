"""The webmaster: a staff account that edits content and moderates, and nothing else."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

from greenjobs.core.registry import registry

# Besides the apps that publish (the registry's), the themes (django-taggit) are content too. The admin
# edits them as the site's own proxy model ("greenjobs.Theme"), whose permissions are its own, with their
# French and Spanish names ("greenjobs.ThemeTranslation").
THEMES_APP = "taggit"
THEMES_MODELS = ("theme", "themetranslation")
# The mail queue (django-mailer): see what waits or failed, send it again (an admin action), or
# drop a message that can never be delivered. The log of sent mail is read-only.
MAIL_QUEUE_PERMISSIONS = ("view_message", "delete_message", "view_messagelog")
WEBMASTER_USERNAME = "webmaster"


def content_apps() -> set[str]:
    """Apps whose models are content the webmaster edits and moderates."""
    return {publication.app_label for publication in registry} | {THEMES_APP}


def webmaster_permissions():
    return Permission.objects.filter(
        Q(content_type__app_label__in=content_apps())
        | Q(content_type__app_label="greenjobs", content_type__model__in=THEMES_MODELS)
        | Q(content_type__app_label="mailer", codename__in=MAIL_QUEUE_PERMISSIONS)
    )


@transaction.atomic
def webmaster_group_sync() -> Group:
    """Create the Webmasters group and give it exactly the content permissions."""
    group, _ = Group.objects.get_or_create(name=settings.WEBMASTER_GROUP)
    group.permissions.set(webmaster_permissions())
    return group


@transaction.atomic
def webmaster_ensure(*, password: str | None = None) -> tuple[object, str | None]:
    """Make sure the ``webmaster`` account exists.

    Returns the user and the password set, or ``None`` when the account already
    existed (its password is left alone).
    """
    group = webmaster_group_sync()
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=WEBMASTER_USERNAME,
        defaults={"is_staff": True, "email": "webmaster@greenjobs.example"},
    )
    new_password = None
    if created:
        new_password = password or secrets.token_urlsafe(12)
        user.set_password(new_password)
        user.save()
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.groups.add(group)
    return user, new_password


def webmaster_emails() -> list[str]:
    """Where moderation notices go: the group's members and ``WEBMASTER_EMAILS``."""
    User = get_user_model()
    members = (
        User.objects.filter(groups__name=settings.WEBMASTER_GROUP, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    return sorted(set(members) | set(settings.WEBMASTER_EMAILS))
