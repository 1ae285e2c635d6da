"""The one photo every bench story shares: a landscape with solar panels, drawn by Pillow."""

import math
import random

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 1600, 1067
SKY, GROUND = (34, 110, 60), (240, 200, 60)
DESCRIPTION = "Solar panels on a cooperative roof"


def draw_photo(seed: int = 7) -> Image.Image:
    """Sky, sun, hills, five solar panels and some shrubs."""
    rng = random.Random(seed)
    image = Image.new("RGB", (WIDTH, HEIGHT), SKY)
    draw = ImageDraw.Draw(image)
    for y in range(HEIGHT // 2):
        draw.line([(0, y), (WIDTH, y)], fill=tuple(min(255, c + y // 12) for c in SKY))
    draw.ellipse([WIDTH - 360, 80, WIDTH - 200, 240], fill=(250, 220, 120))
    horizon = int(HEIGHT * rng.uniform(0.5, 0.62))
    hills = [(x, horizon + int(50 * math.sin(x / 180 + seed)) + rng.randint(-15, 15)) for x in range(0, WIDTH + 80, 80)]
    draw.polygon([(0, HEIGHT), *hills, (WIDTH, HEIGHT)], fill=GROUND)
    for i in range(5):
        x = 180 + i * 230
        draw.polygon(
            [(x, horizon + 120), (x + 180, horizon + 120), (x + 150, horizon + 20), (x + 30, horizon + 20)],
            fill=(30, 50, 110),
            outline=(200, 200, 220),
        )
    dark = tuple(max(0, c - 50) for c in GROUND)
    for _ in range(30):
        x, y = rng.randint(0, WIDTH), rng.randint(horizon + 150, HEIGHT)
        draw.ellipse([x, y, x + 12, y + 12], fill=dark)
    return image
