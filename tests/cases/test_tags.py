import pytest
from django.template import Context, Template

from cases.templatetags.cases_tags import plain_text

from .factories import CaseStoryFactory

pytestmark = pytest.mark.django_db


def test_plain_text_escapes_keeps_paragraphs_and_line_breaks():
    html = plain_text("One <b>bold</b>\nline two\r\n\r\n\n  Two & more")
    assert html == "<p>One &lt;b&gt;bold&lt;/b&gt;<br>line two</p>\n<p>Two &amp; more</p>"


def test_plain_text_links_get_rel_nofollow_ugc_noopener():
    html = plain_text('See www.example.org and https://x.example/a?b=1&c=<2> "quoted"')
    assert '<a rel="nofollow ugc noopener" href="http://www.example.org">www.example.org</a>' in html
    assert 'href="https://x.example/a?b=1&amp;c=' in html
    assert "<2>" not in html
    assert "<a" not in plain_text("javascript:alert(1)")


def test_plain_text_of_nothing_is_empty():
    assert plain_text("") == "" and plain_text(None) == ""


def test_latest_cases_renders_nothing_or_three_cards_in_one_query(django_assert_num_queries):
    template = Template("{% load cases_tags %}{% latest_cases %}")
    assert template.render(Context()).strip() == ""
    for n in range(4):
        CaseStoryFactory(title=f"Card {n}", themes=["Policy", "Renewable energy"])
    with django_assert_num_queries(1):  # the stories with their themes
        html = template.render(Context())
    assert html.count('class="card case-card"') == 3
    assert html.count('<li><a href="/cases/?theme=policy">Policy</a></li>') == 3
    assert '<section class="home-slot" aria-labelledby="latest-cases-title">' in html
