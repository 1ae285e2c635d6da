"""Demo case stories (our own words) with photos drawn by Pillow, plus a small moderation queue."""

import math
import random
from datetime import timedelta

from django.utils import timezone
from PIL import Image, ImageDraw
from taggit.models import Tag

from greenjobs.themes import DEMO_THEMES

from .models import CaseStory, Status
from .photos import photo_store

T = {
    "tourism": "Sustainable tourism",
    "entrepreneurship": "Green entrepreneurship",
    "enterprises": "Green enterprises",
    "resilience": "Climate resilience and adaptation",
    "waste": "Waste management and recycling (including e-waste)",
    "energy": "Renewable energy",
    "building": "Green building and construction",
    "agriculture": "Sustainable agriculture",
    "skills": "Skills for green jobs",
    "policy": "Policy",
    "research": "Green jobs research and assessment",
}

# slug, title, country, organisation, type, themes, motif, palette, summary, challenge, actions, env, jobs, lessons
STORIES = [
    (
        "solar-mini-grids-bring-evening-work-to-hill-villages",
        "Solar mini-grids bring evening work to hill villages",
        "NP",
        "Himal Solar Cooperative",
        "cooperative",
        ["energy", "skills"],
        "solar",
        ((120, 170, 220), (70, 120, 60)),
        "Villagers trained as technicians run twelve solar mini-grids, and small workshops now stay open after dark.",
        "Three valleys depended on diesel generators that ran for two hours a night. Fuel came by porter, and "
        "workshops closed at sunset.",
        "A cooperative owned by the villages installed twelve mini-grids. Forty young people, half of them women, "
        "followed a six-month course in installation and maintenance.",
        "Diesel use fell by about 60,000 litres a year. Noise and smoke in homes dropped sharply.",
        "Thirty-four technicians are employed on written contracts with health cover. Tailors and carpenters "
        "work longer hours and earn more.",
        "Train local people before the panels arrive: a grid without technicians fails within a year.",
    ),
    (
        "e-waste-workers-move-from-backyards-to-a-safe-workshop",
        "E-waste workers move from backyards to a safe workshop",
        "IN",
        "Safe Circuits Association",
        "workers",
        ["waste", "enterprises"],
        "recycling",
        ((200, 200, 190), (90, 90, 110)),
        "Informal e-waste pickers formed an association and opened a registered dismantling workshop with "
        "protective equipment.",
        "Hundreds of people burned cables and soaked circuit boards in acid in their backyards to recover metals, "
        "with no protection and no contracts.",
        "With the city council and a trade union, the pickers registered an association, rented a workshop and "
        "agreed prices with a licensed recycler.",
        "Open burning stopped in two neighbourhoods. Hazardous parts now go to a licensed plant.",
        "One hundred and twenty members earn a steady income, wear protective gear and have a say through "
        "elected representatives.",
        "Formalising informal work needs a buyer at a fair price before anything else.",
    ),
    (
        "eco-lodges-train-local-guides-in-the-highlands",
        "Eco-lodges train local guides in the highlands",
        "MN",
        "Steppe Trails Tourism",
        "enterprise",
        ["tourism", "skills"],
        "mountains",
        ((170, 200, 235), (150, 120, 80)),
        "A family tourism company built lodges with herders and trained them as guides, sharing income with "
        "the community.",
        "Tourists came by jeep for a day, left litter and little money behind. Young herders moved to the city.",
        "The company built six small lodges with solar water heating and composting toilets, and paid herders "
        "to train as certified guides.",
        "Waste on the main trail fell by three quarters. Lodges use no firewood from the fragile steppe.",
        "Twenty-eight guides earn a season's wage plus a share of lodge revenue, with insurance paid by the company.",
        "",
    ),
    (
        "mangrove-restoration-creates-coastal-jobs",
        "Mangrove restoration creates coastal jobs",
        "ID",
        "Pesisir Hijau Community Group",
        "community",
        ["resilience", "agriculture"],
        "coast",
        ((150, 200, 230), (40, 110, 80)),
        "A fishing community replanted 80 hectares of mangroves and now earns from nurseries, crab farming "
        "and guided visits.",
        "Shrimp ponds had replaced the mangroves. Storms flooded the village every year and fish catches fell.",
        "The community set up nurseries, replanted with the help of the district, and agreed rules for "
        "sustainable crab farming.",
        "Eighty hectares of mangroves store carbon and protect 400 homes from storm surges.",
        "Fifty-five people, mostly women, earn from nurseries and crab farming. Income is more stable across seasons.",
        "Restoration lasts when the people who plant also earn from the forest.",
    ),
    (
        "a-green-building-code-trains-thousands-of-workers",
        "A green building code trains thousands of workers",
        "CN",
        "Provincial Housing Department",
        "government",
        ["building", "policy", "skills"],
        "buildings",
        ((190, 210, 230), (120, 130, 140)),
        "A province tied its new energy-saving building code to a training programme for construction workers.",
        "A new code required insulation and efficient windows, but few workers knew how to install them, and "
        "early buildings failed inspections.",
        "The housing department funded short courses on sites, run with vocational schools and the "
        "construction workers' union.",
        "New homes use about 30% less energy for heating and cooling than those built before the code.",
        "Over 8,000 workers earned a certificate that raises their daily pay grade.",
        "Announce the training budget together with the regulation.",
    ),
    (
        "organic-rice-farmers-share-a-mill-and-a-brand",
        "Organic rice farmers share a mill and a brand",
        "TH",
        "Northern Rice Growers Cooperative",
        "cooperative",
        ["agriculture", "entrepreneurship"],
        "terraces",
        ((200, 220, 240), (110, 160, 60)),
        "Smallholders converted to organic rice, built a shared mill and sell under their own brand.",
        "Farmers spent heavily on chemicals, and middlemen set the price of their paddy.",
        "With a rural bank loan, 300 farmers converted over three years, built a mill with a biomass dryer "
        "and created a brand.",
        "Chemical fertiliser use ended on 900 hectares. Rice husks now power the dryer.",
        "The mill employs 22 people year-round, and farmer incomes rose by about a fifth.",
        "",
    ),
    (
        "hotels-cut-waste-and-share-savings-with-staff",
        "Hotels cut waste and share savings with staff",
        "FJ",
        "Pacific Hotel Employers' Group",
        "employers",
        ["tourism", "waste"],
        "island",
        ((130, 190, 230), (230, 210, 150)),
        "An employers' group helped resort hotels cut food and plastic waste, and agreed to share savings with staff.",
        "Resorts shipped tonnes of waste to a small island landfill, and staff turnover was high.",
        "Eighteen hotels set up waste teams, composting and refill stations. Each hotel agreed a bonus "
        "scheme with its staff.",
        "Waste sent to landfill fell by half in two years; single-use plastic bottles were phased out.",
        "Staff receive a yearly bonus from savings, and waste teams became permanent, trained positions.",
        "Staff ideas saved more than equipment did.",
    ),
    (
        "wind-turbine-technicians-trained-in-local-colleges",
        "Wind turbine technicians trained in local colleges",
        "PH",
        "Coastal Wind Skills Partnership",
        "other",
        ["energy", "skills", "research"],
        "wind",
        ((160, 200, 240), (90, 150, 90)),
        "Colleges, a wind farm operator and a union designed a technician course so that jobs go to local people.",
        "New wind farms hired technicians from abroad because no local course existed.",
        "A partnership studied the skills needed, wrote a two-year course and offered paid apprenticeships.",
        "The region's wind farms now run with local maintenance teams, cutting travel emissions.",
        "Ninety graduates hold permanent jobs with safety training and union representation.",
        "Start with a study of the skills the jobs really need.",
    ),
    (
        "bamboo-furniture-workshop-replaces-tropical-hardwood",
        "Bamboo furniture workshop replaces tropical hardwood",
        "LK",
        "Green Weave Enterprises",
        "enterprise",
        ["enterprises", "entrepreneurship"],
        "bamboo",
        ((220, 230, 200), (60, 140, 70)),
        "A small firm switched from hardwood to bamboo and trained rural women as skilled furniture makers.",
        "Hardwood was scarce and costly, and illegal logging threatened the nearby forest.",
        "The owner sourced bamboo from village growers, invested in treatment equipment and ran a paid "
        "training course.",
        "About 300 cubic metres of hardwood a year are no longer cut.",
        "Forty women work as furniture makers with fair pay, childcare support and a safety committee.",
        "",
    ),
    (
        "a-national-study-counts-green-jobs",
        "A national study counts green jobs",
        "MY",
        "Ministry of Human Resources",
        "government",
        ["research", "policy"],
        "chart",
        ((235, 240, 245), (70, 130, 180)),
        "A national assessment measured how many jobs are green and how decent they are, to guide policy.",
        "Policy makers had no figures on green jobs, so training budgets followed guesses.",
        "The ministry, employers and unions agreed a definition, added questions to the labour force survey "
        "and published the results.",
        "The study identified sectors where investment cuts emissions most.",
        "It showed gaps in safety and pay in recycling and construction; both now have targeted programmes.",
        "Agree on the definition with workers and employers first.",
    ),
    (
        "climate-smart-farming-protects-harvests-from-floods",
        "Climate-smart farming protects harvests from floods",
        "BD",
        "Char Farmers' Union",
        "workers",
        ["resilience", "agriculture"],
        "river",
        ((170, 200, 220), (90, 160, 100)),
        "River island farmers adopted flood-tolerant rice and floating gardens, organised by their union.",
        "Floods destroyed harvests two years out of three and pushed families into debt.",
        "The union organised farmer field schools on flood-tolerant seeds, floating vegetable beds and "
        "shared storage on raised ground.",
        "Harvest losses fell; fewer fields need chemical inputs after floods.",
        "Families earn through the flood season, and farm workers negotiated a higher daily rate.",
        "",
    ),
    (
        "recycled-plastic-bricks-for-school-buildings",
        "Recycled plastic bricks for school buildings",
        "PH",
        "Bayanihan Builders Cooperative",
        "cooperative",
        ["waste", "building"],
        "bricks",
        ((210, 220, 235), (190, 90, 60)),
        "A cooperative turns collected plastic into building blocks for classrooms.",
        "Plastic waste clogged drains and caused floods, while schools lacked classrooms.",
        "Waste collectors joined a cooperative that shreds plastic and mixes it into blocks tested by a university.",
        "Forty tonnes of plastic a year stay out of drains and the sea.",
        "Sixty former informal collectors have regular wages, protective equipment and social security.",
        "Testing by an independent laboratory won the trust of builders.",
    ),
]

