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
