"""newsmon: a news-monitoring pipeline. Stages: ingest, clean, dedup, validate, extract, load, report."""