PENDING = [
    (
        "pending-biogas-for-a-dairy-cooperative",
        "Biogas for a dairy cooperative",
        "NP",
        "Valley Dairy Cooperative",
        "cooperative",
        ["energy", "agriculture"],
        "solar",
        ((200, 210, 230), (100, 150, 80)),
        "Dairy farmers turned manure into biogas for cooking and chilling milk.",
    ),
    (
        "pending-repair-cafes-for-phones",
        "Repair cafés for phones",
        "ID",
        "Fix It Collective",
        "community",
        ["waste", "skills"],
        "recycling",
        ((230, 220, 210), (120, 100, 140)),
        "Young people learn to repair phones instead of throwing them away.",
    ),
    (
        "pending-cool-roofs-for-garment-factories",
        "Cool roofs for garment factories",
        "BD",
        "Garment Workers' Federation",
        "workers",
        ["building", "resilience"],
        "buildings",
        ((220, 230, 240), (160, 160, 170)),
        "A union negotiated reflective roofs that keep factories cooler in heat waves.",
    ),
]


W, H = 1600, 1067


def _solar(draw, rng, horizon, dark, *, seed, motif):
    for i in range(5):
        x = 180 + i * 230
        draw.polygon(
            [(x, horizon + 120), (x + 180, horizon + 120), (x + 150, horizon + 20), (x + 30, horizon + 20)],
            fill=(30, 50, 110),
            outline=(200, 200, 220),
        )


