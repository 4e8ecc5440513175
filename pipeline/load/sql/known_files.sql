-- Files already read, by path, size and modification time: unchanged ones are skipped unread.
SELECT
    source_uri,
    source_size,
    source_mtime_ns
FROM documents
WHERE source_kind = 'file'
    AND source_size IS NOT NULL
