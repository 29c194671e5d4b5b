"""Incremental event resolution gives the events a full resolution gives: ids, members, dates, organisers.

Articles are saved in batches, as daily runs save them, and events resolved after each batch for the changed
articles' neighbourhood only (``pipeline.resolve_scope``); after each batch the stored events are compared with
a full resolution of the same store, computed without writing. Inputs: the gold sets (seeds and devset,
annotated by the real annotator, copies linked by the real duplicate finder) in shuffled batches, and
constructed reports for the classes that stress the neighbourhood: an undated report after its dated ones, a
dated report that bridges two events, a copy arriving later, a re-annotated report that changes date, and
same-day rakor in two regions. Structure only (no embedding model), so the comparison is exact and fast.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from pipeline import resolve
from pipeline.goldsets import gold_inputs
from pipeline.inputs import parse_line
from pipeline.nlp.annotator import Annotator
from pipeline.process import DuplicateFinder, region_reference
from pipeline.records import Annotation, ExtractedArticle
from pipeline.resolve import load_mentions, province_of_regions, resolve_events
from pipeline.store import Store
from tests.test_resolution_ingest import DATED, OTHER_REGION, UNDATED

GOLD = Path(__file__).parent / "gold"
Item = tuple[ExtractedArticle, Annotation]


@pytest.fixture(scope="module")
def annotator() -> Annotator:
    return Annotator()


@pytest.fixture(scope="module")
def gold_items(annotator: Annotator) -> list[Item]:
    items = []
    for name in ("seeds", "devset"):
        _, records = gold_inputs(GOLD / name)
        for number, record in enumerate(records, 1):
            article = parse_line(json.dumps(record), number)
            assert isinstance(article, ExtractedArticle), article
            items.append((article, annotator.annotate(article)))
    return items


@pytest.fixture(autouse=True)
def always_incremental(monkeypatch: pytest.MonkeyPatch) -> None:
    """Never fall back to a full resolution for a large neighbourhood: the incremental path is under test."""
    monkeypatch.setattr(resolve, "FULL_SHARE", 2.0)


def _item(annotator: Annotator, url: str, text: str, published: str | None = None) -> Item:
    record = {"url": url, "text": text} | ({"published": published} if published else {})
    article = parse_line(json.dumps(record), 1)
    assert isinstance(article, ExtractedArticle), article
    return article, annotator.annotate(article)


def _save(store: Store, batch: list[Item]) -> None:
    finder = DuplicateFinder(store)
    store.save_articles([(article, annotation, *finder.check(article)) for article, annotation in batch])


def _stored(store: Store) -> list[tuple[Any, ...]]:
    rows = store.query(
        "SELECT e.event_id, e.type, CAST(e.date AS VARCHAR), e.organizer, e.organizer_region, e.venue, e.venue_region, "
        "e.online, e.participant_regions, list(ea.mention_id ORDER BY ea.mention_id) "
        "FROM events e JOIN event_articles ea USING (event_id) GROUP BY ALL")
    return sorted((*row[:8], tuple(row[8]), tuple(row[9])) for row in rows)


def _full(store: Store) -> list[tuple[Any, ...]]:
    events = resolve._events_of(store, load_mentions(store), province_of_regions(store), False)
    return sorted((e.event_id, e.type, e.date, e.organizer, e.organizer_region, e.venue, e.venue_region, e.online,
                   e.participant_regions, tuple(sorted(e.mention_ids))) for e in events)


def _resolve_and_compare(store: Store) -> list[tuple[Any, ...]]:
    resolve_events(store, use_embeddings=False)
    stored = _stored(store)
    assert stored == _full(store)
    assert store.pending_resolution() == []
    return stored


def _store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "pantau.duckdb")
    store.ensure_regions(region_reference())
    return store


def _events_of(store: Store, url: str) -> set[str]:
    return {event_id for (event_id,) in store.query(
        "SELECT ea.event_id FROM event_articles ea JOIN articles a USING (article_id) WHERE a.url = ?", [url])}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gold_sets_saved_in_batches_resolve_as_a_full_resolution(tmp_path: Path, gold_items: list[Item],
                                                                  seed: int) -> None:
    shuffle = random.Random(seed)
    order = gold_items[:]
    shuffle.shuffle(order)
    with _store(tmp_path) as store:
        start = 0
        while start < len(order):
            size = shuffle.randint(1, 20)
            _save(store, order[start:start + size])
            start += size
            _resolve_and_compare(store)
        assert len(_stored(store)) > 100


def test_an_undated_report_arriving_later_joins_and_the_same_day_rakor_elsewhere_stays_apart(
        tmp_path: Path, annotator: Annotator) -> None:
    with _store(tmp_path) as store:
        _save(store, [_item(annotator, "https://a.example/1", DATED, "2024-11-19"),
                      _item(annotator, "https://c.example/3", OTHER_REGION, "2024-11-19")])
        first = _resolve_and_compare(store)
        _save(store, [_item(annotator, "https://b.example/2", UNDATED, "2024-11-20")])
        second = _resolve_and_compare(store)
        assert _events_of(store, "https://b.example/2") == _events_of(store, "https://a.example/1")
        assert _events_of(store, "https://c.example/3") != _events_of(store, "https://a.example/1")
        # The dated event keeps its id (alerts are not sent again); Sintang's event is untouched.
        assert {row[0] for row in first} == {row[0] for row in second}


def test_a_dated_report_that_bridges_two_events_merges_them(tmp_path: Path, annotator: Annotator) -> None:
    monday, wednesday = DATED, DATED.replace("Senin (18/11/2024)", "Rabu (20/11/2024)")
    tuesday = DATED.replace("Senin (18/11/2024)", "Selasa (19/11/2024)")
    with _store(tmp_path) as store:
        _save(store, [_item(annotator, "https://a.example/1", monday, "2024-11-18"),
                      _item(annotator, "https://b.example/2", wednesday, "2024-11-20")])
        assert len(_resolve_and_compare(store)) == 2
        _save(store, [_item(annotator, "https://c.example/3", tuesday, "2024-11-19")])
        assert len(_resolve_and_compare(store)) == 1


def test_a_copy_arriving_later_joins_its_original(tmp_path: Path, annotator: Annotator) -> None:
    with _store(tmp_path) as store:
        _save(store, [_item(annotator, "https://a.example/1", DATED, "2024-11-19")])
        _resolve_and_compare(store)
        _save(store, [_item(annotator, "https://mirror.example/1", DATED, "2024-11-19")])
        assert store.query("SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL")[0][0] == 1
        (event,) = _resolve_and_compare(store)
        assert len(event[-1]) == 2


def test_a_reannotated_report_that_changes_date_leaves_its_event(tmp_path: Path, annotator: Annotator) -> None:
    later = DATED.replace("Senin (18/11/2024)", "Senin (25/11/2024)")
    other_outlet = ("Rapat koordinasi netralitas aparatur sipil negara digelar Bawaslu Kabupaten Mempawah pada Senin "
                    "(18/11/2024) di Aula Kantor Bupati Mempawah. Kepala desa dan lurah hadir dalam rakor itu.")
    with _store(tmp_path) as store:
        _save(store, [_item(annotator, "https://a.example/1", DATED, "2024-11-19"),
                      _item(annotator, "https://b.example/2", other_outlet, "2024-11-19")])
        (together,) = _resolve_and_compare(store)
        assert len(together[-1]) == 2
        _save(store, [_item(annotator, "https://a.example/1", later, "2024-11-26")])  # the outlet corrected it
        apart = _resolve_and_compare(store)
        assert sorted(row[2] for row in apart) == ["2024-11-18", "2024-11-25"]
        assert together[0] in {row[0] for row in apart}  # the 18 November rakor keeps its id


def test_a_rerun_with_nothing_new_resolves_nothing(tmp_path: Path, gold_items: list[Item]) -> None:
    with _store(tmp_path) as store:
        _save(store, gold_items[:40])
        resolve_events(store, use_embeddings=False)
        before = store.query("SELECT event_id, updated_at FROM events ORDER BY event_id")
        assert resolve_events(store, use_embeddings=False) == len(before)
        assert store.query("SELECT event_id, updated_at FROM events ORDER BY event_id") == before


def test_articles_a_killed_run_saved_are_resolved_by_the_next_run(tmp_path: Path, gold_items: list[Item]) -> None:
    with _store(tmp_path) as store:
        _save(store, gold_items[:50])
        _resolve_and_compare(store)
        _save(store, gold_items[50:])  # killed here, before resolving
    with Store(tmp_path / "pantau.duckdb") as store:
        assert len(store.pending_resolution()) == len(gold_items) - 50
        stored = _resolve_and_compare(store)
        resolved = {m for row in stored for m in row[-1]}
        assert {m.mention_id for m in load_mentions(store)} == resolved


def test_full_resolution_on_request_and_after_a_configuration_change(tmp_path: Path,
                                                                     gold_items: list[Item]) -> None:
    with _store(tmp_path) as store:
        _save(store, gold_items)
        resolve_events(store, use_embeddings=False)
        store.con.execute("UPDATE events SET resolver_version = 'resolve-2+old'")
        resolve_events(store, use_embeddings=False)  # nothing pending, but the events are another resolver's
        assert store.query("SELECT DISTINCT resolver_version FROM events")[0][0].startswith(resolve.RESOLVER_VERSION)
        stored = _stored(store)
        assert resolve_events(store, full=True, use_embeddings=False) == len(stored)
        assert _stored(store) == stored == _full(store)
