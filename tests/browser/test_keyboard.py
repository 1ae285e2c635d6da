"""The story form with the keyboard only: tab order, visible focus, announced errors, then a real submission."""

import itertools
import re

import pytest
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext

from cases.models import CaseStory, Status
from tests.cases.images import image_bytes

from .conftest import WIDTHS

pytestmark = pytest.mark.django_db(transaction=True)

THEMES = ["Renewable energy", "Skills for green jobs", "Sustainable agriculture"]

# The fields in the order the form shows them (reading order); themes are one stop per checkbox.
FIELDS = [
    "id_title",
    "id_language",
    "id_summary",
    "id_challenge",
    "id_actions",
    "id_environment_results",
    "id_job_results",
    "id_lessons",
    "id_country",
    "id_organisation",
    "id_organisation_type",
    "id_themes_0",
    "id_themes_1",
    "id_themes_2",
    "id_photo",
    "id_photo_description",
    "id_contributor_name",
    "id_contributor_email",
    "id_consent",
    "submit",
]
OPTIONAL = {
    "id_language",
    "id_lessons",
    "id_themes_0",
    "id_themes_1",
    "id_themes_2",
    "id_photo",
    "id_photo_description",
    "submit",
}
REQUIRED = [field for field in FIELDS if field not in OPTIONAL]
# What a keyboard user types into each field (selects: type-ahead on the focused list).
TYPED = {
    "id_title": "Solar repair shop",
    "id_summary": "Women repair solar lamps.",
    "id_challenge": "Lamps were thrown away.",
    "id_actions": "A course for twelve women.",
    "id_environment_results": "Less battery waste.",
    "id_job_results": "Twelve paid jobs.",
    "id_lessons": "Start small.",
    "id_country": "Nepal",
    "id_organisation": "Sun Sisters",
    "id_organisation_type": "Coop",
    "id_photo_description": "Two women test a lamp",
    "id_contributor_name": "Sita",
    "id_contributor_email": "sita@example.org",
}
SPACE = {"id_themes_0", "id_consent"}

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    id: el.id || (el.type === "submit" ? "submit" : el.tagName.toLowerCase()),
    inForm: !!el.closest("form.case-form"),
    focusVisible: el.matches(":focus-visible"),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
    shadow: style.boxShadow !== "none",
    top: box.top + window.scrollY,
    left: box.left + window.scrollX,
  };
}"""


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def tab(page) -> dict:
    page.keyboard.press("Tab")
    return focused(page)


def assert_visible_focus(info: dict) -> None:
    assert info["focusVisible"], f"{info['id']} is focused but does not match :focus-visible"
    assert info["outline"] or info["shadow"], f"{info['id']} has no visible focus indicator"


def tab_into_form(page) -> dict:
    """Tab from the top of the page until focus enters the form; every stop on the way shows its focus."""
    for _ in range(40):
        info = tab(page)
        assert_visible_focus(info)
        if info["inForm"]:
            return info
    raise AssertionError("Tab never reached the story form")


def in_reading_order(stops: list[dict]) -> bool:
    """Each stop is below the previous one, or on the same line to its right, or (multi-column
    checkbox lists) at the top of the next column."""
    for before, after in itertools.pairwise(stops):
        same_line = abs(after["top"] - before["top"]) < 4 and after["left"] > before["left"]
        next_column = after["id"].startswith("id_themes_") and after["left"] > before["left"]
        if not (after["top"] > before["top"] + 1 or same_line or next_column):
            return False
    return True


@pytest.fixture
def themes(db):
    from taggit.models import Tag

    cache.clear()  # the form's rate limit counts submissions per address
    return [Tag.objects.create(name=name) for name in THEMES]


# The prefix of each language's pages, and a country as its list spells it (type-ahead takes plain letters).
LANGUAGES = {"en": ("", "Nepal", "NP"), "fr": ("/fr", "Inde", "IN"), "es": ("/es", "Nepal", "NP")}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("device", WIDTHS)
def test_story_form_keyboard_only(page, themes, tmp_path, device, language):
    prefix, country, country_code = LANGUAGES[language]
    with translation.override(language):
        error_title, thanks = gettext("Error:"), gettext("Thank you: your story awaits review")
    page.set_viewport_size({"width": WIDTHS[device], "height": 900})
    page.goto(f"{prefix}/cases/submit/")

    # 1. Tab order follows the reading order, focus is always visible, the honeypot is skipped.
    stops = [tab_into_form(page)]
    while stops[-1]["id"] != "submit" and len(stops) < 40:
        stops.append(tab(page))
        assert_visible_focus(stops[-1])
    assert [stop["id"] for stop in stops] == FIELDS
    assert in_reading_order(stops), [(s["id"], s["top"], s["left"]) for s in stops]

    # 2. Submit empty with the keyboard: the error summary is announced and takes focus.
    page.keyboard.press("Enter")
    page.wait_for_selector("#error-summary")
    summary = page.locator("#error-summary")
    assert summary.get_attribute("role") == "alert"
    assert focused(page)["id"] == "error-summary"
    assert page.title().replace("\xa0", " ").startswith(error_title.replace("\xa0", " "))

    # 3. One link per invalid field, and every invalid field says why, through aria-describedby.
    links = summary.get_by_role("link")
    targets = [href.removeprefix("#") for href in links.evaluate_all("els => els.map(a => a.getAttribute('href'))")]
    invalid = page.locator('[aria-invalid="true"]').evaluate_all("els => els.map(el => el.id)")
    assert targets == REQUIRED
    assert invalid == REQUIRED
    for field_id, link_text in zip(targets, links.all_inner_texts(), strict=True):
        described = page.locator(f"#{field_id}").get_attribute("aria-describedby").split()
        texts = [page.locator(f"#{ref}").inner_text() for ref in described]
        error = link_text.split(": ", 1)[1]
        assert any(error in text for text in texts), (field_id, error, texts)

    # 4. A summary link moves focus to its field (Tab to the first link, Enter).
    info = tab(page)
    assert_visible_focus(info)
    page.keyboard.press("Enter")
    info = focused(page)
    assert info["id"] == "id_title"
    assert_visible_focus(info)

    # 5. Fill the form by keyboard only, field by field in tab order, then send it.
    photo = tmp_path / "lamp.jpg"
    photo.write_bytes(image_bytes(size=(1200, 800)))
    for field_id in FIELDS:
        assert info["id"] == field_id
        if field_id in TYPED:
            page.keyboard.type(country if field_id == "id_country" else TYPED[field_id])
        elif field_id in SPACE:
            page.keyboard.press("Space")
        elif field_id == "id_photo":
            page.locator(":focus").set_input_files(str(photo))
        elif field_id == "submit":
            page.keyboard.press("Enter")
            break
        info = tab(page)
        assert_visible_focus(info)

    page.wait_for_url(re.compile(r"/cases/submit/thanks/"))  # the #id_title fragment follows the redirect
    assert page.get_by_role("heading", level=1).inner_text() == thanks
    story = CaseStory.objects.get()
    assert story.language == story.contact_language == language  # the form offered the page's language
    assert (story.title, story.country.code) == ("Solar repair shop", country_code)
    assert story.organisation_type == "cooperative"
    assert story.status == Status.PENDING and story.consent
    assert list(story.themes.names()) == ["Renewable energy"]
    assert story.photo_description == "Two women test a lamp"
