"""The home page says whose site this is, who keeps it, where the ILO's green jobs work is, and who the partners are."""

import gzip
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

ILLUSTRATION = "img/green-work.svg"
PARTNERS = ["https://www.unep.org/", "https://www.ilo.org/", "https://www.ioe-emp.org/", "https://www.ituc-csi.org/"]


@pytest.fixture
def home(client):
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_home_page_names_the_itc_ilo_as_host_and_its_experts_as_authors(home):
    assert "International Training Centre of the ILO</a> (ITC-ILO) in Turin" in home
    assert 'href="https://www.itcilo.org/"' in home
    assert "Experts of the ITC-ILO and the ILO develop this platform and its courses and revise them regularly" in home


def test_the_home_page_links_to_the_ilos_green_jobs_work_and_to_the_partners(home):
    ilo_work = re.search(r"""<a href="(https://www\.ilo\.org/[^"]+)">the ILO('|&#x27;)s green jobs pages</a>""", home)
    assert ilo_work and "just-transition" in ilo_work.group(1)
    for url in PARTNERS:
        assert f'href="{url}"' in home
    assert "dirty, dangerous and difficult" in home
    assert 'href="/about/initiative/"' in home


def test_the_hero_illustration_is_a_small_svg_with_a_text_alternative(home):
    img = re.search(rf'<img src="{settings.STATIC_URL}{ILLUSTRATION}"[^>]*>', home)
    assert img, "the hero shows the illustration"
    assert re.search(r'alt="Illustration: [^"]{40,}"', img.group(0))
    assert 'width="720"' in img.group(0) and 'height="220"' in img.group(0)  # no layout shift while it loads
    data = Path(finders.find(ILLUSTRATION)).read_bytes()
    assert data.startswith(b"<svg") and b"<script" not in data and b'href="http' not in data
    assert len(data) <= 6 * 1024 and len(gzip.compress(data)) <= 2 * 1024


def test_the_about_pages_carry_the_initiatives_argument_the_2008_report_and_the_host(client, about_pages):
    initiative = " ".join(client.get("/about/initiative/").content.decode().split())
    for fact in ("dirty, dangerous and difficult", "Goal 1, ending extreme poverty", "Goal 7, protecting the",
                 "In September 2008", "Towards decent work in a"):  # fmt: skip
        assert fact in initiative, fact
    for url in PARTNERS:
        assert f'href="{url}"' in initiative
    portal = " ".join(client.get("/about/portal/").content.decode().split())
    host = r'<a href="https://www\.itcilo\.org/"[^>]*>International Training Centre of the ILO</a> \(ITC-ILO\)'
    assert re.search(host, portal)
    assert "Experts of the ITC-ILO and the ILO develop the platform and its training courses" in portal


def test_every_page_footer_names_the_host_and_links_the_partners(client):
    footer = client.get("/cases/").content.decode().split('<footer class="site-footer">')[1]
    assert '<a href="https://www.itcilo.org/">ITC-ILO</a>' in footer
    for url in PARTNERS:
        assert f'href="{url}"' in footer
