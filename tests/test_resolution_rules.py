"""Event resolution rules on constructed reports: which classes of report pairs merge and which stay apart.

No NLP and no embedding model: the reports are built as resolution sees them, so each test names one class
(undated + dated from the same organiser, same day in two regions, weekday only, publication dates far
apart...) independently of today's annotation quality.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest

from pipeline.resolve import candidate_pairs, cluster
from pipeline.resolve_evidence import Mention, compare, date_clues, organiser_body, year_inferred

PROVINCE_OF = {"Kabupaten Sanggau": "Provinsi Kalimantan Barat", "Kota Pontianak": "Provinsi Kalimantan Barat",
               "Kota Palu": "Provinsi Sulawesi Tengah"}

KALBAR = dict(type="rakor", organizer="Bawaslu Provinsi Kalimantan Barat",
              organizer_region="Provinsi Kalimantan Barat", venue="Hotel Aston Pontianak",
              venue_region="Kota Pontianak", participant_regions=("Kabupaten Sanggau", "Provinsi Kalimantan Barat"))
SULTENG = dict(type="rakor", organizer="Bawaslu Provinsi Sulawesi Tengah",
               organizer_region="Provinsi Sulawesi Tengah", venue="Hotel Santika Palu", venue_region="Kota Palu",
               participant_regions=("Kabupaten Buol", "Provinsi Sulawesi Tengah"))


def report(number: int, *, date: str | None = None, date_text: str | None = None, published: str | None = None,
           **slots: Any) -> Mention:
    fields: dict[str, Any] = dict(type="rakor", organizer=None, organizer_region=None, venue=None,
                                  venue_region=None, online=None, participant_regions=())
    fields.update(slots)
    return Mention(mention_id=f"m{number:03d}", article_id=f"a{number:03d}", date=_day(date),
                   description="", original_article=f"a{number:03d}", date_text=date_text,
                   published=_day(published), **fields)


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def events(mentions: list[Mention]) -> list[set[str]]:
    """The resolved groups as sets of article ids (structure only: no embedding model)."""
    groups = cluster(mentions, None, candidate_pairs(mentions, PROVINCE_OF))
    return sorted(({mentions[i].article_id for i in group} for group in groups), key=lambda g: sorted(g))


def together(mentions: list[Mention], *numbers: int) -> bool:
    wanted = {f"a{n:03d}" for n in numbers}
    return any(wanted <= group for group in events(mentions))


# -- reports of one event merge ---------------------------------------------------------------------------

def test_undated_report_joins_the_dated_report_of_the_same_organiser() -> None:
    dated = report(1, date="2024-09-17", date_text="Selasa (17/9/2024)", **KALBAR)
    undated = report(2, **KALBAR)
    assert events([dated, undated]) == [{"a001", "a002"}]


def test_undated_report_with_a_close_publication_date_joins() -> None:
    dated = report(1, date="2024-09-17", date_text="Selasa (17/9/2024)", published="2024-09-17", **KALBAR)
    undated = report(2, published="2024-09-19", organizer=KALBAR["organizer"],
                     organizer_region=KALBAR["organizer_region"])
    assert together([dated, undated], 1, 2)


def test_weekday_only_report_joins_when_the_weekday_fits() -> None:
    dated = report(1, date="2024-09-17", date_text="17 September 2024", **KALBAR)
    weekday = report(2, date_text="Selasa", organizer=KALBAR["organizer"],
                     organizer_region=KALBAR["organizer_region"], venue_region="Kota Pontianak")
    assert together([dated, weekday], 1, 2)


def test_a_guessed_year_gives_way_to_a_written_one() -> None:
    """'Rabu (22/11)' with no publication date got its year from the weekday; the day and month still agree."""
    guessed = report(1, date="2023-11-22", date_text="Rabu (22/11)", **KALBAR)
    written = report(2, date="2024-11-22", date_text="Jumat (22/11/2024)", **KALBAR)
    assert year_inferred(guessed) and not year_inferred(written)
    assert events([guessed, written]) == [{"a001", "a002"}]


def test_three_outlets_with_one_undated_are_one_event() -> None:
    first = report(1, date="2024-09-17", date_text="Selasa (17/9/2024)", **KALBAR)
    second = report(2, date="2024-09-17", date_text="17 September 2024", **KALBAR)
    third = report(3, **KALBAR)
    assert events([first, second, third]) == [{"a001", "a002", "a003"}]


# -- different events stay apart --------------------------------------------------------------------------

def test_same_day_rakor_in_different_regions_stay_apart() -> None:
    kalbar = report(1, date="2024-09-17", date_text="Selasa (17/9/2024)", **KALBAR)
    sulteng = report(2, date="2024-09-17", date_text="Selasa (17/9/2024)", **SULTENG)
    assert events([kalbar, sulteng]) == [{"a001"}, {"a002"}]


def test_undated_reports_with_different_organisers_stay_apart() -> None:
    kalbar, sulteng = report(1, **KALBAR), report(2, **SULTENG)
    assert not compare(kalbar, sulteng).possible
    assert events([kalbar, sulteng]) == [{"a001"}, {"a002"}]


def test_publication_dates_far_apart_keep_reports_apart() -> None:
    dated = report(1, date="2024-09-17", date_text="Selasa (17/9/2024)", published="2024-09-17", **KALBAR)
    later = report(2, published="2024-12-03", **KALBAR)
    assert compare(dated, later).contradiction
    assert events([dated, later]) == [{"a001"}, {"a002"}]


def test_two_undated_reports_published_weeks_apart_stay_apart() -> None:
    first, second = report(1, published="2024-09-17", **KALBAR), report(2, published="2024-11-20", **KALBAR)
    assert events([first, second]) == [{"a001"}, {"a002"}]


def test_an_undated_report_between_two_equally_good_events_joins_neither() -> None:
    september = report(1, date="2024-09-17", date_text="Selasa (17/9/2024)", **KALBAR)
    november = report(2, date="2024-11-18", date_text="Senin (18/11/2024)", **KALBAR)
    undated = report(3, **KALBAR)
    assert events([september, november, undated]) == [{"a001"}, {"a002"}, {"a003"}]


def test_the_weekday_picks_one_of_two_events() -> None:
    september = report(1, date="2024-09-17", date_text="Selasa (17/9/2024)", **KALBAR)
    november = report(2, date="2024-11-18", date_text="Senin (18/11/2024)", **KALBAR)
    weekday = report(3, date_text="Senin", **KALBAR)
    assert events([september, november, weekday]) == [{"a001"}, {"a002", "a003"}]


def test_undated_reports_from_many_places_do_not_collapse() -> None:
    places = ["Kabupaten Sanggau", "Kota Pontianak", "Kota Palu", "Kabupaten Buol"]
    mentions = [report(n, organizer=f"Bawaslu {p}", organizer_region=p, participant_regions=(p,))
                for n, p in enumerate(places, 1)]
    assert len(events(mentions)) == len(places)


def test_one_shared_slot_is_not_enough_for_an_undated_report() -> None:
    dated = report(1, date="2024-09-17", date_text="Selasa (17/9/2024)", **KALBAR)
    thin = report(2, participant_regions=("Kabupaten Sanggau",))
    assert events([dated, thin]) == [{"a001"}, {"a002"}]


def test_undated_reports_of_different_bodies_in_one_region_stay_apart() -> None:
    bawaslu = report(1, date="2024-09-17", date_text="Selasa (17/9/2024)", **KALBAR)
    pemprov = report(2, **(KALBAR | {"organizer": "Pemerintah Provinsi Kalimantan Barat", "venue": None,
                                     "venue_region": None}))
    assert events([bawaslu, pemprov]) == [{"a001"}, {"a002"}]


def test_two_events_of_one_type_in_one_article_stay_two() -> None:
    first = report(1, date="2024-09-17", date_text="Selasa (17/9/2024)", **KALBAR)
    second = replace(report(2, **KALBAR), article_id="a001", original_article="a001")
    assert len(events([first, second])) == 2


# -- the pieces -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "weekday", "day_month", "has_year"), [
    ("Selasa (17/9/2024)", 1, (17, 9), True),
    ("rabu pagi", 2, None, False),
    ("Jum'at (22/11)", 4, (22, 11), False),
    ("Minggu, 17 November 2024", 6, (17, 11), True),
    ("kemarin", None, None, False),
    (None, None, None, False),
])
def test_date_clues(text: str | None, weekday: int | None, day_month: tuple[int, int] | None,
                    has_year: bool) -> None:
    clues = date_clues(text)
    assert (clues.weekday, clues.day_month, clues.has_year) == (weekday, day_month, has_year)


@pytest.mark.parametrize(("organizer", "region", "body"), [
    ("Bawaslu Provinsi Kalimantan Barat", "Provinsi Kalimantan Barat", "bawaslu"),
    ("Pemkab Aceh Tenggara", "Kabupaten Aceh Tenggara", "pemerintah"),
    ("Pemerintah Kabupaten Aceh Tenggara", "Kabupaten Aceh Tenggara", "pemerintah"),
    ("BKN", "Nasional", "bkn"),
])
def test_organiser_body(organizer: str, region: str, body: str) -> None:
    assert organiser_body(report(1, organizer=organizer, organizer_region=region),
                          __import__("pipeline.resolve_evidence").resolve_evidence.load_config()) == body


def test_candidates_of_a_published_undated_report_stay_within_weeks() -> None:
    """Bounded work: a report published in December never meets the region's reports of September."""
    archive = [report(n, date=(dt.date(2024, 9, 1) + dt.timedelta(days=n)).isoformat(), date_text="x", **KALBAR)
               for n in range(1, 40)]
    undated = report(99, published="2024-12-20", **KALBAR)
    pairs = candidate_pairs([*archive, undated], PROVINCE_OF)
    assert not [p for p in pairs if len(archive) in (p.first, p.second)]


