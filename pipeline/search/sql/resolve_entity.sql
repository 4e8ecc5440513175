-- An `entity:` value: an entity id, or a canonical name or alias in any case.
SELECT entity_id
FROM entities
WHERE entity_id = $1
   OR lower(canonical_name) = $2
   OR list_contains(list_transform(aliases, x -> lower(x)), $2)
ORDER BY entity_id
