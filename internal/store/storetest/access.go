package storetest

import (
	"errors"
	"testing"
	"time"

	"disputed/internal/dispute"
	"disputed/internal/fees"
	"disputed/internal/store"
)

func testBlocklist(t *testing.T, s store.Store) {
	ctx := t.Context()
	b := store.Block{ID: "blk_1", Kind: "email", Value: "a@example.com", CreatedAt: at(0)}
	write(t, s, func(tx store.Tx) error { return tx.InsertBlock(ctx, b) })

	dup := store.Block{ID: "blk_2", Kind: "email", Value: "a@example.com", CreatedAt: at(1)}
	wantErr(t, "blocking a blocked value", s.Tx(ctx, func(tx store.Tx) error { return tx.InsertBlock(ctx, dup) }), store.ErrConflict)
	// The same value of another kind is another entry.
	write(t, s, func(tx store.Tx) error {
		return tx.InsertBlock(ctx, store.Block{ID: "blk_3", Kind: "customer", Value: "a@example.com", CreatedAt: at(2)})
	})

	got, err := s.FindBlock(ctx, "email", "a@example.com")
	noErr(t, "FindBlock", err)
	same(t, "found block", got.ID, "blk_1")
	write(t, s, func(tx store.Tx) error { return tx.DeleteBlock(ctx, "blk_1") })
	wantErr(t, "finding a deleted block", func() error { _, err := s.FindBlock(ctx, "email", "a@example.com"); return err }(), store.ErrNotFound)
	wantErr(t, "deleting it again", s.Tx(ctx, func(tx store.Tx) error { return tx.DeleteBlock(ctx, "blk_1") }), store.ErrNotFound)
	// Once deleted, the value may be blocked again.
	write(t, s, func(tx store.Tx) error { return tx.InsertBlock(ctx, dup) })
}

func testAPIKeys(t *testing.T, s store.Store) {
	ctx := t.Context()
	k := store.APIKey{ID: "key_1", Role: "admin", Hash: "aa", Prefix: "sk_a", CreatedAt: at(0)}
	write(t, s, func(tx store.Tx) error { return tx.InsertAPIKey(ctx, k) })
	sameHash := store.APIKey{ID: "key_2", Role: "agent", Hash: "aa", CreatedAt: at(1)}
	wantErr(t, "a key with a taken hash", s.Tx(ctx, func(tx store.Tx) error { return tx.InsertAPIKey(ctx, sameHash) }), store.ErrConflict)
	write(t, s, func(tx store.Tx) error {
		return tx.InsertAPIKey(ctx, store.APIKey{ID: "key_3", Role: "buyer", PartyID: "cus_1", Hash: "bb", CreatedAt: at(2)})
	})
	got, err := s.GetAPIKeyByHash(ctx, "bb")
	noErr(t, "GetAPIKeyByHash", err)
	same(t, "key by hash", got.ID, "key_3")
	got, err = s.GetAPIKeyByHash(ctx, "aa")
	noErr(t, "GetAPIKeyByHash", err)
	same(t, "key by hash", got, k)

	// A revoked key stays, with when and by whom: found by id and by hash (so that a caller can
	// refuse it) and listed.
	write(t, s, func(tx store.Tx) error { return tx.RevokeAPIKey(ctx, "key_3", at(5), "admin:key_1") })
	revoked, err := s.GetAPIKey(ctx, "key_3")
	noErr(t, "GetAPIKey", err)
	same(t, "revoked key", revoked, store.APIKey{ID: "key_3", Role: "buyer", PartyID: "cus_1", Hash: "bb", CreatedAt: at(2),
		RevokedAt: at(5), RevokedBy: "admin:key_1"})
	if !revoked.Revoked() {
		t.Error("a revoked key does not report itself revoked")
	}
	got, err = s.GetAPIKeyByHash(ctx, "bb")
	noErr(t, "GetAPIKeyByHash", err)
	same(t, "revoked key by hash", got, revoked)
	wantErr(t, "revoking it again", s.Tx(ctx, func(tx store.Tx) error { return tx.RevokeAPIKey(ctx, "key_3", at(6), "admin:key_9") }),
		store.ErrConflict)
	wantErr(t, "revoking a key that does not exist", s.Tx(ctx, func(tx store.Tx) error { return tx.RevokeAPIKey(ctx, "key_x", at(6), "system") }),
		store.ErrNotFound)
	keys, err := s.ListAPIKeys(ctx, store.Page{})
	noErr(t, "ListAPIKeys", err)
	same(t, "listed keys", keys, []store.APIKey{revoked, k}) // the first revocation stands
	if k.Revoked() {
		t.Error("a key never revoked reports itself revoked")
	}
}