def _wind(draw, rng, horizon, dark, *, seed, motif):
    for i in range(4):
        x, top = 250 + i * 330, horizon - 260 + rng.randint(-30, 30)
        draw.line([(x, top), (x, horizon + 40)], fill=(245, 245, 245), width=12)
        for angle in (0, 120, 240):
            a = math.radians(angle + seed * 7)
            draw.line([(x, top), (x + 130 * math.cos(a), top + 130 * math.sin(a))], fill=(250, 250, 250), width=8)


def _buildings(draw, rng, horizon, dark, *, seed, motif):
    colour = (190, 90, 60) if motif == "bricks" else (200, 200, 205)
    for i in range(6):
        x, h = 120 + i * 240, rng.randint(180, 420)
        draw.rectangle([x, horizon - h, x + 180, horizon + 30], fill=colour, outline=dark, width=4)
        for wy in range(horizon - h + 30, horizon, 70):
            draw.rectangle([x + 30, wy, x + 70, wy + 40], fill=(120, 170, 210))


def _mountains(draw, rng, horizon, dark, *, seed, motif):
    for i in range(4):
        x = i * 450 - 100
        draw.polygon([(x, horizon), (x + 300, horizon - 380), (x + 600, horizon)], fill=(110, 110, 130))
        draw.polygon([(x + 240, horizon - 300), (x + 300, horizon - 380), (x + 360, horizon - 300)], fill="white")
    for i in range(3):
        x = 300 + i * 380
        draw.pieslice([x, horizon + 60, x + 160, horizon + 220], 180, 360, fill=(250, 250, 245))


