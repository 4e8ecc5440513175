SELECT
    doc_id
FROM documents
