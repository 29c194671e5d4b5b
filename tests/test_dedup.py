"""One story counted once: URL aliases, identical copies, near-duplicates."""

from __future__ import annotations

import random
import time

from pipeline.extract import article_from_text
from pipeline.extract.dedup import (
    DuplicateIndex,
    estimated_jaccard,
    minhash,
    near_duplicate_score,
    shingles,
)

STORY = (
    "KUTACANE - Ribuan Aparatur Sipil Negara di lingkungan Pemkab Aceh Tenggara mengikuti Apel Netralitas "
    "Pilkada, Selasa (24/9/2024). Penjabat Bupati Syakir dalam sambutannya mengatakan tujuan apel agar ASN "
    "bersikap netral dalam Pilkada Gubernur dan Pilkada Bupati di Aceh Tenggara.\n"
    "ASN dilarang memposting, membagikan dan mengomentari postingan terkait politik dan kampanye, tidak boleh "
    "ikut berkampanye, dan tidak boleh mengajak orang lain mendukung para kandidat.\n"
    "Usai apel, Pj Bupati menyaksikan penandatanganan ikrar Pilkada netral oleh perwakilan ASN, antara lain "
    "Kasatpol PP, Kadis Perdagangan dan Kadis Pertanian."
)
OTHER = (
    "PONTIANAK - Bawaslu Kalimantan Barat mencatat 23 dugaan pelanggaran netralitas ASN selama tahapan "
    "Pilkada 2024, terbanyak di Kabupaten Sanggau. Ketua Bawaslu Kalbar mengatakan seluruh laporan telah "
    "diteruskan ke BKN untuk ditindaklanjuti sesuai ketentuan yang berlaku.\n"
    "Menurut dia, sebagian besar pelanggaran berupa unggahan dukungan kepada pasangan calon di media sosial."
)


def article(url: str, text: str):  # type: ignore[no-untyped-def]
    return article_from_text(url, None, text)


def test_shingles_ignore_case_and_punctuation() -> None:
    assert shingles("Bawaslu Kalbar, mencatat 23 dugaan pelanggaran!") == shingles("bawaslu kalbar mencatat 23 dugaan pelanggaran")
    assert len(shingles("satu dua tiga empat lima enam")) == 2
    assert shingles("") == set()


def test_near_duplicate_score() -> None:
    assert near_duplicate_score(STORY, STORY) == 1.0
    assert near_duplicate_score(STORY, OTHER) < 0.05
    syndicated = STORY.replace("KUTACANE -", "KUTACANE, TRIBUNGAYO.COM -") + "\nPenulis: Asnawi"
    assert near_duplicate_score(STORY, syndicated) > 0.8


def test_minhash_estimates_jaccard() -> None:
    edited = STORY.replace("Kasatpol PP", "Kepala Satpol PP").replace("Selasa", "Selasa pagi")
    exact = near_duplicate_score(STORY, edited)
    estimate = estimated_jaccard(minhash(shingles(STORY)), minhash(shingles(edited)))
    assert abs(exact - estimate) < 0.15


def test_url_aliases_are_one_story() -> None:
    index = DuplicateIndex()
    first = article("https://www.tribunnews.com/regional/2024/09/26/apel-netralitas", STORY)
    assert index.add(first) is None
    amp = article("https://m.tribunnews.com/amp/regional/2024/09/26/apel-netralitas?utm_source=wa", STORY + " ")
    match = index.add(amp)
    assert match is not None and match.reason == "url_alias" and match.duplicate_of == first.article_id
    assert index.add(first) is None  # fed twice: not its own duplicate


def test_identical_text_elsewhere_is_a_copy() -> None:
    index = DuplicateIndex()
    original = article("https://pemkab-agara.go.id/berita/apel-netralitas", STORY)
    index.add(original)
    copy = article("https://waspada.id/aceh/ribuan-asn-agara-apel-netralitas", STORY)
    match = index.add(copy)
    assert match is not None and match.reason == "content_hash" and match.duplicate_of == original.article_id


def test_syndicated_copy_is_a_near_duplicate() -> None:
    index = DuplicateIndex()
    original = article("https://aceh.tribunnews.com/2024/09/24/apel-netralitas", STORY)
    index.add(original)
    index.add(article("https://pontianak.tribunnews.com/2024/10/16/bawaslu-kalbar", OTHER))
    rerun = STORY.replace("KUTACANE -", "KUTACANE, SERAMBINEWS.COM -").replace("Selasa", "Selasa pagi")
    match = index.add(article("https://serambinews.com/2024/09/25/apel-netralitas-agara", rerun + "\nBaca juga: Lain"))
    assert match is not None and match.reason == "near_duplicate"
    assert match.duplicate_of == original.article_id and match.score >= 0.7


def test_different_stories_are_not_linked() -> None:
    index = DuplicateIndex()
    assert index.add(article("https://a.example/1", STORY)) is None
    assert index.add(article("https://b.example/2", OTHER)) is None


def test_copies_point_at_the_first_article() -> None:
    index = DuplicateIndex()
    first = article("https://a.example/1", STORY)
    index.add(first)
    second = article("https://b.example/2", STORY.replace("Selasa", "Selasa pagi"))
    third = article("https://c.example/3", STORY.replace("Selasa", "Selasa siang"))
    assert index.add(second).duplicate_of == first.article_id  # type: ignore[union-attr]
    assert index.add(third).duplicate_of == first.article_id  # type: ignore[union-attr]


def test_index_scales_without_false_links() -> None:
    rng = random.Random(7)
    vocabulary = [f"kata{i}" for i in range(5000)]
    index = DuplicateIndex()
    started = time.monotonic()
    for n in range(800):
        text = " ".join(rng.choice(vocabulary) for _ in range(250))
        assert index.add(article(f"https://site{n % 40}.example/berita/{n}", text)) is None
    assert time.monotonic() - started < 60  # ~100k/day needs well under a second per article
