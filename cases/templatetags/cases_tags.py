import re
from html import escape
from urllib.parse import quote

from django import template
from django.core.cache import cache
from django.template.defaultfilters import date
from django.urls import reverse
from django.utils.html import format_html, format_html_join, urlize
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language, gettext

from cases.models import CaseStory, OrganisationType
from cases.selectors import DERIVED_SECONDS, Cards
from greenjobs.core.derived import derived
from greenjobs.core.taxonomy import card_themes_of, theme_label

register = template.Library()

PARAGRAPHS = re.compile(r"\n\s*\n")
# Every word ``urlize`` turns into a link contains one of these (it matches on the raw word); most
# paragraphs contain none, and escaping them whole gives what ``urlize`` would, at a fraction of the cost.
LINK_HINT = re.compile(r"@|https?://|www\.|\.(?:com|edu|gov|int|mil|net|org)", re.IGNORECASE)
LINK_OPEN = '<a href="'


@register.inclusion_tag("cases/_home_latest.html", takes_context=False)
def latest_cases(count: int = 3):
    """Home page slot: the latest published stories, nothing at all when there are none (one query, once per
    content version)."""

    def build() -> list:
        stories = list(CaseStory.objects.published().with_card_themes()[:count])
        for story in stories:
            story.card_themes = card_themes_of(story)
        return stories

    return {"stories": derived(f"cases:latest:{count}", build)}


@register.simple_tag
def pending_case_count() -> int:
    return CaseStory.objects.pending().count()


# Without a photo, a decorative block in the first theme's tint keeps the grid even.
_PLACEHOLDER = (
    '<svg class="case-card__placeholder" width="100%" viewBox="0 0 60 40" aria-hidden="true" focusable="false">'
    '<rect width="60" height="40" fill="{}"/><path d="M24 27c0-8 5-13 13-14-1 8-5 13-13 14zm0 0c2-4 5-7 9-10" '
    'fill="none" stroke="#145a2c" stroke-width="1.2" stroke-linecap="round" opacity=".45"/></svg>'
)


def card(story, heading: str = "h3", *, list_url: str | None = None) -> str:
    """A case story's card, one ``<li>``: photo (or placeholder), title, country, themes, summary.

    Built here rather than in a template: a list page shows a dozen, and most are seen once (the long
    tail), so they are rendered cold; a dozen card templates cost as much as the rest of the page.
    ``story`` has ``card_themes`` set (or themes prefetched)."""
    themes = story.card_themes
    if story.photo:
        picture = format_html(
            '<img src="{}" alt="{}" width="400" height="{}" loading="lazy" decoding="async">',
            story.thumbnail_url,
            story.photo_description,
            story.thumbnail_height or 267,
        )
    else:
        picture = format_html(_PLACEHOLDER, placeholder_tint(themes))
    tags = ""
    if themes:
        list_url = list_url or reverse("cases:list")
        links = format_html_join(
            "",
            '<li><a href="{}?theme={}">{}</a></li>',
            ((list_url, quote(theme.slug, safe="/"), theme_label(theme.name)) for theme in themes),
        )
        tags = format_html('\n    <ul class="tags" aria-label="{}">\n      {}\n    </ul>', gettext("Themes"), links)
    heading = heading if heading in HEADINGS else "h3"
    return format_html(
        '<li>\n<article class="card case-card">\n  {}\n  <div class="card__body">\n'
        '    <{} class="card__title"><a href="{}">{}</a></{}>\n'
        '    <p class="meta case-card__country"><img class="flag" src="{}" alt="" width="16" height="11"> {}</p>{}\n'
        '    <p class="case-card__summary">{}</p>\n  </div>\n</article>\n</li>',
        picture,
        mark_safe(heading),
        story.get_absolute_url(),
        story.title,
        mark_safe(heading),
        story.country.flag,
        story.country.name,
        tags,
        story.summary,
    )


HEADINGS = ("h2", "h3", "h4")


@register.simple_tag
def case_cards(stories, key: str = "", heading: str = "h3") -> str:
    """The cards of these stories, each an ``<li>``. With a content-version ``key`` each card is built
    once per version and kept in the cache; the stories' rows are not even read when every card is kept
    (``cases.selectors.Cards``)."""
    ids = stories.ids if isinstance(stories, Cards) else [story.pk for story in stories]
    language = get_language()
    names = {story_id: f"cases:card-item:{language}:{heading}:{key}:{story_id}" for story_id in ids}
    html = {}
    if key:
        kept = cache.get_many(list(names.values()))
        html = {story_id: kept[name] for story_id, name in names.items() if name in kept}
    if len(html) < len(ids):
        list_url = reverse("cases:list")
        fresh = {story.pk: card(story, heading, list_url=list_url) for story in stories if story.pk not in html}
        html.update(fresh)
        if key:
            cache.set_many({names[story_id]: card for story_id, card in fresh.items()}, DERIVED_SECONDS)
    return mark_safe("".join(html[story_id] for story_id in ids if story_id in html))


# Light tints a card without a photo takes from its first theme (an SVG attribute: no inline style, no CSS).
PLACEHOLDER_TINTS = ("#e8f3e6", "#e2eef3", "#f6efd9", "#efe6dc", "#e6e8f4", "#eaf0dc")