@pytest.mark.parametrize(("first", "second", "agree"), [
    ("Hotel Aston Pontianak", "Aston Pontianak", True),
    ("Aula Kantor Bupati Mempawah", "Aula Bawaslu Mempawah", False),
    ("Hotel Santika Palu", "Hotel Aston Pontianak", False),
    ("Ecovention Ancol Jakarta Utara", "Ecovention Ancol, Jakarta", True),
])
def test_venue_names_agree_on_a_distinctive_word(first: str, second: str, agree: bool) -> None:
    from pipeline.resolve_evidence import _venue_names_agree, load_config

    slots = dict(organizer_region="Kabupaten Mempawah", venue_region="Kabupaten Mempawah")
    assert _venue_names_agree(report(1, venue=first, **slots), report(2, venue=second, **slots),
                              load_config()) is agree


def test_one_day_one_venue_is_one_gathering_whoever_is_credited() -> None:
    """A kabupaten outlet credits its own Pemkab with the province's rakor its Pj Bupati attended."""
    province = report(1, date="2024-09-17", date_text="Selasa (17/9/2024)", **KALBAR)
    local = report(2, date="2024-09-17", date_text="Selasa (17/9/2024)",
                   **(KALBAR | {"organizer": "Pemerintah Kabupaten Sanggau", "organizer_region": "Kabupaten Sanggau",
                                "venue": "Aston Pontianak", "venue_region": None}))
    assert events([province, local]) == [{"a001", "a002"}]


