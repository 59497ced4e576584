"""Words as people expect them counted: trimmed, Unicode-normalised, case-folded, capped."""

from __future__ import annotations

import unicodedata

MAX_WORD_LENGTH = 32  # characters of a normal form; longer words are cut
MAX_WORDS = 3  # per answer


def normal_form(word: str) -> str:
    """ "  Café " and "CAFÉ" and "cafe\u0301" are one word: NFKC, case-folded, inner spaces
    collapsed, capped. An empty string means there was no word."""
    text = unicodedata.normalize("NFKC", word)
    text = " ".join(text.split())
    text = text.casefold()
    text = unicodedata.normalize("NFKC", text)  # casefold may undo the composition
    return text[:MAX_WORD_LENGTH].strip()


def shown_form(word: str) -> str:
    """How a word is shown: as typed, trimmed and capped (the first form counted wins)."""
    return " ".join(unicodedata.normalize("NFKC", word).split())[:MAX_WORD_LENGTH].strip()
