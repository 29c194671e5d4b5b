"""Backfill from web archives: WARC files -> Parquet shards -> the store.

``warc`` reads and filters records, ``shards`` turns one WARC file (or a byte
range of one) into Parquet shards with the same extraction and annotation as a
crawl, ``load`` is the one writer's side. Nothing here knows of Prefect or
Dask: ``flows.backfill`` maps shard tasks onto a Dask cluster.
"""