def _water(draw, rng, horizon, dark, *, seed, motif):
    draw.rectangle([0, horizon + 120, W, H], fill=(40, 110, 170))
    for _ in range(12):
        x = rng.randint(0, W)
        draw.ellipse([x, horizon + 40, x + 160, horizon + 140], fill=dark)


def _terraces(draw, rng, horizon, dark, *, seed, motif):
    for i in range(8):
        y = horizon + i * 55
        draw.arc([-200, y, W + 200, y + 300], 180, 360, fill=dark, width=6)


def _bamboo(draw, rng, horizon, dark, *, seed, motif):
    for i in range(14):
        x = 60 + i * 110 + rng.randint(-20, 20)
        draw.line([(x, 80), (x, H)], fill=(80, 150, 60), width=22)
        for y in range(120, H, 140):
            draw.line([(x - 14, y), (x + 14, y)], fill=dark, width=5)


def _recycling(draw, rng, horizon, dark, *, seed, motif):
    for i in range(5):
        x = 150 + i * 280
        colour = rng.choice([(60, 120, 200), (220, 180, 40), (50, 150, 80)])
        draw.rectangle([x, horizon - 60, x + 200, horizon + 140], fill=colour)


def _chart(draw, rng, horizon, dark, *, seed, motif):
    for i in range(7):
        x, h = 180 + i * 180, 80 + i * 55 + rng.randint(0, 40)
        draw.rectangle([x, horizon + 200 - h, x + 120, horizon + 200], fill=(40, 110, 80))


MOTIFS = {
    "solar": _solar,
    "wind": _wind,
    "buildings": _buildings,
    "bricks": _buildings,
    "mountains": _mountains,
    "coast": _water,
    "island": _water,
    "river": _water,
    "terraces": _terraces,
    "bamboo": _bamboo,
    "recycling": _recycling,
    "chart": _chart,
}


