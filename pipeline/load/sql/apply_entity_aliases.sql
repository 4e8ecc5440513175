-- Re-point what names an entity by an id that is now an alias (registered as `aliases`:
-- alias_id -> entity_id): its mentions, older aliases of it, then drop its entities row (the
-- alias row keeps the old id resolvable). Event actor lists are re-pointed by the caller.
UPDATE entity_mentions SET entity_id = a.entity_id FROM aliases a WHERE entity_mentions.entity_id = a.alias_id;
UPDATE entity_aliases SET entity_id = a.entity_id FROM aliases a WHERE entity_aliases.entity_id = a.alias_id;
UPDATE events SET actor1 = a.entity_id FROM aliases a WHERE events.actor1 = a.alias_id;
UPDATE events SET actor2 = a.entity_id FROM aliases a WHERE events.actor2 = a.alias_id;
UPDATE event_mentions SET actor1 = a.entity_id FROM aliases a WHERE event_mentions.actor1 = a.alias_id;
UPDATE event_mentions SET actor2 = a.entity_id FROM aliases a WHERE event_mentions.actor2 = a.alias_id;
DELETE FROM entities WHERE entity_id IN (SELECT alias_id FROM aliases);
