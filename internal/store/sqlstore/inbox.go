package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"disputed/internal/store"
	"disputed/internal/store/query"
)

// The inbox is the provider_events table: events are appended pending and settled applied or
// failed by the appliers (see store.ProviderWriter).

// appendColumns are what an append writes; the other columns keep their defaults.
const appendColumns = "id, provider, event_id, type, object, happened_at, received_at, state, applied, outcome, payload"

// AppendProviderEvents writes the events in one multi-row INSERT, which is what makes a group
// commit cheap: one statement and one commit for every request that arrived while the last
// group was written. The events a replay repeats are passed over by ON CONFLICT and read back.
func (t *tx) AppendProviderEvents(ctx context.Context, evs []store.ProviderEvent) ([]store.ProviderEvent, error) {
	if len(evs) == 0 {
		return nil, nil
	}
	var q strings.Builder
	q.WriteString("INSERT INTO provider_events (" + appendColumns + ") VALUES ")
	args := make([]any, 0, len(evs)*9)
	for i, e := range evs {
		if i > 0 {
			q.WriteString(", ")
		}
		n := len(args)
		fmt.Fprintf(&q, "($%d, $%d, $%d, $%d, $%d, $%d, $%d, 'pending', FALSE, '', $%d)", n+1, n+2, n+3, n+4, n+5, n+6, n+7, n+8)
		args = append(args, e.ID, e.Provider, e.EventID, e.Type, e.Object, nullMillis(e.HappenedAt), millis(e.ReceivedAt), string(e.Payload))
	}
	q.WriteString(" ON CONFLICT (provider, event_id) DO NOTHING RETURNING provider, event_id")
	rows, err := t.query(ctx, q.String(), args...)
	if err != nil {
		return nil, t.fail(err, "append %d provider events", len(evs))
	}
	added := make(map[[2]string]bool, len(evs))
	for rows.Next() {
		var k [2]string
		if err := rows.Scan(&k[0], &k[1]); err != nil {
			rows.Close()
			return nil, t.fail(err, "append %d provider events", len(evs))
		}
		added[k] = true
	}
	if err := rows.Close(); err != nil {
		return nil, t.fail(err, "append %d provider events", len(evs))
	}
	out := make([]store.ProviderEvent, len(evs))
	for i, e := range evs {
		if added[[2]string{e.Provider, e.EventID}] {
			e.State = store.EventPending
			out[i] = e
			continue
		}
		if out[i], err = t.GetProviderEvent(ctx, e.Provider, e.EventID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ClaimProviderEvents reads the next events to apply. The partial indexes on the events not
// applied serve both the walk in arrival order and the test that no earlier event of the same
// object waits. On PostgreSQL the rows are locked, and rows another instance holds passed over
// (the dialect's SkipLocked); its earlier events of an object, pending until it commits, keep
// this instance off that object's later ones.
func (t *tx) ClaimProviderEvents(ctx context.Context, now time.Time, limit int) ([]store.ProviderEvent, error) {
	q := `SELECT e.* FROM provider_events e
WHERE e.state <> 'applied' AND (e.state = 'pending' OR e.next_attempt_at <= $1)
  AND (e.object = '' OR NOT EXISTS (SELECT 1 FROM provider_events b
    WHERE b.state <> 'applied' AND b.provider = e.provider AND b.object = e.object AND b.id < e.id))
ORDER BY e.id LIMIT $2` + t.dialect.SkipLocked
	evs, err := t.readProviderEvents(ctx, q, millis(now), limit)
	if err != nil {
		return nil, t.fail(err, "claim provider events")
	}
	return evs, nil
}

// SettleProviderEvents writes a pass's outcomes in one UPDATE joined to a VALUES list of them
// (a statement per event had been a tenth of what applying a charge costs). The list is padded,
// by repeating its last event, to a power of two, so that each length is one statement
// prepared once; an event listed twice is written once, the same.
func (t *tx) SettleProviderEvents(ctx context.Context, evs []store.ProviderEvent) error {
	t.memo.rows.providerEventsSettled(evs)
	for part := range slices.Chunk(evs, settleMost) {
		if err := t.settle(ctx, part); err != nil {
			return t.fail(err, "settle %d provider events", len(part))
		}
	}
	return nil
}

// settleMost is the most events one settling statement writes: an applier's pass.
const settleMost = 64

func (t *tx) settle(ctx context.Context, evs []store.ProviderEvent) error {
	n := 1
	for n < len(evs) {
		n *= 2
	}
	var q strings.Builder
	q.WriteString("UPDATE provider_events SET dispute_id = v.column3, applied = v.column4, outcome = v.column5, state = v.column6," +
		" attempts = v.column7, error = v.column8, next_attempt_at = v.column9, applied_at = v.column10 FROM (VALUES ")
	args := make([]any, 0, n*10)
	distinct := make(map[[2]string]bool, len(evs))
	for i := range n {
		e := evs[min(i, len(evs)-1)]
		distinct[[2]string{e.Provider, e.EventID}] = true
		if i > 0 {
			q.WriteString(", ")
		}
		a := len(args)
		fmt.Fprintf(&q, "(CAST($%d AS TEXT), CAST($%d AS TEXT), CAST($%d AS TEXT), CAST($%d AS BOOLEAN), CAST($%d AS TEXT),"+
			" CAST($%d AS TEXT), CAST($%d AS INTEGER), CAST($%d AS TEXT), CAST($%d AS BIGINT), CAST($%d AS BIGINT))",
			a+1, a+2, a+3, a+4, a+5, a+6, a+7, a+8, a+9, a+10)
		args = append(args, e.Provider, e.EventID, e.DisputeID, e.Applied, e.Outcome, e.State, min(e.Attempts, 1<<30), e.Error,
			nullMillis(e.NextAttempt), nullMillis(e.AppliedAt))
	}
	q.WriteString(") AS v WHERE provider_events.provider = v.column1 AND provider_events.event_id = v.column2")
	written, err := rowsAffected(t.execBuilt(ctx, q.String(), args))
	if err == nil && written != int64(len(distinct)) {
		err = store.ErrNotFound
	}
	return err
}

func (t *tx) RetryProviderEvent(ctx context.Context, id string) error {
	n, err := t.q.RetryProviderEvent(ctx, id)
	if err == nil && n == 0 {
		if _, err = t.GetProviderEventByID(ctx, id); err == nil {
			err = store.ErrConflict
		}
	}
	if err != nil {
		return t.fail(err, "retry provider event %s", id)
	}
	return nil
}

func (c *conn) GetProviderEvent(ctx context.Context, provider, eventID string) (store.ProviderEvent, error) {
	r, err := c.q.GetProviderEvent(ctx, query.GetProviderEventParams{Provider: provider, EventID: eventID})
	if err != nil {
		return store.ProviderEvent{}, c.fail(err, "get provider event %s/%s", provider, eventID)
	}
	return providerEventFromRow(r), nil
}

func (c *conn) GetProviderEventByID(ctx context.Context, id string) (store.ProviderEvent, error) {
	r, err := c.q.GetProviderEventByID(ctx, id)
	if err != nil {
		return store.ProviderEvent{}, c.fail(err, "get provider event %s", id)
	}
	return providerEventFromRow(r), nil
}

// ListProviderEvents is WalkProviderEvents without a bound.
func (c *conn) ListProviderEvents(ctx context.Context, f store.ProviderEventFilter) ([]store.ProviderEvent, error) {
	w, err := c.WalkProviderEvents(ctx, f, 0)
	return w.Rows, err
}

// WalkProviderEvents walks the events newest first by id, at most readAtMost of them. A
// provider's events are read through the primary key (provider, event_id) and sorted when they
// are few: a rare provider's page comes whole, where the walk would stop at its bound many
// times before it. Otherwise a state other than applied is read through the partial index on
// the events not applied, which the WHERE must name for SQLite to use it; the applied ones, and
// every state's, through the unique index on id; the provider and the state are checked on the
// events read.
func (c *conn) WalkProviderEvents(ctx context.Context, f store.ProviderEventFilter, readAtMost int) (store.Walk[store.ProviderEvent], error) {
	var w conditions
	id := "id"
	if f.Provider != "" {
		few, err := c.few(ctx, "SELECT 1 FROM provider_events WHERE provider = $1", f.Provider)
		if err != nil {
			return store.Walk[store.ProviderEvent]{}, c.fail(err, "list provider events")
		}
		if few {
			w.equal("provider", f.Provider)
			id = "id || ''" // keep the index on id out of the plan: read the provider's events
		} else {
			w.add("provider = " + w.arg(f.Provider))
		}
	}
	switch f.State {
	case "":
	case store.EventApplied:
		w.add("state = 'applied'")
	default:
		if !w.indexed { // else the provider's index is read, and the state checked on its events
			w.walk("state <> 'applied'")
		}
		w.add("state = " + w.arg(f.State))
	}
	pg := pageOf(f.Page)
	if pg.afterID.Valid { // the id alone is the place: the cursor's time is not read
		w.walk(id + " < " + w.arg(pg.afterID.String))
	}
	return walkNewest(ctx, c, "list provider events", w, walkOf{selectFrom: "SELECT * FROM provider_events", table: "provider_events",
		walked: "provider_events", order: id + " DESC", key: "received_at, id"}, pg, readAtMost, scanProviderEvent)
}

// ProviderEventsOfDispute reads a dispute's events through the index on dispute_id: they are
// few, and sorted after, by id, which is their order of arrival and so of applying (the events
// of one dispute apply in the order they arrived).
func (c *conn) ProviderEventsOfDispute(ctx context.Context, disputeID string) ([]store.ProviderEvent, error) {
	evs, err := c.readProviderEvents(ctx, "SELECT * FROM provider_events WHERE dispute_id = $1 AND dispute_id <> '' AND applied ORDER BY id", disputeID)
	if err != nil {
		return nil, c.fail(err, "provider events of dispute %s", disputeID)
	}
	return evs, nil
}

func (c *conn) InboxStats(ctx context.Context) (store.InboxStats, error) {
	rows, err := c.q.InboxStats(ctx)
	if err != nil {
		return store.InboxStats{}, c.fail(err, "count the inbox")
	}
	var s store.InboxStats
	for _, r := range rows {
		switch r.State {
		case store.EventPending:
			s.Pending, s.OldestPending = r.Events, fromMillis(r.Oldest)
		case store.EventFailed:
			s.Failed = r.Events
		}
	}
	return s, nil
}

// scanProviderEvent reads a row with the columns of provider_events, by name.
var scanProviderEvent = scanBy(newByName[query.ProviderEvent](), func(r query.ProviderEvent) (store.ProviderEvent, error) {
	return providerEventFromRow(r), nil
})

// readProviderEvents runs q, a SELECT of provider_events' columns, and reads its rows by name.
// UnappliedProviderEvents reads along the index of the events not applied, by id.
func (c *conn) UnappliedProviderEvents(ctx context.Context, afterID string, limit int) ([]store.ProviderEvent, error) {
	evs, err := c.readProviderEvents(ctx, "SELECT * FROM provider_events WHERE state <> 'applied' AND id > $1 ORDER BY id LIMIT $2", afterID, limit)
	if err != nil {
		return nil, c.fail(err, "read the provider events after %s", afterID)
	}
	return evs, nil
}

func (c *conn) readProviderEvents(ctx context.Context, q string, args ...any) ([]store.ProviderEvent, error) {
	rows, err := c.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	return scanRows(rows, scanProviderEvent)
}

func providerEventFromRow(r query.ProviderEvent) store.ProviderEvent {
	return store.ProviderEvent{ID: r.ID, Provider: r.Provider, EventID: r.EventID, Type: r.Type, DisputeID: r.DisputeID,
		HappenedAt: fromNullMillis(r.HappenedAt), ReceivedAt: fromMillis(r.ReceivedAt), Object: r.Object, State: r.State,
		Applied: r.Applied, Outcome: r.Outcome, Payload: []byte(r.Payload), Attempts: int(r.Attempts), Error: r.Error,
		NextAttempt: fromNullMillis(r.NextAttemptAt), AppliedAt: fromNullMillis(r.AppliedAt)}
}
