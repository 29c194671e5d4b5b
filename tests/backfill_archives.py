"""WARC files the backfill tests write: the sample outlets' pages plus the noise of a real archive."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.backfill.archive_writer import ArchivedResponse, noise, outlet_noise, write_warc
from pipeline.sample_sites.render import SITE_IDS, render_site

REGISTRY = Path(__file__).resolve().parents[1] / "data" / "sample_sites" / "registry.yaml"


def base_url(site: str) -> str:
    """As the sample registry names the outlets (127.0.0.1:8701-8705)."""
    return f"http://127.0.0.1:{8701 + SITE_IDS.index(site)}"


def outlet_pages(site: str) -> list[ArchivedResponse]:
    """Every HTML page of a sample outlet: articles, listings, static pages."""
    base = base_url(site)
    return [ArchivedResponse(base + path, body) for path, (kind, body) in sorted(render_site(site, base).items())
            if kind.startswith("text/html")]


def truncate_last_record(path: Path, cut: int = 200) -> None:
    data = path.read_bytes()
    path.write_bytes(data[:-cut])


def corrupt_after(path: Path, offset: int) -> None:
    """Overwrite bytes inside the gzip member that starts at ``offset``."""
    data = bytearray(path.read_bytes())
    data[offset + 20:offset + 60] = b"\x00garbage" * 5
    path.write_bytes(bytes(data))


def write_archives(folder: Path, sites: tuple[str, ...] = SITE_IDS) -> tuple[list[Path], Path]:
    """One WARC.gz per outlet (its pages among noise; the last record truncated), and the JSON Lines of
    exactly the pages a backfill must keep, for ``pantau ingest``."""
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    with (folder / "pages.jsonl").open("w", encoding="utf-8") as jsonl:
        for site in sites:
            pages = outlet_pages(site)
            items = noise(1)[:1] + pages[: len(pages) // 2] + outlet_noise(base_url(site)) + noise(1)[1:]
            items += pages[len(pages) // 2:]
            victim = ArchivedResponse(base_url(site) + "/terpotong/", pages[0].body)  # cut short below
            path = folder / f"{site}.warc.gz"
            write_warc(path, [*items, victim])
            truncate_last_record(path)
            files.append(path)
            for page in pages:
                jsonl.write(json.dumps({"url": page.url, "html": page.body.decode("utf-8")}, ensure_ascii=False)
                            + "\n")
    return files, folder / "pages.jsonl"
