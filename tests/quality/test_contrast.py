"""Colour contrast of the stylesheets, WCAG 2.2 AA: 4.5:1 for text, 3:1 for focus rings and field borders.

The pairs below are the text/background combinations the site relies on, listed by hand. The last two
tests keep the list honest: every text colour and every background colour the CSS sets is in it.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

CSS_DIR = Path(settings.BASE_DIR) / "static" / "css"

# (where, foreground, background); names are custom properties of site.css's :root.
TEXT_PAIRS = [
    ("body text", "--ink", "--paper"),
    ("text on sand: footer, filters, other-month days, agenda breaks", "--ink", "--sand"),
    ("text on leaf: call to action, banners, days with events", "--ink", "--leaf"),
    ("text on warn: preview banner, session note on a step", "--ink", "--warn"),
    ("text in an error message", "--ink", "#fdecea"),
    ("search highlight", "--ink", "#fff1a8"),
    ("links, secondary buttons, open status border", "--green", "--paper"),
    ("links on sand: footer, filters", "--green", "--sand"),
    ("links on leaf: call to action, mini calendar, open status", "--green", "--leaf"),
    ("hovered links, step kinds", "--green-dark", "--paper"),
    ("tags, event times, hovered secondary buttons", "--green-dark", "--leaf"),
    ("muted text: meta, breadcrumbs, help text", "--muted", "--paper"),
    ("muted on sand: closed status, past agenda items", "--muted", "--sand"),
    ("muted on leaf: meta in a call to action", "--muted", "--leaf"),
    ("errors: messages, summary", "--error", "--paper"),
    ("buttons, header, site name, main navigation", "#fff", "--green"),
    ("hovered buttons, header search button", "#fff", "--green-dark"),
    ("header call to action", "--green-dark", "#fff"),
    ("skip link", "#fff", "--ink"),
    ("full status", "#6b4500", "--warn"),
    ("print", "#000", "#fff"),
]
NON_TEXT_PAIRS = [
    ("focus: dark ring on the page", "--ink", "--paper"),
    ("focus: dark ring on sand", "--ink", "--sand"),
    ("focus: yellow outline on the dark ring", "--focus", "--ink"),
    ("focus: yellow outline in the green header", "--focus", "--green"),
    ("form field borders", "#6b7b70", "--paper"),
    ("form field borders on sand (filters)", "#6b7b70", "--sand"),
    ("invalid field borders", "--error", "--paper"),
    ("today in the calendar, checkbox accent", "--green", "--paper"),
]
NOT_COLOURS = {"none", "inherit", "currentcolor", "transparent", "initial", "unset"}


def css() -> str:
    return "\n".join(path.read_text() for path in sorted(CSS_DIR.glob("*.css")))


def variables() -> dict[str, str]:
    root = re.search(r":root\s*\{([^}]*)\}", css()).group(1)
    return {name: value.lower() for name, value in re.findall(r"(--[\w-]+)\s*:\s*(#[0-9a-fA-F]{3,6})\b", root)}


def resolve(colour: str) -> str:
    colour = colour.strip().lower()
    match = re.fullmatch(r"var\((--[\w-]+)\)", colour)
    if match:
        colour = variables()[match.group(1)]
    elif colour.startswith("--"):
        colour = variables()[colour]
    if len(colour) == 4:
        colour = "#" + "".join(c * 2 for c in colour[1:])
    assert re.fullmatch(r"#[0-9a-f]{6}", colour), f"not a colour this test understands: {colour}"
    return colour


def luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(resolve(colour)[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: str, background: str) -> float:
    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def declared(properties: str) -> set[str]:
    """Colours set by the given properties anywhere in the CSS (first colour of a shorthand)."""
    found = set()
    for value in re.findall(rf"(?<![\w-])(?:{properties})\s*:\s*([^;}}]+)", css()):
        first = value.split()[0].rstrip(";").lower() if value.strip() else ""
        if first and first not in NOT_COLOURS:
            found.add(resolve(first))
    return found


def test_wcag_formula():
    assert contrast("#000", "#fff") == pytest.approx(21)
    assert contrast("#777777", "#fff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize(("where", "foreground", "background"), TEXT_PAIRS)
def test_text_contrast_is_at_least_4_5(where, foreground, background):
    assert contrast(foreground, background) >= 4.5, where


@pytest.mark.parametrize(("where", "foreground", "background"), NON_TEXT_PAIRS)
def test_focus_and_border_contrast_is_at_least_3(where, foreground, background):
    assert contrast(foreground, background) >= 3, where


def test_every_text_colour_in_the_css_is_checked():
    checked = {resolve(foreground) for _, foreground, _ in TEXT_PAIRS}
    assert declared("color") <= checked, declared("color") - checked


def test_every_background_colour_in_the_css_is_checked():
    checked = {resolve(background) for _, _, background in TEXT_PAIRS}
    assert declared("background|background-color") <= checked, declared("background|background-color") - checked