@register.filter
def placeholder_tint(themes) -> str:
    """The same tint for every story of a theme; the site's leaf green without one."""
    first = next(iter(themes or ()), None)
    return PLACEHOLDER_TINTS[first.id % len(PLACEHOLDER_TINTS)] if first is not None else PLACEHOLDER_TINTS[0]


@register.filter(is_safe=True)
def plain_text(value) -> str:
    """A contributor's plain text as HTML: escaped, paragraphs and line breaks kept, links clickable."""
    text = str(value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return ""
    paragraphs = []
    for raw in PARAGRAPHS.split(text):
        block = raw.strip()
        if LINK_HINT.search(block):
            html = urlize(block, trim_url_limit=60, nofollow=False, autoescape=True)
            html = html.replace(LINK_OPEN, '<a rel="nofollow ugc noopener" href="')
        else:
            html = escape(block)
        paragraphs.append("<p>" + html.replace("\n", "<br>") + "</p>")
    return mark_safe("\n".join(paragraphs))


# --- The story page ----------------------------------------------------------------------------
# Built here rather than in a template: most stories are seen once (the long tail), so their page is
# rendered cold each time, and as template loops, filters and translations these parts cost several
# times the rest of the page. The fixed texts are translated once per language.

SECTIONS = (
    ("challenge", "The challenge"),
    ("actions", "What was done"),
    ("environment_results", "Results for the environment"),
    ("job_results", "Results for jobs and working conditions"),
    ("lessons", "Lessons learnt"),
)
PHOTO_SIZES = "(min-width: 72rem) 45rem, (min-width: 48rem) 70vw, 100vw"
_labels_by_language: dict[str, dict[str, str]] = {}
_countries: dict[tuple[str, str], tuple[str, str]] = {}


def _labels() -> dict[str, str]:
    """The page's fixed texts in the active language, escaped, once per language and process."""
    language = get_language()
    labels = _labels_by_language.get(language)
    if labels is None:
        labels = {
            "country": gettext("Country"),
            "organisation": gettext("Organisation"),
            "published": gettext("Published"),
            "themes": gettext("Themes"),
            **{name: gettext(heading) for name, heading in SECTIONS},
        }
        labels.update((f"type:{value}", label) for value, label in OrganisationType.choices)
        labels = {key: escape(str(text)) for key, text in labels.items()}
        labels["list"] = escape(reverse("cases:list"))
        _labels_by_language[language] = labels
    return labels


def _country(country) -> tuple[str, str]:
    """The country's flag ``<img>`` and its escaped name in the active language (kept per language)."""
    key = (get_language(), country.code)
    found = _countries.get(key)
    if found is None:
        flag = f'<img class="flag" src="{escape(country.flag)}" alt="" width="16" height="11">'
        found = _countries[key] = (flag, escape(str(country.name)))
    return found


@register.simple_tag
def story_facts(story, themes) -> str:
    """The ``<div>`` rows of the story's facts list: country, organisation, date and themes."""
    labels = _labels()
    flag, country = _country(story.country)
    kind = labels.get(f"type:{story.organisation_type}") or escape(str(story.get_organisation_type_display()))
    rows = [
        f"<div><dt>{labels['country']}</dt><dd>{flag} "
        f'<a href="{labels["list"]}?country={escape(story.country.code)}">{country}</a></dd></div>',
        f"<div><dt>{labels['organisation']}</dt><dd>{escape(story.organisation)} "
        f'<span class="meta">({kind})</span></dd></div>',
    ]
    if story.published_at:
        published = template_localtime(story.published_at)
        rows.append(
            f"<div><dt>{labels['published']}</dt><dd>"
            f'<time datetime="{escape(date(published, "c"))}">'
            f"{escape(date(published, 'DATE_FORMAT'))}</time></dd></div>"
        )
    if themes:
        links = "".join(
            f'<li><a href="{labels["list"]}?theme={escape(quote(theme.slug, safe="/"))}">{_theme_html(theme)}</a></li>'
            for theme in themes
        )
        rows.append(f'<div><dt>{labels["themes"]}</dt><dd><ul class="tags">{links}</ul></dd></div>')
    return mark_safe("\n      ".join(rows))


@register.simple_tag
def story_sections(story) -> str:
    """The story's photo (if any) and its sections, each a heading and the contributor's text."""
    labels = _labels()
    parts = []
    if story.photo:
        credit = ""
        if story.photo_credit:
            caption = gettext("Photo: %(credit)s") % {"credit": escape(story.photo_credit)}
            credit = f"\n    <figcaption>{caption}</figcaption>"
        parts.append(
            '<figure class="case-photo">\n'
            f'    <img src="{escape(story.rendition_url())}" srcset="{escape(story.srcset)}" sizes="{PHOTO_SIZES}"\n'
            f'         alt="{escape(story.photo_description)}" width="{story.display_width}"'
            f' height="{story.display_height}">{credit}\n'
            "  </figure>\n  "
        )
    parts.append('<div class="prose case-sections">')
    for name, _ in SECTIONS:
        text = getattr(story, name)
        if text or name != "lessons":
            parts.append(f"\n    <h2>{labels[name]}</h2>\n    {plain_text(text)}")
    parts.append("\n  </div>")
    return mark_safe("".join(parts))


def _theme_html(theme) -> str:
    """A theme's name, escaped, in the page's language (the story index keeps the English one escaped)."""
    label = theme_label(theme.name)
    return (getattr(theme, "name_html", "") if label == theme.name else "") or escape(label)
