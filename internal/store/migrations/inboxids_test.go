package migrations

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"testing"
)

// TestInboxIDsGiven: 00038 names each provider event stored before the inbox by the time it was
// received, so that the events list in arrival order (two received in one millisecond too),
// and makes the ids unique; the events keep their state, applied.
func TestInboxIDsGiven(t *testing.T) {
	t.Parallel()
	onEachDatabase(t, func(t *testing.T, db *sql.DB, dialect string) {
		ctx := context.Background()
		migrateTo(t, db, dialect, 37)
		for _, e := range []struct {
			eventID  string
			received int64
		}{{"evt_late", 3_000}, {"evt_first", 1_000}, {"evt_same_a", 2_000}, {"evt_same_b", 2_000}} {
			if _, err := db.ExecContext(ctx, rebind(dialect, `INSERT INTO provider_events (provider, event_id, type, received_at, applied, payload)
				VALUES ('stripe', ?, 'charge.dispute.created', ?, TRUE, '{}')`), e.eventID, e.received); err != nil {
				t.Fatal(err)
			}
		}
		if err := Up(ctx, db, dialect); err != nil {
			t.Fatal(err)
		}
		byID := column(t, db, "SELECT event_id FROM provider_events ORDER BY id")
		if !slices.Equal(byID[:1], []string{"evt_first"}) || !slices.Equal(byID[3:], []string{"evt_late"}) {
			t.Errorf("the events in the order of their ids: %q, want evt_first, the two of one millisecond, evt_late", byID)
		}
		ids := column(t, db, "SELECT id FROM provider_events WHERE state = 'applied' ORDER BY id") // evt_first's first
		if len(ids) != 4 || slices.ContainsFunc(ids, func(id string) bool { return !strings.HasPrefix(id, "pev_") || len(id) != 30 }) {
			t.Errorf("the ids given: %q", ids)
		}
		if _, err := db.ExecContext(ctx, rebind(dialect, `UPDATE provider_events SET id = ? WHERE event_id = 'evt_late'`), ids[0]); err == nil {
			t.Error("two events took one id: the ids are not unique")
		}
	})
}
