"""Flesch-Kincaid grade level, small and dependency-free (the formula of Kincaid et al. 1975):

    0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59

Syllables are counted as groups of vowels, with a silent final "e" dropped and at least one per
word: a close, well-known approximation (it reads "therapist" as 3, "needling" as 2).
"""

from __future__ import annotations

import re

WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)")
VOWEL_GROUPS = re.compile(r"[aeiouy]+")


def syllables(word: str) -> int:
    word = word.lower().removesuffix("'s")
    count = len(VOWEL_GROUPS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    if word.endswith("ed") and not word.endswith(("ted", "ded")) and count > 1:
        count -= 1
    return max(count, 1)


def flesch_kincaid_grade(text: str) -> float:
    words = WORD.findall(text)
    sentences = max(1, len([s for s in SENTENCE_END.split(text) if WORD.search(s)]))
    syllable_count = sum(syllables(word) for word in words)
    return 0.39 * len(words) / sentences + 11.8 * syllable_count / len(words) - 15.59
