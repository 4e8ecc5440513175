-- The entities named in each article, with their mention counts and surface forms.
WITH mentions AS (
    SELECT
        article_id,
        entity_id,
        surface,
        start_char
    FROM stg_entity_mentions
),

per_entity AS (
    SELECT
        mentions.article_id,
        mentions.entity_id,
        entities.entity_name,
        entities.entity_type,
        count(*) AS mentions,
        string_agg(DISTINCT mentions.surface, ' | ') AS surfaces,
        min(mentions.start_char) AS first_char
    FROM mentions
    INNER JOIN stg_entities AS entities
        ON entities.entity_id = mentions.entity_id
    GROUP BY
        mentions.article_id,
        mentions.entity_id,
        entities.entity_name,
        entities.entity_type
)

SELECT *
FROM per_entity