def draw_photo(motif: str, palette, seed: int) -> Image.Image:
    """A simple, distinct landscape for each story: sky, sun, hills and a motif."""
    rng = random.Random(seed)
    sky, ground = palette
    image = Image.new("RGB", (W, H), sky)
    draw = ImageDraw.Draw(image)
    for y in range(H // 2):
        draw.line([(0, y), (W, y)], fill=tuple(min(255, c + y // 12) for c in sky))
    draw.ellipse([W - 360, 80, W - 200, 240], fill=(250, 220, 120))
    horizon = int(H * rng.uniform(0.5, 0.62))
    hills = [(x, horizon + int(50 * math.sin(x / 180 + seed)) + rng.randint(-15, 15)) for x in range(0, W + 80, 80)]
    draw.polygon([(0, H), *hills, (W, H)], fill=ground)
    dark = tuple(max(0, c - 50) for c in ground)
    MOTIFS[motif](draw, rng, horizon, dark, seed=seed, motif=motif)
    for _ in range(30):
        x, y = rng.randint(0, W), rng.randint(horizon + 150, H)
        draw.ellipse([x, y, x + 12, y + 12], fill=dark)
    return image


def _photo(story: CaseStory, motif: str, palette, seed: int, description: str) -> None:
    stored = photo_store(draw_photo(motif, palette, seed))
    story.photo.name = stored.name
    story.photo_width, story.photo_height = stored.width, stored.height
    story.photo_renditions = stored.renditions
    story.photo_description = description
    story.photo_credit = "Green Jobs Portal (illustration)"
    story.save()


CONTENT = "case stories"  # what has_content() looks for, as load_demo --if-empty names it


def has_content() -> bool:
    return CaseStory.objects.exists()


def load() -> str:
    """Create the demo stories that are missing (by slug), with their themes and photo; never touch one that exists."""
    for name in DEMO_THEMES:
        Tag.objects.get_or_create(name__iexact=name, defaults={"name": name})
    now = timezone.now()
    created = 0
    for n, row in enumerate(STORIES):
        slug, title, country, org, org_type, themes, motif, palette, summary, challenge, actions, env, jobs, lessons = (
            row
        )
        story, was_created = CaseStory.objects.get_or_create(
            slug=slug,
            defaults={
                "title": title,
                "summary": summary,
                "challenge": challenge,
                "actions": actions,
                "environment_results": env,
                "job_results": jobs,
                "lessons": lessons,
                "country": country,
                "organisation": org,
                "organisation_type": org_type,
                "contributor_name": "Demo contributor",
                "contributor_email": "demo@greenjobs.example",
                "consent": True,
                "consent_at": now - timedelta(days=60 + n * 9),
                "submitted_at": now - timedelta(days=60 + n * 9),
                "status": Status.PUBLISHED,
                "published_at": now - timedelta(days=50 + n * 9),
            },
        )
        if was_created:
            created += 1
            story.themes.add(*(T[t] for t in themes))
            _photo(story, motif, palette, n + 1, f"Illustration: {title.lower()}")
    for n, (slug, title, country, org, org_type, themes, motif, palette, summary) in enumerate(PENDING):
        story, was_created = CaseStory.objects.get_or_create(
            slug=slug,
            defaults={
                "title": title,
                "summary": summary,
                "challenge": "We describe the problem our members faced in a few lines.",
                "actions": "We explain what we did together, step by step.",
                "environment_results": "We give the figures we have on energy and waste.",
                "job_results": "We explain how jobs and working conditions changed.",
                "country": country,
                "organisation": org,
                "organisation_type": org_type,
                "contributor_name": "Pending contributor",
                "contributor_email": f"pending{n + 1}@greenjobs.example",
                "consent": True,
                "consent_at": now - timedelta(days=n + 1),
                "submitted_at": now - timedelta(days=n + 1),
                "status": Status.PENDING,
            },
        )
        if was_created:
            created += 1
            story.themes.add(*(T[t] for t in themes))
            _photo(story, motif, palette, 100 + n, f"Illustration: {title.lower()}")
    published = CaseStory.objects.published().count()
    pending = CaseStory.objects.pending().count()
    return f"{created} stories created; {published} published, {pending} pending; {len(DEMO_THEMES)} themes"
