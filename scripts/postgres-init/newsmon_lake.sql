-- The DuckLake catalog database of newsmon's lake mode (docs/lake.md), beside Airflow's metadata
-- database. The postgres image runs this once, when its volume is first initialised; on an
-- existing volume: docker compose exec postgres createdb -U airflow newsmon_lake
CREATE DATABASE newsmon_lake;
