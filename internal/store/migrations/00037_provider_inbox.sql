-- The inbox: a provider event is stored as it arrives (state pending), acknowledged once stored,
-- and applied later by the appliers (state applied, or failed with its error and its next
-- attempt). id names the stored event (pev_…, in arrival order: the appliers apply the events
-- about one object, a dispute or a charge, in id order); object is that object. Events stored
-- before the inbox were applied as they arrived: state applied. Migration 00038, in Go, gives
-- them their ids and makes id unique. Portable like 00001.

-- +goose Up
ALTER TABLE provider_events ADD COLUMN id TEXT NOT NULL DEFAULT '';
ALTER TABLE provider_events ADD COLUMN object TEXT NOT NULL DEFAULT '';
ALTER TABLE provider_events ADD COLUMN state TEXT NOT NULL DEFAULT 'applied';
ALTER TABLE provider_events ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE provider_events ADD COLUMN error TEXT NOT NULL DEFAULT '';
ALTER TABLE provider_events ADD COLUMN next_attempt_at BIGINT;
ALTER TABLE provider_events ADD COLUMN applied_at BIGINT;
-- What the appliers read: the events not applied, in arrival order, and per object the first.
CREATE INDEX provider_events_unapplied ON provider_events (id) WHERE state <> 'applied';
CREATE INDEX provider_events_object ON provider_events (provider, object, id) WHERE state <> 'applied';

-- +goose Down
DROP INDEX provider_events_object;
DROP INDEX provider_events_unapplied;
ALTER TABLE provider_events DROP COLUMN applied_at;
ALTER TABLE provider_events DROP COLUMN next_attempt_at;
ALTER TABLE provider_events DROP COLUMN error;
ALTER TABLE provider_events DROP COLUMN attempts;
ALTER TABLE provider_events DROP COLUMN state;
ALTER TABLE provider_events DROP COLUMN object;
ALTER TABLE provider_events DROP COLUMN id;