func testIdempotency(t *testing.T, s store.Store) {
	ctx := t.Context()
	claim := store.Idempotency{KeyID: "key_1", Key: "k1", RequestHash: "h1", CreatedAt: at(0), Claim: "run-1"}
	write(t, s, func(tx store.Tx) error { return tx.InsertIdempotency(ctx, claim) })
	got, err := s.GetIdempotency(ctx, "key_1", "k1")
	noErr(t, "GetIdempotency", err)
	same(t, "running claim", got, claim) // status 0, nil body, not committed

	again := claim
	again.RequestHash, again.Claim = "h2", "run-2"
	wantErr(t, "claiming a claimed key", s.Tx(ctx, func(tx store.Tx) error { return tx.InsertIdempotency(ctx, again) }), store.ErrConflict)
	// The same key under another API key is another claim.
	write(t, s, func(tx store.Tx) error {
		return tx.InsertIdempotency(ctx, store.Idempotency{KeyID: "key_2", Key: "k1", RequestHash: "h3", CreatedAt: at(5), Claim: "run-3"})
	})

	// Only the claim that holds the key finishes it.
	done := claim
	done.Status, done.Body = 201, []byte(`{"id":"dsp_1"}`)
	other := done
	other.Claim = "run-2"
	wantErr(t, "completing with another claim", s.Tx(ctx, func(tx store.Tx) error { return tx.CompleteIdempotency(ctx, other) }), store.ErrNotFound)
	wantErr(t, "releasing with another claim", s.Tx(ctx, func(tx store.Tx) error { return tx.DeleteIdempotency(ctx, other) }), store.ErrNotFound)
	write(t, s, func(tx store.Tx) error { return tx.CompleteIdempotency(ctx, done) })
	got, err = s.GetIdempotency(ctx, "key_1", "k1")
	noErr(t, "GetIdempotency", err)
	same(t, "completed claim", got, done)
	wantErr(t, "completing an unclaimed key", s.Tx(ctx, func(tx store.Tx) error {
		return tx.CompleteIdempotency(ctx, store.Idempotency{KeyID: "key_1", Key: "nope", Status: 200})
	}), store.ErrNotFound)
	wantErr(t, "taking over a finished claim", s.Tx(ctx, func(tx store.Tx) error {
		return tx.TakeOverIdempotency(ctx, store.Idempotency{KeyID: "key_1", Key: "k1", Claim: "run-4", CreatedAt: at(100)}, at(50))
	}), store.ErrNotFound)

	write(t, s, func(tx store.Tx) error { return tx.DeleteIdempotency(ctx, done) })
	wantErr(t, "a deleted claim", func() error { _, err := s.GetIdempotency(ctx, "key_1", "k1"); return err }(), store.ErrNotFound)
	wantErr(t, "deleting it again", s.Tx(ctx, func(tx store.Tx) error { return tx.DeleteIdempotency(ctx, done) }), store.ErrNotFound)

	testIdempotencyClaims(t, s)

	// Purge deletes what was created strictly before the time.
	write(t, s, func(tx store.Tx) error {
		for i, ms := range []int64{1, 2, 3} {
			r := store.Idempotency{KeyID: "key_1", Key: seq("p", 3)[i], RequestHash: "h", CreatedAt: at(ms), Claim: "run"}
			if err := tx.InsertIdempotency(ctx, r); err != nil {
				return err
			}
		}
		return nil
	})
	var purged int64
	write(t, s, func(tx store.Tx) error {
		var err error
		purged, err = tx.PurgeIdempotency(ctx, at(3))
		return err
	})
	if purged != 2 {
		t.Errorf("purged %d keys, want 2", purged)
	}
	for key, want := range map[string]error{"p_00": store.ErrNotFound, "p_01": store.ErrNotFound, "p_02": nil} {
		_, err := s.GetIdempotency(ctx, "key_1", key)
		wantErr(t, "after the purge, "+key, err, want)
	}
	_, err = s.GetIdempotency(ctx, "key_2", "k1")
	noErr(t, "a claim newer than the purge", err)
}

