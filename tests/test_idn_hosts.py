"""An internationalised domain in the registry matches its links in either form (issue 12, item 12)."""

from __future__ import annotations

from pathlib import Path

from crawlers.discovery import netloc, within
from pipeline.registry import load_registry

REGISTRY = """sources:
  - id: berita-idn
    name: Bérita Contoh
    home: https://bérita.example.id/
    regions: ['61']
    domains: ['KABAR.bérita.example.id']
"""


def test_an_idn_outlet_accepts_its_punycode_and_unicode_links(tmp_path: Path) -> None:
    path = tmp_path / "idn.yaml"
    path.write_text(REGISTRY, encoding="utf-8")
    source = load_registry(path).select(["berita-idn"])[0]
    assert "xn--brita-bsa.example.id" in source.hosts
    for url in ("https://xn--brita-bsa.example.id/2024/09/17/rakor-asn",
                "https://bérita.example.id/2024/09/17/rakor-asn",
                "https://BÉRITA.example.id/2024/09/17/rakor-asn",
                "https://kabar.xn--brita-bsa.example.id/2024/09/17/rakor-asn"):
        assert within(url, source.hosts), url
    assert not within("https://berita.example.id/2024/09/17/rakor-asn", source.hosts)
    assert netloc("http://bérita.example.id:8080/") == "xn--brita-bsa.example.id:8080"
