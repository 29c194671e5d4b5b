"""A page's canonical URL is its key only on its own outlet's hosts (issue 12, item 4).

Otherwise a hostile page on a shared registered domain (tribunnews.com) or on another port of one host
could name another outlet's story as its canonical URL and overwrite that story's row.
"""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

from pipeline.extract import extract_html
from pipeline.process import process_pages
from pipeline.records import ExtractedArticle, RawPage
from pipeline.settings import Paths
from pipeline.store import Store, connect_readonly
from pipeline.urls import canonical_url, stable_id

BODY = ("<p>PONTIANAK - Badan Pengawas Pemilu (Bawaslu) Kalbar menggelar rapat koordinasi netralitas ASN "
        "di Pontianak, Selasa (17/9/2024). Kegiatan ini dihadiri perwakilan pemerintah kabupaten.</p>"
        "<p>Ketua Bawaslu Kalbar mengingatkan seluruh aparatur sipil negara agar menjaga netralitas "
        "menjelang Pilkada serentak 2024 dan tidak terlibat politik praktis.</p>") * 2


def page(title: str, canonical: str | None = None, body: str = BODY) -> bytes:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return (f'<html lang="id"><head><meta charset="utf-8"><title>{title}</title>{link}'
            '<meta property="article:published_time" content="2024-09-17T10:00:00+07:00"></head>'
            f"<body><article><h1>{title}</h1>{body}</article></body></html>").encode()


def test_a_canonical_on_another_subdomain_of_a_shared_domain_is_only_a_claim() -> None:
    victim = "https://pontianak.tribunnews.com/2024/09/17/rakor-netralitas-asn-kalbar"
    hostile = "https://makassar.tribunnews.com/2024/09/18/judul-lain-sekali"
    result = extract_html(page("Hostile", victim), hostile)
    assert isinstance(result, ExtractedArticle)
    assert result.canonical_url == canonical_url(hostile)
    assert result.article_id != stable_id(victim)
    assert result.claimed_canonical_url == canonical_url(victim)


def test_a_canonical_on_the_pages_own_host_or_outlet_is_the_key() -> None:
    own = extract_html(page("Own", "https://www.kalbar.example/berita/rakor-asn-kalbar"),
                       "https://m.kalbar.example/berita/rakor-asn-kalbar?utm_source=x")
    assert isinstance(own, ExtractedArticle)
    assert own.canonical_url == "http://kalbar.example/berita/rakor-asn-kalbar"
    assert own.claimed_canonical_url is None
    other_host = extract_html(page("Own", "https://berita.kalbar.example/rakor-asn-kalbar"),
                              "https://kalbar.example/rakor-asn-kalbar-2",
                              outlet_hosts=("berita.kalbar.example",))
    assert isinstance(other_host, ExtractedArticle)
    assert other_host.canonical_url == "http://berita.kalbar.example/rakor-asn-kalbar"


def _store(paths: Paths, source_id: str, home: str, url: str, body: bytes) -> None:
    page_id = hashlib.sha1(url.encode()).hexdigest()
    rel = f"{source_id}/{page_id}.html.gz"
    (paths.raw / source_id).mkdir(parents=True, exist_ok=True)
    (paths.raw / rel).write_bytes(gzip.compress(body))
    with Store(paths.db) as store:
        store.con.execute("INSERT OR REPLACE INTO sources (source_id, name, home, timezone) VALUES (?, ?, ?, 'WIB')",
                          [source_id, source_id, home])
        store.upsert_raw_pages([RawPage(page_id, source_id, url, url, "2024-09-17T00:00:00", 200,
                                        "text/html; charset=utf-8", rel, hashlib.sha256(body).hexdigest(),
                                        len(body), "seed")])


def test_a_hostile_page_on_another_port_cannot_overwrite_another_outlets_story(tmp_path: Path) -> None:
    paths = Paths.under(tmp_path)
    victim = "http://127.0.0.1:8701/berita/2024/09/17/rakor-netralitas-asn-kalbar"
    hostile = "http://127.0.0.1:8702/berita/2024/09/18/promo-judi"
    _store(paths, "victim", "http://127.0.0.1:8701/", victim, page("Rakor netralitas ASN Kalbar"))
    process_pages(paths)
    _store(paths, "hostile", "http://127.0.0.1:8702/", hostile,
           page("Promo", victim, "".join(f"<p>Paragraf promosi ke-{i} tanpa rapat apa pun, hanya iklan yang "
                                         f"panjang dan berulang untuk pembaca nomor {i}.</p>" for i in range(8))))
    process_pages(paths)
    con = connect_readonly(paths.db)
    try:
        rows = dict(con.execute("SELECT url, title FROM articles").fetchall())
        claim = con.execute("SELECT claimed_canonical_url FROM articles WHERE url = ?", [hostile]).fetchone()
    finally:
        con.close()
    assert rows[victim] == "Rakor netralitas ASN Kalbar"
    assert rows[hostile] == "Promo"
    assert claim == (canonical_url(victim),)
