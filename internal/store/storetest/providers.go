package storetest

import (
	"testing"
	"time"

	"disputed/internal/store"
)

func testProviders(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := store.Provider{Name: "stripe", Type: "stripe", WebhookSecret: "whsec_1", APIKey: "sk_test", APIBase: "http://127.0.0.1:1",
		WebhookID: "WH-1", CreatedAt: at(1), UpdatedAt: at(1)}
	write(t, s, func(tx store.Tx) error { return tx.InsertProvider(ctx, p) })
	wantErr(t, "a taken provider name", s.Tx(ctx, func(tx store.Tx) error { return tx.InsertProvider(ctx, p) }), store.ErrConflict)
	rotated := p
	rotated.WebhookSecret, rotated.CreatedAt, rotated.UpdatedAt = "whsec_2,whsec_1", at(9), at(5)
	write(t, s, func(tx store.Tx) error { return tx.SaveProvider(ctx, rotated) })
	got, err := s.GetProvider(ctx, "stripe")
	noErr(t, "GetProvider", err)
	want := rotated
	want.CreatedAt = at(1) // a save keeps the first creation time
	same(t, "saved provider", got, want)
	write(t, s, func(tx store.Tx) error {
		return tx.SaveProvider(ctx, store.Provider{Name: "alerts", Type: "generic", WebhookSecret: "s", CreatedAt: at(2), UpdatedAt: at(2)})
	})
	all, err := s.ListProviders(ctx)
	noErr(t, "ListProviders", err)
	same(t, "providers by name", ids(all, func(p store.Provider) string { return p.Name }), []string{"alerts", "stripe"})
	write(t, s, func(tx store.Tx) error { return tx.DeleteProvider(ctx, "alerts") })
	wantErr(t, "deleting it again", s.Tx(ctx, func(tx store.Tx) error { return tx.DeleteProvider(ctx, "alerts") }), store.ErrNotFound)

	// Provider events: a replay conflicts; the newest applied one per dispute is found.
	d := openDispute("dsp_1", "", at(0))
	d.Provider, d.ProviderDisputeID = "stripe", "dp_1"
	write(t, s, func(tx store.Tx) error { return tx.InsertDispute(ctx, d) })
	twin := openDispute("dsp_2", "", at(0))
	twin.Provider, twin.ProviderDisputeID = "stripe", "dp_1"
	wantErr(t, "a second dispute for one provider case", s.Tx(ctx, func(tx store.Tx) error { return tx.InsertDispute(ctx, twin) }), store.ErrConflict)
	found, err := s.FindDisputeByProvider(ctx, "stripe", "dp_1")
	noErr(t, "FindDisputeByProvider", err)
	same(t, "found dispute", found.ID, "dsp_1")
	wantErr(t, "another provider's case", func() error { _, err := s.FindDisputeByProvider(ctx, "paypal", "dp_1"); return err }(), store.ErrNotFound)

	last, err := s.LastProviderEventAt(ctx, "dsp_1")
	noErr(t, "LastProviderEventAt", err)
	same(t, "no events yet", last, time.Time{})
	testInbox(t, s)
	last, err = s.LastProviderEventAt(ctx, "dsp_1")
	noErr(t, "LastProviderEventAt", err)
	same(t, "the newest applied event", last, at(40))
}

