-- Spans the cleaner removed from an article; rule is "<family>:<rule name>".
WITH source AS (
    SELECT *
    FROM warehouse.boilerplate_removed
),

renamed AS (
    SELECT
        article_id,
        CAST(position AS INTEGER) AS position,
        rule,
        split_part(rule, ':', 1) AS rule_family,
        text AS removed_text
    FROM source
)

SELECT *
FROM renamed
