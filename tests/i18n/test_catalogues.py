"""The French and Spanish catalogues are complete: every message translated, none fuzzy, every
placeholder and tag kept, and every string the templates translate is in them."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"
TEMPLATES = Path(settings.BASE_DIR) / "templates"
LANGUAGES = ["fr", "es"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")
TAG = re.compile(r"</?([a-z]+)\b")
TRANSLATE = re.compile(r"""{%\s*translate\s+(?:"([^"]*)"|'([^']*)')""")


def entries(language: str) -> list[tuple[str, list[str], list[str]]]:
    """(msgid, msgstrs, flags) of each entry of the catalogue, the header left out."""
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    found = []
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        flags = [flag.strip() for line in lines if line.startswith("#,") for flag in line[2:].split(",")]
        fields: dict[str, str] = {}
        name = None
        for line in lines:
            if line.startswith(("msgid", "msgstr", "msgctxt")):
                name, _, rest = line.partition(" ")
                fields[name] = _unquote(rest)
            elif line.startswith('"') and name:
                fields[name] += _unquote(line)
        if fields.get("msgid"):
            strs = [value for key, value in fields.items() if key.startswith("msgstr")]
            found.append((fields["msgid"] + fields.get("msgid_plural", ""), strs, flags))
    return found


def _unquote(text: str) -> str:
    return text.strip()[1:-1].replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="GNU gettext's msgfmt is installed by `make messages`")
@pytest.mark.parametrize("language", LANGUAGES)
def test_msgfmt_finds_the_catalogue_complete_and_well_formed(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "-c", "--statistics", "-o", "/dev/null", str(po)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "fuzzy" not in result.stderr and "untranslated" not in result.stderr, result.stderr


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_keeping_its_placeholders_and_tags(language):
    found = entries(language)
    assert len(found) > 700
    problems = []
    for msgid, msgstrs, flags in found:
        if "fuzzy" in flags or not all(msgstrs):
            problems.append(("untranslated or fuzzy", msgid))
            continue
        for msgstr in msgstrs:
            if set(PLACEHOLDER.findall(msgstr)) - set(PLACEHOLDER.findall(msgid)):
                problems.append(("placeholder", msgid))
            if sorted(set(TAG.findall(msgstr))) != sorted(set(TAG.findall(msgid))):
                problems.append(("tags", msgid))
    assert not problems, problems


def test_every_string_the_templates_translate_is_in_the_catalogues():
    msgids = {msgid for msgid, _strs, _flags in entries("fr")}
    missing = set()
    for template in TEMPLATES.rglob("*.*"):
        for match in TRANSLATE.finditer(template.read_text(encoding="utf-8")):
            text = match[1] if match[1] is not None else match[2]
            if text not in msgids:
                missing.add((str(template.relative_to(TEMPLATES)), text))
    assert not missing, sorted(missing)


def test_the_compiled_catalogues_are_the_ones_django_reads():
    with translation.override("fr"):
        assert translation.gettext("Share your story") != "Share your story"
    with translation.override("es"):
        assert translation.gettext("Share your story") != "Share your story"
