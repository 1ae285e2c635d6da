import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_webmaster_is_staff_in_the_webmasters_group(webmaster):
    assert webmaster.is_staff
    assert not webmaster.is_superuser
    assert list(webmaster.groups.values_list("name", flat=True)) == ["Webmasters"]


def test_webmasters_group_has_content_permissions_and_not_user_management(webmaster):
    assert webmaster.has_perm("flatpages.change_flatpage")
    assert webmaster.has_perm("taggit.add_tag")
    for perm in ("auth.add_user", "auth.change_user", "auth.delete_user", "auth.change_group", "auth.view_user"):
        assert not webmaster.has_perm(perm), perm
    permissions = Group.objects.get(name="Webmasters").permissions
    labels = set(permissions.values_list("content_type__app_label", flat=True))
    assert labels <= {"cases", "events", "courses", "flatpages", "greenjobs", "taggit", "mailer"}
    # Of the site's own models, only the themes (its proxy of taggit's tags) and their names: no search index.
    own = set(permissions.filter(content_type__app_label="greenjobs").values_list("content_type__model", flat=True))
    assert own == {"theme", "themetranslation"}  # themes and their names in French and Spanish
    # The mail queue: see it, send it again, drop a message; the log of sent mail is read-only.
    mail_queue = set(permissions.filter(content_type__app_label="mailer").values_list("codename", flat=True))
    assert mail_queue == {"view_message", "delete_message", "view_messagelog"}


def test_webmaster_cannot_open_user_admin(webmaster_client):
    assert webmaster_client.get("/admin/auth/user/").status_code == 403
    assert webmaster_client.get("/admin/flatpages/flatpage/").status_code == 200


def test_anonymous_is_sent_to_the_admin_login(client):
    response = client.get("/admin/flatpages/flatpage/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_ensure_webmaster_prints_a_generated_password_once(capsys, monkeypatch, client):
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    call_command("ensure_webmaster")
    first = capsys.readouterr().out
    assert "with password:" in first
    password = first.split("with password:")[1].split()[0]
    assert client.login(username="webmaster", password=password)

    call_command("ensure_webmaster")
    assert "password is unchanged" in capsys.readouterr().out
    assert client.login(username="webmaster", password=password)


def test_ensure_webmaster_takes_the_password_from_the_environment(monkeypatch, client):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "from-the-env-42")
    call_command("ensure_webmaster")
    assert client.login(username="webmaster", password="from-the-env-42")


def test_load_demo_is_idempotent(db):
    from django.contrib.flatpages.models import FlatPage

    call_command("load_demo")
    count = FlatPage.objects.count()
    call_command("load_demo")
    assert FlatPage.objects.count() == count >= 3
