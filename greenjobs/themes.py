"""The demo theme vocabulary, shared by every app's demo content (one taggit Tag table)."""

DEMO_THEMES = (
    "Sustainable tourism",
    "Green entrepreneurship",
    "Green enterprises",
    "Climate resilience and adaptation",
    "Waste management and recycling (including e-waste)",
    "Renewable energy",
    "Green building and construction",
    "Sustainable agriculture",
    "Skills for green jobs",
    "Policy",
    "Green jobs research and assessment",
)
