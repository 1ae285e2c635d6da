import pytest

from .conftest import WIDTHS, no_horizontal_overflow

pytestmark = pytest.mark.django_db(transaction=True)

NAV = ["Home", "Case stories", "Courses", "Events", "About", "Share your story"]


@pytest.mark.parametrize("device", WIDTHS)
def test_home_page_navigation_fits_the_screen(page, screenshot, about_pages, device):
    page.set_viewport_size({"width": WIDTHS[device], "height": 900})
    page.goto("/")

    nav = page.get_by_role("navigation", name="Main")
    for label in NAV:
        assert nav.get_by_role("link", name=label, exact=True).is_visible()
    assert page.get_by_role("heading", level=1).inner_text() == "Green jobs that are also decent work"
    assert no_horizontal_overflow(page)
    assert screenshot(page, f"home-{device}").stat().st_size > 0

    nav.get_by_role("link", name="About", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "What makes a job green and decent?"
    assert no_horizontal_overflow(page)


def test_skip_link_moves_focus_to_main(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
