package migrations

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/pressly/goose/v3"

	"disputed/internal/id"
)

// inboxIDs is migration 00038: the provider events stored before the inbox (00037) get their
// ids, made from the time each was received, so that they list in arrival order among the ones
// stored since; then id becomes unique. It is in Go because neither database can make such an
// id in SQL the other one also runs.
func inboxIDs() *goose.Migration {
	return goose.NewGoMigration(38, &goose.GoFunc{RunTx: fillInboxIDs}, &goose.GoFunc{RunTx: dropInboxIDs})
}

func fillInboxIDs(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT provider, event_id, received_at FROM provider_events WHERE id = '' ORDER BY received_at`)
	if err != nil {
		return fmt.Errorf("read provider events: %w", err)
	}
	type key struct {
		provider, eventID string
		received          int64
	}
	var keys []key
	for rows.Next() {
		var k key
		if err := rows.Scan(&k.provider, &k.eventID, &k.received); err != nil {
			rows.Close()
			return fmt.Errorf("read provider events: %w", err)
		}
		keys = append(keys, k)
	}
	if err := rows.Close(); err != nil {
		return fmt.Errorf("read provider events: %w", err)
	}
	var at time.Time
	ids := id.NewGenerator(func() time.Time { return at })
	for _, k := range keys {
		at = time.UnixMilli(k.received)
		if _, err := tx.ExecContext(ctx, `UPDATE provider_events SET id = $1 WHERE provider = $2 AND event_id = $3`,
			ids.New("pev"), k.provider, k.eventID); err != nil {
			return fmt.Errorf("name provider event %s/%s: %w", k.provider, k.eventID, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `CREATE UNIQUE INDEX provider_events_id ON provider_events (id)`); err != nil {
		return fmt.Errorf("index provider events by id: %w", err)
	}
	return nil
}

func dropInboxIDs(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `DROP INDEX provider_events_id`)
	return err
}
