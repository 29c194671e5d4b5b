"""Every word a reader of the digest sees, in Bahasa Indonesia and in English.

The digest is written in Indonesian; English is the same digest with ``lang="en"``.
Templates and renderers never hold a visible word of their own: they ask a
``Labels`` for it, so a new language is one more dictionary here, and a test
checks that every language has every key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from pipeline.nlp.event_cues import NAMED_EVENT_TYPES as EVENT_TYPES

LANGUAGES = ("id", "en")


_ID: dict[str, str] = {
    "brand": "Pantau",
    "title": "Intisari Media Mingguan: Netralitas ASN",
    "week_heading": "Minggu {week} · {start} – {end}",
    "subtitle": "Pemberitaan media daerah tentang netralitas aparatur sipil negara (ASN) menjelang Pilkada, "
                "disusun otomatis dari {articles} dari {outlets}.",
    "subtitle_empty": "Pemberitaan media daerah tentang netralitas aparatur sipil negara (ASN) menjelang Pilkada.",
    "no_events": "Tidak ada peristiwa netralitas pada minggu ini",
    "no_events_note": "Basis data tidak mencatat rakor, sosialisasi, deklarasi, apel, pakta integritas, "
                      "pelanggaran, sanksi, atau pengawasan netralitas ASN yang terjadi atau diberitakan "
                      "antara {start} dan {end}.",
    # headline figures
    "headline": "Sorotan minggu ini",
    "fig_rakor": "rapat koordinasi (rakor) netralitas",
    "fig_other": "peristiwa netralitas lainnya",
    "fig_regions": "kabupaten/kota terlibat rakor",
    "fig_provinces": "provinsi terlibat rakor",
    "fig_violations": "angka pelanggaran dilaporkan",
    "fig_articles": "artikel dari {outlets}",
    # sections
    "sec_rakor": "Rapat koordinasi netralitas minggu ini",
    "sec_rakor_lead": "Setiap baris adalah satu rakor; laporan beberapa media tentang rakor yang sama "
                      "digabung menjadi satu.",
    "sec_map": "Peta daerah rakor",
    "sec_map_lead": "Provinsi yang menyelenggarakan atau menghadiri rakor minggu ini. Titik di dalam kotak "
                    "provinsi menandai kabupaten/kota; daftar namanya ada di bawah peta.",
    "sec_chart": "Peristiwa per hari",
    "sec_chart_lead": "Jumlah peristiwa netralitas menurut tanggal terjadinya, per jenis.",
    "chart_undated": "Kolom \u201cTanpa tgl.\u201d: {events} yang tanggal kejadiannya tidak disebut, "
                     "dihitung pada minggu beritanya terbit.",
    "sec_other": "Peristiwa netralitas lainnya",
    "sec_other_none": "Tidak ada peristiwa netralitas lain minggu ini.",
    "sec_figures": "Angka pelanggaran yang dilaporkan",
    "sec_figures_lead": "Angka seperti tertulis di berita, dengan cakupan wilayahnya; belum diverifikasi "
                        "dan dapat merujuk ke periode sebelumnya.",
    "sec_figures_none": "Tidak ada angka pelanggaran yang dilaporkan minggu ini.",
    "sec_officials": "Pejabat yang paling banyak dikutip",
    "sec_officials_lead": "Dari artikel relevan minggu ini, menurut jumlah artikel yang menyebut namanya.",
    "sec_officials_none": "Tidak ada pejabat yang dikutip minggu ini.",
    "sec_articles": "Artikel sumber",
    "sec_articles_none": "Tidak ada artikel sumber minggu ini.",
    "rakor_none": "Tidak ada rakor netralitas minggu ini.",
    # column heads
    "col_date": "Tanggal",
    "col_organizer": "Penyelenggara",
    "col_venue": "Tempat",
    "col_participants": "Daerah peserta",
    "col_sources": "Sumber",
    "col_number": "Angka",
    "col_what": "Keterangan",
    "col_scope": "Cakupan",
    "col_event": "Peristiwa",
    "col_name": "Nama",
    "col_title": "Jabatan",
    "col_institution": "Instansi / daerah",
    "col_articles": "Artikel",
    "col_outlet": "Media",
    "col_published": "Terbit",
    "col_day": "Hari",
    "col_total": "Jumlah",
    "col_province": "Provinsi",
    "col_regencies": "Kabupaten/kota",
    # values
    "online": "daring",
    "hybrid_unknown": "",
    "unknown": "—",
    "undated": "tanggal tidak disebut",
    "undated_short": "Tanpa tgl.",
    "reported_on": "diberitakan {date}",
    "no_scope": "tidak disebut",
    "region_nasional": "Nasional",
    "more_regions": "+{count} lainnya",
    # map
    "map_title": "Peta petak provinsi Indonesia",
    "map_held": "Menyelenggarakan / tuan rumah rakor",
    "map_attended": "Menghadiri rakor",
    "map_none": "Tidak tercatat",
    "map_regency_held": "Kabupaten/kota penyelenggara atau tempat rakor",
    "map_regency_attended": "Kabupaten/kota peserta",
    "map_nasional": "Rakor tingkat nasional: {names}",
    "map_unmapped": "Daerah yang tidak dikenali peta: {names}",
    "map_list_none": "Tidak ada daerah yang terlibat rakor minggu ini.",
    "role_held": "penyelenggara/tuan rumah",
    "role_attended": "peserta",
    # footer
    "method": "Catatan metode",
    "method_text": "Intisari ini disusun otomatis oleh Pantau dari berita media daerah: peristiwa dikenali "
                   "dengan aturan bahasa Indonesia, dan laporan beberapa media tentang peristiwa yang sama "
                   "digabung. Tanggal adalah tanggal kejadian bila disebut di berita, selain itu tanggal "
                   "terbit. Angka dan nama dikutip sebagaimana diberitakan; periksa sumber sebelum mengutip.",
    "generated_from": "Minggu ISO {week} (Senin–Minggu). Dibuat dari basis data Pantau.",
    "glossary": "Jenis peristiwa",
}

_EN: dict[str, str] = {
    "brand": "Pantau",
    "title": "Weekly Media Digest: Civil-Service Neutrality",
    "week_heading": "Week {week} · {start} – {end}",
    "subtitle": "Regional media coverage of the neutrality of civil servants (netralitas ASN) ahead of the "
                "regional elections, compiled automatically from {articles} by {outlets}.",
    "subtitle_empty": "Regional media coverage of the neutrality of civil servants (netralitas ASN) ahead of "
                      "the regional elections.",
    "no_events": "No neutrality events this week",
    "no_events_note": "The database records no coordination meeting, outreach, declaration, assembly, "
                      "integrity pact, violation, sanction or monitoring of civil-service neutrality that "
                      "happened or was reported between {start} and {end}.",
    "headline": "This week at a glance",
    "fig_rakor": "neutrality coordination meetings (rakor)",
    "fig_rakor_one": "neutrality coordination meeting (rakor)",
    "fig_other": "other neutrality events",
    "fig_other_one": "other neutrality event",
    "fig_regions": "regencies/cities involved in a rakor",
    "fig_regions_one": "regency/city involved in a rakor",
    "fig_provinces": "provinces involved in a rakor",
    "fig_provinces_one": "province involved in a rakor",
    "fig_violations": "violation figures reported",
    "fig_violations_one": "violation figure reported",
    "fig_articles": "articles from {outlets}",
    "fig_articles_one": "article from {outlets}",
    "sec_rakor": "Neutrality coordination meetings this week",
    "sec_rakor_lead": "One row per meeting; reports of the same meeting by several outlets are merged.",
    "sec_map": "Map of rakor regions",
    "sec_map_lead": "Provinces that held or attended a rakor this week. Dots inside a province tile mark its "
                    "regencies and cities; their names are listed below the map.",
    "sec_chart": "Events per day",
    "sec_chart_lead": "Neutrality events by the date they took place, by type.",
    "chart_undated": "\u201cUndated\u201d column: {events} whose date the news does not state, counted in "
                     "the week of the first report.",
    "sec_other": "Other neutrality events",
    "sec_other_none": "No other neutrality events this week.",
    "sec_figures": "Reported violation figures",
    "sec_figures_lead": "Figures as written in the news, with the area they cover; not verified, and they "
                        "may refer to earlier periods.",
    "sec_figures_none": "No violation figures were reported this week.",
    "sec_officials": "Most quoted officials",
    "sec_officials_lead": "From this week's relevant articles, by the number of articles naming them.",
    "sec_officials_none": "No officials were quoted this week.",
    "sec_articles": "Source articles",
    "sec_articles_none": "No source articles this week.",
    "rakor_none": "No neutrality coordination meeting this week.",
    "col_date": "Date",
    "col_organizer": "Organiser",
    "col_venue": "Venue",
    "col_participants": "Participating regions",
    "col_sources": "Sources",
    "col_number": "Figure",
    "col_what": "As reported",
    "col_scope": "Scope",
    "col_event": "Event",
    "col_name": "Name",
    "col_title": "Position",
    "col_institution": "Institution / region",
    "col_articles": "Articles",
    "col_outlet": "Outlet",
    "col_published": "Published",
    "col_day": "Day",
    "col_total": "Total",
    "col_province": "Province",
    "col_regencies": "Regencies/cities",
    "online": "online",
    "hybrid_unknown": "",
    "unknown": "—",
    "undated": "date not stated",
    "undated_short": "Undated",
    "reported_on": "reported {date}",
    "no_scope": "not stated",
    "region_nasional": "National",
    "more_regions": "+{count} more",
    "map_title": "Tile map of Indonesia's provinces",
    "map_held": "Held or hosted a rakor",
    "map_attended": "Attended a rakor",
    "map_none": "None recorded",
    "map_regency_held": "Regency/city that organised or hosted",
    "map_regency_attended": "Participating regency/city",
    "map_nasional": "National-level meetings: {names}",
    "map_unmapped": "Regions the map does not know: {names}",
    "map_list_none": "No region took part in a rakor this week.",
    "role_held": "organiser/host",
    "role_attended": "participant",
    "method": "Method note",
    "method_text": "This digest is compiled automatically by Pantau from regional news: events are recognised "
                   "by Indonesian-language rules, and reports of the same event by several outlets are "
                   "merged. Dates are the date of the event where the news states it, else the publication "
                   "date. Figures and names are quoted as reported; check the source before citing.",
    "generated_from": "ISO week {week} (Monday–Sunday). Built from the Pantau database.",
    "glossary": "Event types",
}

_EVENT_TYPES: dict[str, dict[str, str]] = {
    "id": {
        "rakor": "Rapat koordinasi (rakor)",
        "sosialisasi": "Sosialisasi",
        "deklarasi": "Deklarasi / ikrar netralitas",
        "apel": "Apel netralitas",
        "pakta_integritas": "Pakta integritas",
        "pelanggaran": "Dugaan pelanggaran",
        "sanksi": "Sanksi",
        "pengawasan": "Pengawasan",
    },
    "en": {
        "rakor": "Coordination meeting (rakor)",
        "sosialisasi": "Outreach (sosialisasi)",
        "deklarasi": "Neutrality declaration / pledge",
        "apel": "Neutrality assembly (apel)",
        "pakta_integritas": "Integrity pact",
        "pelanggaran": "Alleged violations",
        "sanksi": "Sanctions",
        "pengawasan": "Monitoring",
    },
}

_DAYS = {
    "id": ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_MONTHS = {
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
           "November", "Desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}
_TABLES: dict[str, Mapping[str, str]] = {"id": _ID, "en": _EN}
# Counted nouns: (singular, plural). Indonesian does not mark the plural.
_NOUNS = {
    "id": {"article": ("artikel", "artikel"), "outlet": ("media", "media"), "event": ("peristiwa", "peristiwa")},
    "en": {"article": ("article", "articles"), "outlet": ("outlet", "outlets"), "event": ("event", "events")},
}


@dataclass(frozen=True)
class Labels:
    """The words of one language, and how that language writes dates and numbers."""

    lang: str
    strings: Mapping[str, str]

    def __call__(self, key: str, n: int | None = None, **values: object) -> str:
        """The string for ``key``; with ``n == 1`` its singular variant (``key_one``) where the language has one."""
        if n == 1 and f"{key}_one" in self.strings:
            key = f"{key}_one"
        text = self.strings[key]
        return text.format(n=n, **values) if values or n is not None else text

    def count(self, n: int, noun: str) -> str:
        """"1 article", "8 articles"; "8 artikel"."""
        singular, plural = _NOUNS[self.lang][noun]
        return f"{n} {singular if n == 1 else plural}"

    def event_type(self, event_type: str) -> str:
        return _EVENT_TYPES[self.lang].get(event_type, event_type.replace("_", " ").capitalize())

    def day(self, date: dt.date) -> str:
        return _DAYS[self.lang][date.weekday()]

    def day_short(self, date: dt.date) -> str:
        return self.day(date)[:3]

    def date(self, date: dt.date | None, *, weekday: bool = False) -> str:
        """"Selasa, 17 September 2024" / "Tuesday 17 September 2024"."""
        if date is None:
            return self("unknown")
        text = f"{date.day} {_MONTHS[self.lang][date.month - 1]} {date.year}"
        if weekday:
            return f"{self.day(date)}, {text}" if self.lang == "id" else f"{self.day(date)} {text}"
        return text

    def date_short(self, date: dt.date | None) -> str:
        """"17 Sep" in both languages (the month abbreviations coincide where it matters)."""
        if date is None:
            return self("unknown")
        return f"{date.day} {_MONTHS[self.lang][date.month - 1][:3]}"

    def number(self, value: float) -> str:
        """Indonesian groups thousands with a dot (1.000), English with a comma (1,000)."""
        whole = float(value).is_integer()
        text = f"{int(value):,}" if whole else f"{value:,.1f}"
        if self.lang == "id":
            text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
        return text


def labels_for(lang: str) -> Labels:
    if lang not in _TABLES:
        raise ValueError(f"unknown digest language {lang!r}; use one of {', '.join(LANGUAGES)}")
    return Labels(lang=lang, strings=_TABLES[lang])


def missing_keys() -> dict[str, set[str]]:
    """Keys some language lacks (for the tests): every language must have every key."""
    every = {k for t in _TABLES.values() for k in t if not k.endswith("_one")}  # singulars are optional
    types = set().union(*(set(t) for t in _EVENT_TYPES.values())) | set(EVENT_TYPES)
    return {
        lang: (every - set(_TABLES[lang])) | {f"type:{t}" for t in types - set(_EVENT_TYPES[lang])}
        for lang in LANGUAGES
    }
