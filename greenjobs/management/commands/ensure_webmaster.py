import os

from django.core.management.base import BaseCommand

from greenjobs.core.webmaster import webmaster_ensure


class Command(BaseCommand):
    help = "Create the Webmasters group and the webmaster account if missing."

    def handle(self, *args, **options):
        user, password = webmaster_ensure(password=os.environ.get("DJANGO_SUPERUSER_PASSWORD") or None)
        if password is None:
            self.stdout.write(f"Webmaster account '{user.username}' exists; its password is unchanged.")
        elif os.environ.get("DJANGO_SUPERUSER_PASSWORD"):
            self.stdout.write(f"Created webmaster account '{user.username}' with DJANGO_SUPERUSER_PASSWORD.")
        else:
            self.stdout.write(
                self.style.WARNING(
                    f"Created webmaster account '{user.username}' with password: {password}\n"
                    "It is shown only this once. Log in at http://127.0.0.1:8000/admin/"
                )
            )
