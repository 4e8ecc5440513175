SELECT
    article_id,
    content_hash,
    num_perm,
    hashvalues,
    shingle_count,
    published_at,
    first_seen_at,
    shingle_hashes,
    shingle_size
FROM article_signatures
