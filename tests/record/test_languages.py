"""A Korean and a French record: headings translated, content as written, Hangul in the PDF."""

from __future__ import annotations

import io
import json

from pypdf import PdfReader

from tests.record.conftest import Seed, take_seed_notes

KOREAN = "지역 정부와 사회연대경제의 협력이 필요합니다."


def test_a_korean_record_has_korean_headings_and_hangul_in_its_pdf(seed: Seed) -> None:
    take_seed_notes(seed)
    seed.note(kind="conclusion", person="young-kim", text=KOREAN, language="ko")
    slug = seed.workshop.slug
    pdf = seed.client.get(f"/w/{slug}/record.pdf?language=ko")
    assert pdf.status_code == 200
    text = " ".join(
        (page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf.get_data())).pages
    )
    flat = "".join(text.split())
    assert "발표요약" in flat  # "Summary of presentations"
    assert "".join(KOREAN.split()) in flat
    data = json.loads(seed.client.get(f"/w/{slug}/record.json?language=ko").get_data())
    assert data["language"] == "ko"
    kim = [c for c in data["conclusions"] if c["about"] == "Young Kim"]
    assert [c["language"] for c in kim] == ["ko"]  # the contribution keeps its language


def test_a_french_record_has_french_headings_and_english_content(seed: Seed) -> None:
    take_seed_notes(seed)
    slug = seed.workshop.slug
    body = seed.client.get(f"/w/{slug}/record.md?language=fr").get_data(as_text=True)
    assert "## Résumé des présentations" in body
    assert "## Conclusions et remarques finales" in body
    assert "Ms. Rousset has presented the labor of RTES" in body  # as written
    html = seed.client.get(f"/w/{slug}/record.html?language=fr").get_data(as_text=True)
    assert '<html lang="fr">' in html and "Questions et réponses du public" in html


def test_each_text_says_its_language_where_it_is_not_the_pages(seed: Seed) -> None:
    """A screen reader (and the PDF's glyphs) read each text in its own language: the
    page's (`<html lang>`) unless the text says another."""
    seed.note(kind="conclusion", person="young-kim", text=KOREAN, language="ko")
    seed.note(kind="conclusion", person="ayako-koike", text="Partnerships matter.", language="en")
    slug = seed.workshop.slug
    english = seed.client.get(f"/w/{slug}/record.html").get_data(as_text=True)
    assert '<html lang="en">' in english
    assert f'lang="ko">{KOREAN}<' in english
    assert '<p class="text">Partnerships matter.<' in english  # the page's own language
    korean = seed.client.get(f"/w/{slug}/record.html?language=ko").get_data(as_text=True)
    assert '<html lang="ko">' in korean
    assert f'<p class="text">{KOREAN}<' in korean
    assert 'lang="en">Partnerships matter.<' in korean
