package storetest

import (
	"testing"

	"disputed/internal/store"
)

// testInbox: events are appended pending (a replay keeps the stored one), claimed first per
// object in arrival order, settled applied or failed (a failed one holds its object's later
// events until it is due again or retried), listed by state, and counted.
func testInbox(t *testing.T, s store.Store) {
	ctx := t.Context()
	ev := func(id, eventID, object string, at0 int64) store.ProviderEvent {
		return store.ProviderEvent{ID: id, Provider: "stripe", EventID: eventID, Type: "charge.dispute.updated", Object: object,
			HappenedAt: at(at0), ReceivedAt: at(at0 + 1), Payload: []byte(`{"id":"` + eventID + `"}`)}
	}
	e1, e2, e3 := ev("pev_01", "evt_1", "dispute:dp_1", 10), ev("pev_02", "evt_2", "dispute:dp_1", 30), ev("pev_03", "evt_3", "charge:ch_1", 40)
	var stored []store.ProviderEvent
	write(t, s, func(tx store.Tx) (err error) {
		stored, err = tx.AppendProviderEvents(ctx, []store.ProviderEvent{e1, e2, e3})
		return err
	})
	same(t, "appended states", ids(stored, func(e store.ProviderEvent) string { return e.ID + " " + e.State }),
		[]string{"pev_01 pending", "pev_02 pending", "pev_03 pending"})
	replay := ev("pev_09", "evt_1", "dispute:dp_1", 10)
	write(t, s, func(tx store.Tx) (err error) {
		stored, err = tx.AppendProviderEvents(ctx, []store.ProviderEvent{replay, ev("pev_04", "evt_4", "", 50)})
		return err
	})
	same(t, "a replay answers with the event stored first", ids(stored, func(e store.ProviderEvent) string { return e.ID }), []string{"pev_01", "pev_04"})
	got, err := s.GetProviderEventByID(ctx, "pev_01")
	noErr(t, "GetProviderEventByID", err)
	want := e1
	want.State = store.EventPending
	same(t, "stored event", got, want)

	claim := func(now int64) []string {
		var evs []store.ProviderEvent
		write(t, s, func(tx store.Tx) (err error) {
			evs, err = tx.ClaimProviderEvents(ctx, at(now), 10)
			return err
		})
		return ids(evs, func(e store.ProviderEvent) string { return e.ID })
	}
	same(t, "claimed: the first of each object, and an event of no object", claim(60), []string{"pev_01", "pev_03", "pev_04"})

	failed := got
	failed.State, failed.Attempts, failed.Error, failed.NextAttempt = store.EventFailed, 1, "database is locked", at(100)
	failed.DisputeID = "dsp_1"
	applied := e3
	applied.State, applied.Applied, applied.Outcome, applied.AppliedAt, applied.DisputeID = store.EventApplied, true, "applied", at(61), "dsp_1"
	applied.HappenedAt = at(40)
	write(t, s, func(tx store.Tx) error { return tx.SettleProviderEvents(ctx, []store.ProviderEvent{failed, applied}) })
	got, err = s.GetProviderEventByID(ctx, "pev_03")
	noErr(t, "GetProviderEventByID", err)
	same(t, "settled event", got, applied)
	ofDispute, err := s.ProviderEventsOfDispute(ctx, "dsp_1")
	noErr(t, "ProviderEventsOfDispute", err)
	same(t, "the dispute's applied events (not the failed one)", ids(ofDispute, func(e store.ProviderEvent) string { return e.ID }), []string{"pev_03"})
	same(t, "a failed event holds its object until it is due", claim(70), []string{"pev_04"})
	same(t, "then it comes first again", claim(100), []string{"pev_01", "pev_04"})
	unapplied := func(after string, limit int) []string {
		evs, err := s.UnappliedProviderEvents(ctx, after, limit)
		noErr(t, "UnappliedProviderEvents", err)
		return ids(evs, func(e store.ProviderEvent) string { return e.ID })
	}
	same(t, "not applied, oldest first, failed ones too", unapplied("", 10), []string{"pev_01", "pev_02", "pev_04"})
	same(t, "not applied after pev_01, at most one", unapplied("pev_01", 1), []string{"pev_02"})
	same(t, "not applied after the last", unapplied("pev_04", 10), []string{})
	stats, err := s.InboxStats(ctx)
	noErr(t, "InboxStats", err)
	same(t, "inbox stats", stats, store.InboxStats{Pending: 2, Failed: 1, OldestPending: at(31)})

	list := func(f store.ProviderEventFilter) []string {
		f.Limit = 10
		evs, err := s.ListProviderEvents(ctx, f)
		noErr(t, "ListProviderEvents", err)
		return ids(evs, func(e store.ProviderEvent) string { return e.ID })
	}
	same(t, "all, newest first", list(store.ProviderEventFilter{}), []string{"pev_04", "pev_03", "pev_02", "pev_01"})
	limited, err := s.ListProviderEvents(ctx, store.ProviderEventFilter{Page: store.Page{Limit: 1, Offset: 1}})
	noErr(t, "ListProviderEvents", err)
	same(t, "a page of one from the second, and one more to tell there are more", ids(limited, func(e store.ProviderEvent) string { return e.ID }),
		[]string{"pev_03", "pev_02"})
	same(t, "failed", list(store.ProviderEventFilter{State: store.EventFailed}), []string{"pev_01"})
	same(t, "pending before pev_04", list(store.ProviderEventFilter{State: store.EventPending, Page: store.Page{AfterID: "pev_04"}}), []string{"pev_02"})
	same(t, "applied", list(store.ProviderEventFilter{State: store.EventApplied, Provider: "stripe"}), []string{"pev_03"})
	same(t, "another provider's", list(store.ProviderEventFilter{Provider: "paypal"}), []string{})

	wantErr(t, "retrying an event not failed", s.Tx(ctx, func(tx store.Tx) error { return tx.RetryProviderEvent(ctx, "pev_02") }), store.ErrConflict)
	wantErr(t, "retrying no event", s.Tx(ctx, func(tx store.Tx) error { return tx.RetryProviderEvent(ctx, "pev_99") }), store.ErrNotFound)
	write(t, s, func(tx store.Tx) error { return tx.RetryProviderEvent(ctx, "pev_01") })
	same(t, "retried: due at once", claim(70), []string{"pev_01", "pev_04"})
	unknown := applied
	unknown.EventID = "evt_9"
	wantErr(t, "settling an event never stored", s.Tx(ctx, func(tx store.Tx) error {
		return tx.SettleProviderEvents(ctx, []store.ProviderEvent{applied, unknown})
	}), store.ErrNotFound)
}