func testWebhooks(t *testing.T, s store.Store) {
	ctx := t.Context()
	ep := store.WebhookEndpoint{ID: "we_1", URL: "https://hooks.example/a", Description: "ops", Events: []string{"dispute.created"},
		Secret: "whsec_a", PreviousSecret: "whsec_0", PreviousUntil: at(50), Enabled: true, FailureStreak: 2, DisableAfter: 10,
		CreatedAt: at(1), UpdatedAt: at(1)}
	other := store.WebhookEndpoint{ID: "we_2", URL: "https://hooks.example/b", Events: []string{"*"}, Secret: "whsec_b",
		Enabled: true, DisableAfter: 5, CreatedAt: at(2), UpdatedAt: at(2)}
	write(t, s, func(tx store.Tx) error {
		if err := tx.InsertWebhookEndpoint(ctx, ep); err != nil {
			return err
		}
		return tx.InsertWebhookEndpoint(ctx, other)
	})
	got, err := s.GetWebhookEndpoint(ctx, "we_1")
	noErr(t, "GetWebhookEndpoint", err)
	same(t, "endpoint", got, ep)
	disabled := ep
	disabled.Enabled, disabled.DisabledReason, disabled.FailureStreak, disabled.PreviousSecret, disabled.PreviousUntil, disabled.UpdatedAt =
		false, "10 deliveries failed in a row", 10, "", time.Time{}, at(60)
	write(t, s, func(tx store.Tx) error { return tx.UpdateWebhookEndpoint(ctx, disabled) })
	got, err = s.GetWebhookEndpoint(ctx, "we_1")
	noErr(t, "GetWebhookEndpoint", err)
	same(t, "disabled endpoint", got, disabled)
	all, err := s.ListWebhookEndpoints(ctx)
	noErr(t, "ListWebhookEndpoints", err)
	same(t, "endpoints newest first", ids(all, func(e store.WebhookEndpoint) string { return e.ID }), []string{"we_2", "we_1"})

	d1 := store.WebhookDelivery{ID: "msg_1", EndpointID: "we_1", EventID: "evt_1", EventType: "dispute.created", State: store.DeliveryPending,
		CreatedAt: at(3), UpdatedAt: at(3)}
	d2 := store.WebhookDelivery{ID: "msg_2", EndpointID: "we_1", EventID: "evt_2", EventType: "dispute.created", State: store.DeliveryPending,
		CreatedAt: at(4), UpdatedAt: at(4)}
	write(t, s, func(tx store.Tx) error {
		for _, d := range []store.WebhookDelivery{d1, d2, {ID: "msg_3", EndpointID: "we_2", EventID: "evt_1", EventType: "dispute.created",
			State: store.DeliveryPending, CreatedAt: at(3), UpdatedAt: at(3)}} {
			if err := tx.InsertWebhookDelivery(ctx, d); err != nil {
				return err
			}
		}
		return nil
	})
	done := d1
	done.State, done.Attempts, done.LastStatus, done.LastError, done.UpdatedAt, done.DeliveredAt = store.DeliveryDelivered, 2, 204, "", at(8), at(8)
	write(t, s, func(tx store.Tx) error { return tx.UpdateWebhookDelivery(ctx, done) })
	gotD, err := s.GetWebhookDelivery(ctx, "msg_1")
	noErr(t, "GetWebhookDelivery", err)
	same(t, "delivered", gotD, done)
	list, err := s.ListWebhookDeliveries(ctx, store.DeliveryFilter{EndpointID: "we_1", Page: store.Page{Limit: 10}})
	noErr(t, "ListWebhookDeliveries", err)
	same(t, "deliveries of we_1, newest first", ids(list, func(d store.WebhookDelivery) string { return d.ID }), []string{"msg_2", "msg_1"})
	list, err = s.ListWebhookDeliveries(ctx, store.DeliveryFilter{EndpointID: "we_1", State: store.DeliveryPending, Page: store.Page{Limit: 10}})
	noErr(t, "ListWebhookDeliveries", err)
	same(t, "pending deliveries", ids(list, func(d store.WebhookDelivery) string { return d.ID }), []string{"msg_2"})

	a1 := store.WebhookAttempt{ID: "wa_1", DeliveryID: "msg_1", Status: 500, Latency: 120 * time.Millisecond, Response: "oops",
		Error: "status 500", CreatedAt: at(5)}
	a2 := store.WebhookAttempt{ID: "wa_2", DeliveryID: "msg_1", Status: 204, Latency: 9 * time.Millisecond, CreatedAt: at(8)}
	write(t, s, func(tx store.Tx) error {
		if err := tx.InsertWebhookAttempt(ctx, a2); err != nil {
			return err
		}
		return tx.InsertWebhookAttempt(ctx, a1)
	})
	attempts, err := s.ListWebhookAttempts(ctx, "msg_1")
	noErr(t, "ListWebhookAttempts", err)
	same(t, "attempts oldest first", attempts, []store.WebhookAttempt{a1, a2})

	// we_2 disables after 5 failures in a row; a success in between starts the run again.
	count := func(ok bool) bool {
		t.Helper()
		var enabled bool
		write(t, s, func(tx store.Tx) error {
			var err error
			enabled, err = tx.CountWebhookOutcome(ctx, "we_2", ok, "5 failed attempts in a row", at(70))
			return err
		})
		return enabled
	}
	for i, ok := range []bool{false, false, false, false, true, false, false, false, false} {
		if !count(ok) {
			t.Fatalf("disabled after outcome %d", i)
		}
	}
	if count(false) {
		t.Fatal("still enabled after 5 failures in a row")
	}
	got, err = s.GetWebhookEndpoint(ctx, "we_2")
	noErr(t, "GetWebhookEndpoint", err)
	if got.Enabled || got.FailureStreak != 5 || got.DisabledReason != "5 failed attempts in a row" || got.Secret != "whsec_b" {
		t.Fatalf("after the run: %+v", got)
	}
	wantErr(t, "counting for a missing endpoint", s.Tx(ctx, func(tx store.Tx) error {
		_, err := tx.CountWebhookOutcome(ctx, "we_x", true, "", at(1))
		return err
	}), store.ErrNotFound)

	write(t, s, func(tx store.Tx) error { return tx.DeleteWebhookEndpoint(ctx, "we_2") })
	wantErr(t, "a deleted endpoint", func() error { _, err := s.GetWebhookEndpoint(ctx, "we_2"); return err }(), store.ErrNotFound)
	missing := done
	missing.ID = "msg_x"
	wantErr(t, "updating a missing delivery", s.Tx(ctx, func(tx store.Tx) error { return tx.UpdateWebhookDelivery(ctx, missing) }), store.ErrNotFound)
}
