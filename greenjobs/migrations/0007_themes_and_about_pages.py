"""Themes under their own name in the admin (a proxy of taggit's Tag), the old addresses of merged or renamed
themes, and what the webmaster writes for an about page.

Each existing about page gets its row: its HTML becomes the Markdown text (Markdown keeps HTML blocks;
``<h2>`` becomes ``<h3>``, the first level the Markdown pipeline keeps, shown again as h2 on the page), and
the three pages the footer used to name stay in the footer in the same order.
"""

import re

import django.db.models.deletion
from django.db import migrations, models


FOOTER = {"/about/initiative/": (10, "The initiative"), "/about/green-jobs/": (20, "What is a green job?"),
          "/contact/": (90, "Contact")}  # fmt: skip


def about_pages(apps, schema_editor):
    FlatPage = apps.get_model("flatpages", "FlatPage")
    AboutPage = apps.get_model("greenjobs", "AboutPage")
    for page in FlatPage.objects.filter(about__isnull=True):
        order, menu_title = FOOTER.get(page.url, (100, ""))
        markdown = re.sub(r"<(/?)h2\b", r"<\1h3", page.content)
        AboutPage.objects.create(
            page=page, markdown=markdown, menu_title=menu_title, menu_order=order, in_footer=page.url in FOOTER
        )


class Migration(migrations.Migration):
    dependencies = [
        ("flatpages", "0001_initial"),
        ("greenjobs", "0006_searchword"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.CreateModel(
            name="AboutPage",
            fields=[
                (
                    "page",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="about",
                        serialize=False,
                        to="flatpages.flatpage",
                        verbose_name="page",
                    ),
                ),
                (
                    "markdown",
                    models.TextField(
                        blank=True, help_text="Markdown, rendered to safe HTML on save.", verbose_name="text"
                    ),
                ),
                (
                    "menu_title",
                    models.CharField(
                        blank=True,
                        help_text="Short name in menus; the title when empty.",
                        max_length=80,
                        verbose_name="menu title",
                    ),
                ),
                (
                    "menu_order",
                    models.PositiveSmallIntegerField(
                        default=100,
                        help_text="Smaller numbers come first in the About menu and the footer.",
                        verbose_name="menu order",
                    ),
                ),
                (
                    "in_footer",
                    models.BooleanField(
                        default=False, help_text="Linked from every page.", verbose_name="in the footer"
                    ),
                ),
            ],
            options={
                "verbose_name": "about page",
                "verbose_name_plural": "about pages",
                "ordering": ["menu_order", "page__title"],
            },
        ),
        migrations.CreateModel(
            name="Theme",
            fields=[],
            options={
                "verbose_name": "theme",
                "verbose_name_plural": "themes",
                "ordering": ["name"],
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("taggit.tag",),
        ),
        migrations.CreateModel(
            name="ThemeAlias",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "slug",
                    models.SlugField(
                        allow_unicode=True,
                        help_text="No live theme has it.",
                        max_length=100,
                        unique=True,
                        verbose_name="old slug",
                    ),
                ),
                ("created", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                (
                    "theme",
                    models.ForeignKey(
                        help_text="Where it points.",
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="taggit.tag",
                        verbose_name="theme",
                    ),
                ),
            ],
            options={
                "verbose_name": "old theme address",
                "verbose_name_plural": "old theme addresses",
                "ordering": ["slug"],
            },
        ),
        migrations.RunPython(about_pages, migrations.RunPython.noop),
    ]
