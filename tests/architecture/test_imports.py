"""One direction of dependencies: the core imports no app, apps import no other app, the graph has no cycle."""

from pathlib import Path

from tests.helpers import ROOT

from .dependencies import app_labels, check, cycles


def test_every_content_app_is_found_by_its_apps_py():
    assert {"cases", "events", "courses"} <= set(app_labels(ROOT))


def test_the_core_the_discovery_layer_and_the_apps_keep_the_dependency_rule():
    violations, _ = check(ROOT)
    assert not violations, "\n".join(["The dependency rule is broken:", *violations])


def test_the_package_graph_has_no_cycle():
    _, graph = check(ROOT)
    found = cycles(graph)
    assert not found, "\n".join(found)


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


LAYOUT = {
    "greenjobs/__init__.py": "",
    "greenjobs/apps.py": "",
    "greenjobs/settings.py": "",
    "greenjobs/urls.py": "import shop.urls\nfrom greenjobs.discovery import search\n",
    "greenjobs/models.py": "from django.db import models\n",
    "greenjobs/core/__init__.py": "",
    "greenjobs/core/registry.py": '"""Apps such as ``"shop.Item"`` register here."""\nregistry = []\n',
    "greenjobs/discovery/__init__.py": "",
    "greenjobs/discovery/search.py": "from ..core.registry import registry\n",
    "greenjobs/management/commands/seed.py": "from greenjobs.core import registry\n",
    "shop/__init__.py": "",
    "shop/apps.py": "",
    "shop/models.py": "from greenjobs.core.registry import registry\nfrom . import urls\n",
    "shop/urls.py": "from greenjobs import models\n",
    "shop/migrations/0001_initial.py": "import blog.models\nimport greenjobs.urls\n",
    "blog/__init__.py": "",
    "blog/apps.py": "",
    "blog/views.py": "from .models import Post\n",
}


def test_a_layout_that_keeps_the_rule_passes(tmp_path):
    write(tmp_path, LAYOUT)

    violations, graph = check(tmp_path)

    assert violations == []
    assert cycles(graph) == []


def test_the_check_names_each_forbidden_import_and_each_app_named_by_string(tmp_path):
    write(
        tmp_path,
        {
            **LAYOUT,
            "greenjobs/core/registry.py": "def late():\n    from shop.models import Item\n",
            "greenjobs/templatetags/tags.py": "from ..discovery import search\nPATHS = ['/shop/']\n",
            "greenjobs/discovery/search.py": (
                "from django.apps import apps\n\n"
                "def items():\n    return apps.get_model('shop', 'Item'), 'blog.Post', reverse('shop:detail')\n"
            ),
            "greenjobs/management/commands/seed.py": "from greenjobs import settings\n",
            "shop/views.py": "import blog.views\nfrom greenjobs.discovery.search import items\n",
        },
    )

    violations, graph = check(tmp_path)

    assert sorted(violations) == [
        "greenjobs/core/registry.py:2 imports shop.models: the core may not import an app (shop)",
        "greenjobs/discovery/search.py:4 names an app by string, 'blog.Post': "
        "the discovery layer knows apps only through the registry",
        "greenjobs/discovery/search.py:4 names an app by string, 'shop': "
        "the discovery layer knows apps only through the registry",
        "greenjobs/discovery/search.py:4 names an app by string, 'shop:detail': "
        "the discovery layer knows apps only through the registry",
        "greenjobs/management/commands/seed.py:1 imports greenjobs.settings: "
        "the discovery layer may not import the composition (greenjobs)",
        "greenjobs/templatetags/tags.py:1 imports greenjobs.discovery.search: "
        "the core may not import the discovery layer",
        "greenjobs/templatetags/tags.py:2 names an app by string, '/shop/': "
        "the core knows apps only through the registry",
        "shop/views.py:1 imports blog.views: the app 'shop' may not import an app (blog)",
        "shop/views.py:2 imports greenjobs.discovery.search: the app 'shop' may not import the discovery layer",
    ]
    [cycle] = cycles(graph)
    assert cycle.startswith("cycle between greenjobs, greenjobs.core, greenjobs.discovery, shop: ")
    assert "greenjobs/core/registry.py:2 imports shop.models" in cycle
    assert "shop/models.py:1 imports greenjobs.core.registry" in cycle
