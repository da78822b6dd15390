package main

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"disputed/bench/internal/ceiling"
)

// writtenTables are the tables into which taking provider events inserts rows, each with the
// column that says when a row was written.
var writtenTables = []struct{ name, written string }{
	{"provider_events", "received_at"}, {"disputes", "created_at"}, {"timeline", "created_at"},
	{"events", "created_at"}, {"jobs", "created_at"}, {"emails", "created_at"}, {"blocklist", "created_at"},
	{"transactions", "created_at"}, {"webhook_deliveries", "created_at"},
}

// readWritten reads from db, a run's database, the rows written since since, and an update of
// the dispute for every event that changed a dispute it did not open.
func readWritten(ctx context.Context, db *sql.DB, store string, since time.Time) (ceiling.Changes, error) {
	var c ceiling.Changes
	for _, t := range writtenTables {
		rows, err := db.QueryContext(ctx, ceiling.Placeholders(store, fmt.Sprintf("SELECT * FROM %s WHERE %s >= $1 ORDER BY %[2]s",
			t.name, t.written)), since.UnixMilli())
		if err != nil {
			return c, err
		}
		table, err := ceiling.ReadTable(t.name, rows)
		if err != nil {
			return c, err
		}
		c.Inserts = append(c.Inserts, table)
	}
	rows, err := db.QueryContext(ctx, ceiling.Placeholders(store, `SELECT e.dispute_id, d.status, d.revision, d.updated_at
		FROM provider_events e JOIN disputes d ON d.id = e.dispute_id
		WHERE e.received_at >= $1 AND e.outcome NOT LIKE 'opened%' ORDER BY e.received_at`), since.UnixMilli())
	if err != nil {
		return c, err
	}
	defer rows.Close()
	for rows.Next() {
		u := ceiling.Update{Table: "disputes", Key: "id", Columns: []string{"status", "revision", "updated_at"}, Values: make([]any, 3)}
		if err := rows.Scan(&u.KeyValue, &u.Values[0], &u.Values[1], &u.Values[2]); err != nil {
			return c, err
		}
		c.Updates = append(c.Updates, u)
	}
	return c, rows.Err()
}