// testIdempotencyClaims checks what a crash relies on: a request's transactions mark its claim
// committed as they commit; an abandoned claim that committed nothing is taken over, and then the
// run that lost it can commit nothing.
func testIdempotencyClaims(t *testing.T, s store.Store) {
	ctx := t.Context()
	ins := func(key, claim string, ms int64) store.Idempotency {
		r := store.Idempotency{KeyID: "key_c", Key: key, RequestHash: "h", CreatedAt: at(ms), Claim: claim}
		write(t, s, func(tx store.Tx) error { return tx.InsertIdempotency(ctx, r) })
		return r
	}
	settings := func() store.Settings {
		got, err := s.GetSettings(ctx)
		noErr(t, "GetSettings", err)
		return got
	}
	save := func(c *store.ClaimedRequest, name string) error {
		cctx := store.WithClaim(ctx, c)
		return s.Tx(cctx, func(tx store.Tx) error {
			st := settings()
			st.MerchantName = name
			return tx.SaveSettings(cctx, st)
		})
	}

	// A transaction of the request marks its claim committed, as it commits.
	ins("c1", "run-a", 10)
	c := &store.ClaimedRequest{KeyID: "key_c", Key: "c1", Claim: "run-a"}
	noErr(t, "a change of the claimed request", save(c, "Committed Ltd"))
	got, err := s.GetIdempotency(ctx, "key_c", "c1")
	noErr(t, "GetIdempotency", err)
	if got.CommittedAt.IsZero() || !c.Committed() {
		t.Errorf("after its change committed, the claim reads committed %v (request: %v)", got.CommittedAt, c.Committed())
	}
	wantErr(t, "taking over a claim whose change committed", s.Tx(ctx, func(tx store.Tx) error {
		return tx.TakeOverIdempotency(ctx, store.Idempotency{KeyID: "key_c", Key: "c1", Claim: "run-b", CreatedAt: at(100)}, at(50))
	}), store.ErrNotFound)

	// A rolled-back transaction marks nothing.
	ins("c2", "run-c", 10)
	rolledBack := &store.ClaimedRequest{KeyID: "key_c", Key: "c2", Claim: "run-c"}
	failed := errors.New("the change was refused")
	wantErr(t, "a refused change", s.Tx(store.WithClaim(ctx, rolledBack), func(store.Tx) error { return failed }), failed)
	if got, _ := s.GetIdempotency(ctx, "key_c", "c2"); !got.CommittedAt.IsZero() || rolledBack.Committed() {
		t.Errorf("a rolled-back change marked the claim committed")
	}

	// Not abandoned yet (claimed at 10, abandoned only if claimed before 10): kept.
	wantErr(t, "taking over a claim not abandoned", s.Tx(ctx, func(tx store.Tx) error {
		return tx.TakeOverIdempotency(ctx, store.Idempotency{KeyID: "key_c", Key: "c2", Claim: "run-d", CreatedAt: at(20)}, at(10))
	}), store.ErrNotFound)
	// Abandoned: taken over; the claim is the new run's, claimed again at its time.
	write(t, s, func(tx store.Tx) error {
		return tx.TakeOverIdempotency(ctx, store.Idempotency{KeyID: "key_c", Key: "c2", Claim: "run-d", CreatedAt: at(20)}, at(11))
	})
	got, err = s.GetIdempotency(ctx, "key_c", "c2")
	noErr(t, "GetIdempotency", err)
	same(t, "the taken-over claim", got, store.Idempotency{KeyID: "key_c", Key: "c2", RequestHash: "h", CreatedAt: at(20), Claim: "run-d"})

	// The run that lost the key can commit nothing: its change rolls back.
	before := settings()
	wantErr(t, "a change of the run that lost its claim", save(rolledBack, "Lost Ltd"), store.ErrConflict)
	same(t, "the settings after the lost run", settings(), before)
}