def test_same_day_rakor_at_a_hotel_chain_in_two_cities_stay_apart() -> None:
    kalbar = report(1, date="2024-09-17", **(KALBAR | {"venue": "Hotel Santika Pontianak"}))
    sulteng = report(2, date="2024-09-17", **(SULTENG | {"venue": "Hotel Santika Palu"}))
    assert events([kalbar, sulteng]) == [{"a001"}, {"a002"}]


def test_hotel_chain_names_without_venue_regions_are_two_places() -> None:
    from pipeline.resolve_evidence import _venue_names_agree, load_config

    assert not _venue_names_agree(report(1, venue="Hotel Santika Pontianak"), report(2, venue="Hotel Santika Palu"),
                                  load_config())


def test_an_undated_report_crediting_another_host_joins_only_with_more_agreement() -> None:
    province = report(1, date="2024-09-17", date_text="Selasa (17/9/2024)", **KALBAR)
    local = dict(organizer="Pemerintah Kabupaten Sanggau", organizer_region="Kabupaten Sanggau",
                 venue="Hotel Aston Pontianak", venue_region="Kota Pontianak", participant_regions=("Kabupaten Sanggau",))
    assert events([province, report(2, date_text="Selasa", **local)]) == [{"a001", "a002"}]
    assert events([province, report(2, **(local | {"venue": "Aula Kantor Bupati Sanggau",
                                                    "venue_region": "Kabupaten Sanggau"}))]) == [{"a001"}, {"a002"}]


def test_the_configuration_is_validated() -> None:
    import pydantic
    import yaml

    from pipeline.resolve_evidence import CONFIG_PATH, ResolutionConfig

    raw = yaml.safe_load(CONFIG_PATH.read_text(encoding="utf-8"))
    assert ResolutionConfig.model_validate(raw).min_agreement >= 2
    with pytest.raises(pydantic.ValidationError):
        ResolutionConfig.model_validate(raw | {"min_agrement": 1})


def test_an_undated_gathering_joins_on_its_organiser_alone() -> None:
    """A gathering is one occasion: the same body in the same region, nothing contradicting, is enough."""
    dated = report(1, date="2024-09-17", date_text="Selasa (17/9/2024)", **KALBAR)
    bare = report(2, type="rakor", organizer="Bawaslu Kalimantan Barat", organizer_region="Provinsi Kalimantan Barat")
    assert events([dated, bare]) == [{"a001", "a002"}]


def test_an_undated_count_of_a_national_body_needs_more_than_its_name() -> None:
    """A national body announces many counts: its name alone does not tie an undated one to a dated one."""
    slots = dict(type="pelanggaran", organizer="KASN", organizer_region="Nasional")
    dated = report(1, date="2024-02-05", date_text="Senin (5/2/2024)", **slots)
    undated = report(2, **slots)
    assert events([dated, undated]) == [{"a001"}, {"a002"}]
