"""Demo content for the site itself: the about pages. The Sites record is left alone (links use SITE_URL)."""

from django.conf import settings
from django.contrib.flatpages.models import FlatPage

PAGES = {
    "/about/green-jobs/": (
        "What makes a job green and decent?",
        """
<p>A green job helps to protect or restore the environment. It may cut the energy and raw
materials a business uses, lower greenhouse gas emissions, reduce waste and pollution, or help
ecosystems and communities adapt to a changing climate. Green jobs exist in every sector: in
farming and forestry, in building and transport, in factories and offices, in tourism and in
recycling.</p>
<p>A job is only truly green when it is also <strong>decent work</strong>. That means:</p>
<ul>
  <li>a fair income and social protection for workers and their families;</li>
  <li>safe and healthy working conditions;</li>
  <li>respect for workers' rights, including the right to organise and bargain collectively;</li>
  <li>equal opportunities for women and men, young and old;</li>
  <li>a voice in the decisions that shape the workplace and the transition.</li>
</ul>
<p>A recycling workshop where people sort electronic waste by hand without protection is not a
green job in this sense, however much it helps the environment. Making it safe, formal and fairly
paid is part of the work this portal is about.</p>
<h2>Where the jobs come from</h2>
<p>Green jobs are created when enterprises adopt cleaner ways of producing, when governments set
policies that reward them, and when workers gain the skills to do the new work. The
<a href="/cases/">case stories</a> on this site show how that happens in practice.</p>
""",
    ),
    "/about/initiative/": (
        "The Green Jobs Initiative",
        """
<p>The Green Jobs Initiative is a partnership of four organisations that together speak for
governments, employers and workers:</p>
<ul>
  <li><abbr title="United Nations Environment Programme">UNEP</abbr>,
    the United Nations Environment Programme;</li>
  <li><abbr title="International Labour Organization">ILO</abbr>,
    the International Labour Organization;</li>
  <li><abbr title="International Organisation of Employers">IOE</abbr>,
    the International Organisation of Employers;</li>
  <li><abbr title="International Trade Union Confederation">ITUC</abbr>,
    the International Trade Union Confederation.</li>
</ul>
<p>The partners started the initiative to show that protecting the environment and creating
decent jobs go together. They support research on how many and what kind of jobs a greener
economy creates, advise countries on green jobs policies, and train the people who put them into
practice.</p>
<p>This portal belongs to the initiative's training work. It collects case stories, prepares
participants for training courses, and keeps the calendar of the programme's meetings in Asia
and the Pacific and beyond.</p>
""",
    ),
    "/contact/": (
        "Contact",
        """
<p>Questions about a course, a meeting or a case story? Write to the webmaster at
<a href="mailto:webmaster@greenjobs.example">webmaster@greenjobs.example</a>.</p>
<p>To share your own experience of creating green and decent jobs, use the
<a href="/cases/submit/">story form</a>: you do not need an account.</p>
<p>We answer in English, usually within five working days.</p>
""",
    ),
}


CONTENT = "about pages"  # what has_content() looks for, as load_demo --if-empty names it


def has_content() -> bool:
    return FlatPage.objects.exists()


def load() -> str:
    """Create the about pages that are missing (by URL), on the current site; never touch one that exists."""
    created = 0
    for url, (title, content) in PAGES.items():
        page, was_created = FlatPage.objects.get_or_create(
            url=url, defaults={"title": title, "content": content.strip()}
        )
        if was_created:
            page.sites.add(settings.SITE_ID)
            created += 1
    return f"{created} about pages created, {len(PAGES) - created} already there"