// testSettings checks the defaults, that every save replaces the fields but CreatedAt, which the
// store keeps from the first save, and the three kinds of ReminderOffsets: nil (the default), empty
// (no reminders), and values.
func testSettings(t *testing.T, s store.Store) {
	ctx := t.Context()
	got, err := s.GetSettings(ctx)
	noErr(t, "GetSettings", err)
	same(t, "default settings", got, store.Settings{})
	if got.ReminderOffsets != nil {
		t.Errorf("default ReminderOffsets are %#v, want nil", got.ReminderOffsets)
	}
	save := func(what string, in, want store.Settings) {
		t.Helper()
		write(t, s, func(tx store.Tx) error { return tx.SaveSettings(ctx, in) })
		got, err := s.GetSettings(ctx)
		noErr(t, "GetSettings", err)
		same(t, what, got, want)
		if (got.ReminderOffsets == nil) != (want.ReminderOffsets == nil) {
			t.Errorf("%s: ReminderOffsets %#v, want %#v (nil and empty differ)", what, got.ReminderOffsets, want.ReminderOffsets)
		}
	}

	first := store.Settings{BlockOnDispute: true, MerchantName: "Shop", CreatedAt: at(1), UpdatedAt: at(1)}
	save("saved settings", first, first)

	none := store.Settings{MerchantName: "", ReminderOffsets: []time.Duration{}, CreatedAt: at(1), UpdatedAt: at(2)}
	save("no reminders, back to false and empty", none, none)

	some := store.Settings{ReminderOffsets: []time.Duration{72 * time.Hour, time.Second}, EmailsOff: []string{"order_voided"},
		EvidenceLimits: &dispute.EvidenceLimits{PartyItems: 1, PartyBytes: 2, TotalItems: 3, TotalBytes: 4}, CreatedAt: at(1), UpdatedAt: at(3)}
	save("reminders", some, some)

	profile := store.Settings{Profile: store.Profile{ProductType: "physical_goods", Website: "https://shop.example",
		SupportEmail: "help@shop.example", SupportPhone: "+44 20 7946 0000", TermsURL: "https://shop.example/terms",
		RefundPolicy: "Refunds within 30 days.\nUnused items only.", RefundPolicyDisclosure: "A checkbox at checkout",
		CancellationPolicy: "Cancel any time; the month paid runs out.", CancellationPolicyDisclosure: "Shown on the plan page",
		CompileManually: true}, CreatedAt: at(1), UpdatedAt: at(3)}
	save("the merchant's profile", profile, profile)

	reporting := store.Settings{ReportingCurrency: "EUR", CreatedAt: at(1), UpdatedAt: at(3)}
	save("the reporting currency", reporting, reporting)
	table := store.Settings{FeeTable: &fees.Table{Version: "settings", Date: "2026-12-01", Rows: []fees.Row{
		{Provider: "stripe", Network: "visa", Currency: "EUR", EffectiveFrom: "2025-06-17", DisputeFee: 2000,
			CounterFee: 2000, CounterFeeRefundedOnWin: true, ArbitrationFee: 50000, Source: "our invoice"},
		{Provider: "generic", Currency: "USD", EffectiveFrom: "2020-01-01"},
	}}, HandlingCost: &fees.Cost{Amount: 2500, Currency: "USD"}, CreatedAt: at(1), UpdatedAt: at(3)}
	save("the merchant's fee table and handling cost", table, table)
	empty := store.Settings{FeeTable: &fees.Table{Version: "settings", Date: "2026-12-02", Rows: []fees.Row{}}, CreatedAt: at(1), UpdatedAt: at(3)}
	save("an empty fee table, which is not the defaults", empty, empty)

	// A later save with another (or no) CreatedAt keeps the first one.
	moved := store.Settings{MerchantName: "Later", CreatedAt: at(50), UpdatedAt: at(4)}
	want := moved
	want.CreatedAt = at(1)
	save("CreatedAt kept", moved, want)
	zero := store.Settings{UpdatedAt: at(5)}
	want = zero
	want.CreatedAt = at(1)
	save("CreatedAt kept when not given", zero, want)

	err = s.Tx(ctx, func(tx store.Tx) error {
		return tx.SaveSettings(ctx, store.Settings{ReminderOffsets: []time.Duration{1500 * time.Millisecond}, UpdatedAt: at(6)})
	})
	if err == nil {
		t.Error("saving an offset of 1.5s worked; want it refused, the store keeps whole seconds")
	}
}

// testSettingsFirstSaveWithoutCreatedAt checks that a first save without CreatedAt records its
// UpdatedAt as the creation time.
func testSettingsFirstSaveWithoutCreatedAt(t *testing.T, s store.Store) {
	ctx := t.Context()
	write(t, s, func(tx store.Tx) error {
		return tx.SaveSettings(ctx, store.Settings{MerchantName: "x", UpdatedAt: at(7)})
	})
	got, err := s.GetSettings(ctx)
	noErr(t, "GetSettings", err)
	same(t, "settings", got, store.Settings{MerchantName: "x", CreatedAt: at(7), UpdatedAt: at(7)})
}
