SELECT DISTINCT event_type FROM events
