import pytest

from tests.search.factories import CourseFactory, EventFactory, case

from .conftest import WIDTHS, no_horizontal_overflow

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def content(db):
    story = case(
        title="Solar pumps keep smallholder farms working",
        summary="A cooperative replaced diesel pumps with solar pumps and trained young technicians.",
        challenge="Diesel was expensive and <b>unreliable</b> in the dry season.",
        themes=["Renewable energy", "Sustainable agriculture"],
    )
    case(title="Recycling workshop goes formal", actions="Solar dryers were added later.", themes=["Renewable energy"])
    EventFactory(title="Solar skills webinar", summary="Trainers discuss what solar installers need.").themes.add(
        "Renewable energy"
    )
    CourseFactory(title="Green jobs for solar technicians", themes=["Renewable energy"])
    return story


def test_search_from_the_header_box_and_follow_a_result(page, content):
    page.goto("/")
    box = page.get_by_role("search", name="Site search").get_by_role("searchbox", name="Search the site")
    box.fill("solar pumps")
    box.press("Enter")

    page.wait_for_url("**/search/?q=solar+pumps")
    assert page.get_by_role("heading", level=1).inner_text() == "Search"
    results = page.locator(".search-result")
    marked = {text.lower() for text in results.first.locator("mark").all_inner_texts()}
    assert marked == {"solar", "pumps"}
    page.get_by_role("link", name="Solar pumps keep smallholder farms working").click()

    page.wait_for_url(f"**{content.get_absolute_url()}")
    assert page.get_by_role("heading", level=1).inner_text() == content.title


@pytest.mark.parametrize("device", WIDTHS)
def test_search_and_theme_pages_fit_the_screen(page, screenshot, content, device):
    page.set_viewport_size({"width": WIDTHS[device], "height": 900})
    page.goto("/search/?q=solar")
    assert page.locator(".search-result").count() == 4
    assert no_horizontal_overflow(page)
    screenshot(page, f"search-results-{device}")

    page.goto("/themes/renewable-energy/")
    assert page.get_by_role("heading", level=1).inner_text() == "Renewable energy"
    assert page.get_by_role("button", name="Copy link").is_visible()
    assert page.get_by_role("button", name="Print").is_visible()
    assert no_horizontal_overflow(page)
    screenshot(page, f"search-theme-{device}")

    page.goto("/themes/")
    assert no_horizontal_overflow(page)
    screenshot(page, f"search-themes-{device}")


def test_copy_link_without_javascript_shows_the_address(browser, live_server, content):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.goto("/themes/renewable-energy/")
    assert page.get_by_label("Link to this page").input_value() == f"{live_server.url}/themes/renewable-energy/"
    assert not page.get_by_role("button", name="Copy link").is_visible()
    assert page.get_by_text("use your browser's Print command").is_visible()
    context.close()
