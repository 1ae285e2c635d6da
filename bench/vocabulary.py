"""Seeded text for the bench: words by Zipf's law over bench/vocabulary.txt, plus generated rare words.

Each item is about a few *subjects*, clusters of words tied to a theme, so searches and filters
match as often as on a real site.
"""

import random
from functools import cached_property
from itertools import accumulate
from pathlib import Path

VOCABULARY_FILE = Path(__file__).resolve().parent / "vocabulary.txt"
VOCABULARY_SIZE = 3000
SENTENCES, SENTENCE_WORDS = 50_000, 13
SYLLABLES = "ba bo da de di fa ga ka ke ki ko la le li lo lu ma me mi mo na ne ni no pa pi ra re ri ro sa se si so"


def zipf_weights(count: int) -> list[float]:
    """Cumulative Zipf-Mandelbrot weights of ranks 1..count (s = 1, q = 2.7, as fitted to English text)."""
    return list(accumulate(1 / (rank + 2.7) for rank in range(1, count + 1)))


class Vocabulary:
    """Words by rank: function words, then content words, then generated rare words."""

    def __init__(self, size: int = VOCABULARY_SIZE):
        function, content, part = [], [], None
        for line in VOCABULARY_FILE.read_text().splitlines():
            if line.startswith("#"):
                part = content if "content" in line else function
            elif line.strip():
                part.append(line.strip())
        rng, syllables, known = random.Random(1), SYLLABLES.split(), set(function + content)
        while len(function) + len(content) < size:
            word = "".join(rng.choice(syllables) for _ in range(rng.choice([2, 3, 3, 4])))
            if word not in known:
                known.add(word)
                content.append(word)
        self.words, self.content = function + content, content
        self._weights, self._content_weights = zipf_weights(len(self.words)), zipf_weights(len(content))

    @cached_property
    def sentences(self) -> list[str]:
        """Sentences of 7 to 19 words, a quarter of them "{}": slots for the words of an item's subjects.

        Items draw whole sentences from this pool, which is much faster than drawing every word."""
        rng, sentences = random.Random(2), []
        for _ in range(SENTENCES):
            words = self.words_of(rng, rng.randint(7, 19))
            for position in rng.sample(range(1, len(words)), len(words) // 4):
                words[position] = "{}"
            sentences.append(" ".join(words).capitalize() + ".")
        return sentences

    def words_of(self, rng: random.Random, count: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self._weights, k=count)

    def content_words(self, rng: random.Random, count: int) -> list[str]:
        return rng.choices(self.content, cum_weights=self._content_weights, k=count)

    def query(self, rng: random.Random) -> str:
        """Two different content words, common ones more often, as people type them."""
        first, second = self.content_words(rng, 1)[0], self.content_words(rng, 1)[0]
        while second == first:
            second = self.content_words(rng, 1)[0]
        return f"{first} {second}"


class Writer:
    """Titles and paragraphs about a few subjects, in the vocabulary's proportions."""

    def __init__(self, rng: random.Random, vocabulary: Vocabulary, topic: list[str]):
        self.rng, self.vocabulary, self.topic = rng, vocabulary, topic

    def _tokens(self, words: list[str], share: float) -> list[str]:
        for position in self.rng.sample(range(len(words)), int(len(words) * share)):
            words[position] = self.rng.choice(self.topic)
        return words

    def title(self, low: int = 4, high: int = 8) -> str:
        words = self._tokens(self.vocabulary.content_words(self.rng, self.rng.randint(low, high)), 0.5)
        return " ".join(words).capitalize()

    def text(self, words: int, limit: int | None = None) -> str:
        """About `words` words: sentences drawn from the vocabulary's, their subject slots filled from the topic."""
        sentences = self.rng.choices(self.vocabulary.sentences, k=round(words / SENTENCE_WORDS))
        slots = sum(sentence.count("{}") for sentence in sentences)
        text = " ".join(sentences).format(*self.rng.choices(self.topic, k=slots))
        if limit and len(text) > limit:
            text = text[: text.rfind(" ", 0, limit - 1)] + "."
        return text
