package app_test

import (
	"slices"
	"testing"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/fault"
	"disputed/internal/order"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

// blockIDs are the ids on the block list, sorted.
func blockIDs(t *testing.T, e *testenv.Env) []string {
	t.Helper()
	bs, _, err := e.App.Blocks(e.Ctx, testenv.Admin, store.BlockFilter{})
	if err != nil {
		t.Fatalf("block list: %v", err)
	}
	var ids []string
	for _, b := range bs {
		ids = append(ids, b.ID)
	}
	slices.Sort(ids)
	return ids
}

// sorted is ids sorted.
func sorted(ids ...string) []string { slices.Sort(ids); return ids }

// TestBlocklist adds, lists, refuses duplicates of and deletes block-list entries.
func TestBlocklist(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		block := func(kind, value, reason string) (store.Block, error) {
			return e.App.AddBlock(e.Ctx, testenv.Admin, app.BlockParams{Kind: kind, Value: value, Reason: reason})
		}
		em := testenv.Must(block("email", "Fraud@Example.com", "chargeback ring"))(t)
		if em.Kind != "email" || em.Value != "fraud@example.com" || em.Reason != "chargeback ring" || em.CreatedBy == "" {
			t.Errorf("entry: %+v", em)
		}
		_, err := block("email", "fraud@example.com", "")
		testenv.WantFault(t, err, fault.Conflict, fault.CodeAlreadyBlocked)
		_, err = block("email", "FRAUD@example.com", "")
		testenv.WantFault(t, err, fault.Conflict, fault.CodeAlreadyBlocked)
		// The same value under another kind is another entry.
		c := testenv.Must(block("customer", "fraud@example.com", ""))(t)
		ip := testenv.Must(block("ip", "::ffff:198.51.100.7", ""))(t)
		if ip.Value != "198.51.100.7" {
			t.Errorf("ip entry value %q", ip.Value)
		}
		_, err = block("ip", "198.51.100.7", "")
		testenv.WantFault(t, err, fault.Conflict, fault.CodeAlreadyBlocked)
		_, err = block("ip", "300.1.1.1", "")
		testenv.WantFault(t, err, fault.Invalid, "")
		_, err = block("email", "not an email", "")
		testenv.WantFault(t, err, fault.Invalid, "")
		_, err = block("email", "", "")
		testenv.WantFault(t, err, fault.Invalid, fault.CodeParameterMissing)
		if got, want := blockIDs(t, e), sorted(em.ID, c.ID, ip.ID); !slices.Equal(got, want) {
			t.Errorf("list: %v, want %v", got, want)
		}
		if n := len(e.EventTypes(store.EventFilter{Type: "customer.blocked"})); n != 3 {
			t.Errorf("%d customer.blocked events, want 3", n)
		}

		if err := e.App.DeleteBlock(e.Ctx, actor.Key("key_agent", actor.Agent, ""), em.ID); err != nil {
			t.Fatalf("an agent deletes an entry: %v", err)
		}
		testenv.WantFault(t, e.App.DeleteBlock(e.Ctx, testenv.Admin, em.ID), fault.NotFound, fault.CodeNotFound)
		if got, want := blockIDs(t, e), sorted(c.ID, ip.ID); !slices.Equal(got, want) {
			t.Errorf("after delete: %v, want %v", got, want)
		}
		// Once deleted, the value can be blocked again.
		testenv.Must(block("email", "fraud@example.com", ""))(t)
	})
}

// TestBlockOnDispute turns the setting on: a new dispute blocks the customer's email and the
// charge's card fingerprint once, whatever the number of disputes.
func TestBlockOnDispute(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		if st := testenv.Must(e.App.Settings(e.Ctx, testenv.Admin))(t); st.BlockOnDispute {
			t.Fatalf("block on dispute is on by default: %+v", st)
		}
		// Off: a dispute blocks nothing.
		off := e.Sale(testenv.SaleParams{Amount: 1000, CardFingerprint: "fp_off"})
		testenv.Must(e.App.CreateDispute(e.Ctx, testenv.Admin, app.DisputeParams{Type: "chargeback", OrderID: off.Order.ID}))(t)
		if n := len(blockIDs(t, e)); n != 0 {
			t.Fatalf("%d entries with the setting off", n)
		}

		on := testenv.Must(e.App.SaveSettings(e.Ctx, testenv.Admin, app.SettingsParams{BlockOnDispute: ptr(true), MerchantName: ptr("IPTV Co")}))(t)
		if !on.BlockOnDispute || on.MerchantName != "IPTV Co" {
			t.Fatalf("settings: %+v", on)
		}
		if got := testenv.Must(e.App.Settings(e.Ctx, testenv.Admin))(t); !got.BlockOnDispute {
			t.Fatalf("settings read back: %+v", got)
		}

		s := e.Sale(testenv.SaleParams{Amount: 2000, CardFingerprint: "fp_4242"})
		d := testenv.Must(e.App.CreateDispute(e.Ctx, testenv.Admin, app.DisputeParams{Type: "chargeback", TransactionID: s.Charge.ID}))(t)
		bl, _, err := e.App.Blocks(e.Ctx, testenv.Admin, store.BlockFilter{})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, b := range bl {
			got[b.Kind] = b.Value
			if b.DisputeID != d.ID {
				t.Errorf("entry not linked to the dispute: %+v", b)
			}
		}
		if len(bl) != 2 || got["email"] != s.Customer.Email || got["card_fingerprint"] != "fp_4242" {
			t.Fatalf("block list after the dispute: %+v", bl)
		}
		if n := len(e.EventTypes(store.EventFilter{Type: "customer.blocked", DisputeID: d.ID})); n != 2 {
			t.Errorf("%d customer.blocked events, want 2", n)
		}
		if n := timelineCounts(testenv.Must(e.App.Timeline(e.Ctx, testenv.Admin, d.ID))(t))["customer_blocked"]; n != 2 {
			t.Errorf("%d customer_blocked timeline entries, want 2", n)
		}

		// A second dispute of the same customer and card (another order) adds nothing.
		o2 := testenv.Must(e.App.CreateOrder(e.Ctx, testenv.Admin, app.OrderParams{CustomerID: s.Customer.ID, Currency: "USD",
			Items: []app.ItemParams{{Description: "x", Amount: ptr(int64(300))}}}))(t)
		testenv.Must(e.App.CompleteOrder(e.Ctx, testenv.Admin, o2.Order.ID))(t)
		ch2 := testenv.Must(e.App.CreateTransaction(e.Ctx, testenv.Admin, app.TransactionParams{Kind: "charge", OrderID: o2.Order.ID,
			Money: app.Money{Amount: ptr(int64(300)), Currency: "usd"}, Purchase: order.PurchaseContext{CardFingerprint: "fp_4242"}}))(t)
		testenv.Must(e.App.CreateDispute(e.Ctx, testenv.Admin, app.DisputeParams{Type: "inquiry", TransactionID: ch2.Transaction.ID}))(t)
		if n := len(blockIDs(t, e)); n != 2 {
			t.Errorf("%d entries after a second dispute, want 2", n)
		}
		if n := len(e.EventTypes(store.EventFilter{Type: "customer.blocked"})); n != 2 {
			t.Errorf("%d customer.blocked events after a second dispute, want 2", n)
		}
	})
}
