-- For each article, the other stored articles of its duplicate cluster.
WITH articles AS (
    SELECT
        article_id,
        cluster_id,
        title,
        publisher,
        article_day,
        is_duplicate,
        duplicate_of,
        similarity
    FROM stg_articles
),

cluster_members AS (
    SELECT
        anchor.article_id,
        member.article_id AS member_id,
        member.title AS member_title,
        member.publisher AS member_publisher,
        member.article_day AS member_day,
        member.is_duplicate AS member_is_duplicate,
        member.duplicate_of AS member_duplicate_of,
        member.similarity AS member_similarity
    FROM articles AS anchor
    INNER JOIN articles AS member
        ON member.cluster_id = anchor.cluster_id
        AND member.article_id <> anchor.article_id
)

SELECT *
FROM cluster_members
