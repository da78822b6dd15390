package storetest

import (
	"errors"
	"slices"
	"testing"
	"time"

	"disputed/internal/order"
	"disputed/internal/rules"
	"disputed/internal/store"
)

// testReadsSeeOwnWrites: a transaction that reads a row, writes it and reads it again sees its
// write (the store may keep what a transaction read, and must forget it when the transaction
// writes), what a caller changes in a row it read is not what the next read gets, and a write
// rolled back with its savepoint is not seen.
func testReadsSeeOwnWrites(t *testing.T, s store.Store) {
	ctx := t.Context()
	write(t, s, func(tx store.Tx) error {
		// Customers: a miss is kept until the row is written.
		if _, err := tx.GetCustomer(ctx, "cus_memo"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("a customer not yet written: %v", err)
		}
		noErr(t, "insert customer", tx.InsertCustomer(ctx, fullCustomer("cus_memo", at(0))))
		c, err := tx.GetCustomer(ctx, "cus_memo")
		noErr(t, "customer written", err)
		c.Metadata["tier"] = "changed by the caller"
		c, err = tx.GetCustomer(ctx, "cus_memo")
		noErr(t, "customer read again", err)
		same(t, "the customer's metadata", c.Metadata, map[string]string{"tier": "gold"})

		// Orders.
		o := simpleOrder("ord_memo", "cus_memo", "", order.Pending, at(0))
		noErr(t, "insert order", tx.InsertOrder(ctx, o))
		got, err := tx.GetOrder(ctx, o.ID)
		noErr(t, "order", err)
		got.Items[0].Description, got.Metadata["k"] = "changed by the caller", "v"
		o.Status = order.Completed
		noErr(t, "update order", tx.UpdateOrder(ctx, o))
		got, err = tx.GetOrder(ctx, o.ID)
		noErr(t, "order read again", err)
		same(t, "the order after its update", []any{got.Status, got.Revision, got.Items[0].Description, len(got.Metadata)},
			[]any{order.Completed, int64(2), "thing", 0})

		// Lines.
		lines, err := tx.LinesOfOrder(ctx, o.ID)
		noErr(t, "lines", err)
		same(t, "lines before any", len(lines), 0)
		l := fullLine("lin_memo", o.ID, at(0))
		noErr(t, "insert line", tx.InsertLine(ctx, l))
		lines, err = tx.LinesOfOrder(ctx, o.ID)
		noErr(t, "lines read again", err)
		same(t, "lines after one is written", len(lines), 1)
		l = lines[0]
		l.State, l.PendingAction = order.LineActive, order.NoAction
		noErr(t, "update line", tx.UpdateLine(ctx, l))
		lines, err = tx.LinesOfOrder(ctx, o.ID)
		noErr(t, "lines after the update", err)
		same(t, "the line's state after its update", lines[0].State, order.LineActive)

		// Transactions, and their children.
		ch := charge("txn_memo", o.ID, 1000, at(0))
		noErr(t, "insert charge", tx.InsertTransaction(ctx, ch))
		if _, err := tx.GetTransaction(ctx, ch.ID); err != nil {
			return err
		}
		kids, err := tx.ChildTransactions(ctx, ch.ID)
		noErr(t, "children", err)
		same(t, "children before any", len(kids), 0)
		refund := order.Transaction{ID: "txn_memo_refund", Kind: order.Refund, Amount: 300, Currency: "USD", OrderID: o.ID,
			ParentID: ch.ID, CreatedAt: at(1)}
		noErr(t, "insert refund", tx.InsertTransaction(ctx, refund))
		noErr(t, "adjust charge", tx.AdjustTransaction(ctx, ch.ID, store.Adjustment{Refunded: 300, At: at(1)}))
		kids, err = tx.ChildTransactions(ctx, ch.ID)
		noErr(t, "children read again", err)
		same(t, "children after a refund", len(kids), 1)
		got2, err := tx.GetTransaction(ctx, ch.ID)
		noErr(t, "charge read again", err)
		same(t, "the charge's refunds after the adjustment", got2.AmountRefunded, int64(300))

		// A child adjusted: the list of its parent's children shows the adjustment.
		auth := order.Transaction{ID: "txn_memo_auth", Kind: order.Authorization, Amount: 500, Currency: "USD", CreatedAt: at(2)}
		capture := order.Transaction{ID: "txn_memo_capture", Kind: order.Capture, Amount: 500, Currency: "USD", ParentID: auth.ID, CreatedAt: at(3)}
		noErr(t, "insert authorization", tx.InsertTransaction(ctx, auth))
		noErr(t, "insert capture", tx.InsertTransaction(ctx, capture))
		if kids, err = tx.ChildTransactions(ctx, auth.ID); err != nil || len(kids) != 1 {
			t.Fatalf("the authorization's children: %v, %v", kids, err)
		}
		noErr(t, "adjust capture", tx.AdjustTransaction(ctx, capture.ID, store.Adjustment{Refunded: 100, At: at(4)}))
		kids, err = tx.ChildTransactions(ctx, auth.ID)
		noErr(t, "the authorization's children read again", err)
		same(t, "the capture's refunds, as its parent's child", kids[0].AmountRefunded, int64(100))

		// A line moved to another order leaves the first one's list.
		other := simpleOrder("ord_memo2", "cus_memo", "", order.Pending, at(0))
		noErr(t, "insert second order", tx.InsertOrder(ctx, other))
		l.OrderID, l.Revision = other.ID, lines[0].Revision
		noErr(t, "move line", tx.UpdateLine(ctx, l))
		lines, err = tx.LinesOfOrder(ctx, o.ID)
		noErr(t, "lines of the first order", err)
		same(t, "lines of the order the line left", len(lines), 0)

		// A savepoint rolled back takes its write back from what is read after it.
		err = tx.Savepoint(ctx, func() error {
			if err := tx.AdjustTransaction(ctx, ch.ID, store.Adjustment{Refunded: 200, At: at(2)}); err != nil {
				return err
			}
			if got, err := tx.GetTransaction(ctx, ch.ID); err != nil || got.AmountRefunded != 500 {
				t.Fatalf("inside the savepoint: %d, %v", got.AmountRefunded, err)
			}
			return errors.New("undo")
		})
		if err == nil {
			t.Fatal("the savepoint did not fail")
		}
		got2, err = tx.GetTransaction(ctx, ch.ID)
		noErr(t, "charge after the savepoint", err)
		same(t, "the charge's refunds after the savepoint rolled back", got2.AmountRefunded, int64(300))

		// Providers, and one not configured yet.
		p := store.Provider{Name: "memo", Type: "stripe", WebhookSecret: "whsec_1", CreatedAt: at(0), UpdatedAt: at(0)}
		for range 2 {
			if _, err := tx.GetProvider(ctx, p.Name); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("a provider not configured: %v", err)
			}
		}
		noErr(t, "insert provider", tx.InsertProvider(ctx, p))
		if _, err := tx.GetProvider(ctx, p.Name); err != nil {
			return err
		}
		p.WebhookSecret = "whsec_2"
		noErr(t, "save provider", tx.SaveProvider(ctx, p))
		gotP, err := tx.GetProvider(ctx, p.Name)
		noErr(t, "provider read again", err)
		same(t, "the provider's secret after it was saved", gotP.WebhookSecret, "whsec_2")
		noErr(t, "delete provider", tx.DeleteProvider(ctx, p.Name))
		if _, err := tx.GetProvider(ctx, p.Name); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("a deleted provider: %v", err)
		}

		// Rules: the list read again after each write.
		names := func(what string) (out []string) {
			rs, err := tx.ListRules(ctx)
			noErr(t, what, err)
			for _, r := range rs {
				out = append(out, r.Name)
			}
			return out
		}
		before := names("rules")
		rule := rules.Rule{ID: "rul_memo", Name: "memo", When: "true", Action: rules.Tag, Params: rules.Params{Tag: "t"}, CreatedAt: at(0), UpdatedAt: at(0)}
		noErr(t, "insert rule", tx.InsertRule(ctx, rule))
		same(t, "rules after one is inserted", names("rules read again"), append(slices.Clone(before), "memo"))
		rule.Name = "memo renamed"
		noErr(t, "update rule", tx.UpdateRule(ctx, rule))
		same(t, "rules after one is updated", names("rules after the update"), append(slices.Clone(before), "memo renamed"))
		noErr(t, "delete rule", tx.DeleteRule(ctx, rule.ID))
		same(t, "rules after one is deleted", names("rules after the delete"), before)

		// The rows a transaction holds until its commit (timeline entries, events, emails) are
		// read, and an email updated, in the transaction that wrote them.
		noErr(t, "insert timeline entry", tx.InsertTimeline(ctx, store.TimelineEntry{ID: "tml_memo", OrderID: o.ID, Action: "held", CreatedAt: at(5)}))
		entries, err := tx.ListTimeline(ctx, store.TimelineFilter{OrderID: o.ID})
		noErr(t, "timeline", err)
		same(t, "the timeline entry held", len(entries), 1)
		noErr(t, "insert event", tx.InsertEvent(ctx, store.Event{ID: "evt_memo", Type: "held", OrderID: o.ID, CreatedAt: at(5)}))
		if _, err := tx.GetEvent(ctx, "evt_memo"); err != nil {
			t.Fatalf("the event held: %v", err)
		}
		noErr(t, "insert event", tx.InsertEvent(ctx, store.Event{ID: "evt_memo2", Type: "held", OrderID: o.ID, CreatedAt: at(6)}))
		evs, err := tx.ListEvents(ctx, store.EventFilter{OrderID: o.ID})
		noErr(t, "events", err)
		same(t, "the events held", len(evs), 2)
		email := store.Email{ID: "eml_memo", Template: "order_voided", OrderID: o.ID, State: "queued", CreatedAt: at(5), UpdatedAt: at(5)}
		noErr(t, "insert email", tx.InsertEmail(ctx, email))
		email.State, email.UpdatedAt = "sent", at(6)
		noErr(t, "update the email held", tx.UpdateEmail(ctx, email))
		if got, err := tx.GetEmail(ctx, email.ID); err != nil || got.State != "sent" {
			t.Fatalf("the email held, updated: %+v, %v", got, err)
		}
		for _, id := range []string{"eml_memo2", "eml_memo3"} {
			noErr(t, "insert an email", tx.InsertEmail(ctx, store.Email{ID: id, Template: "order_voided", OrderID: o.ID, CreatedAt: at(6), UpdatedAt: at(6)}))
			if id == "eml_memo2" {
				if _, err := tx.GetEmail(ctx, id); err != nil {
					t.Fatalf("an email held: %v", err)
				}
			}
		}
		emails, err := tx.ListEmails(ctx, store.EmailFilter{OrderID: o.ID})
		noErr(t, "emails", err)
		same(t, "the emails held", len(emails), 3)
		return nil
	})
}

// testReadRowsAhead: rows read ahead in a transaction read as they would have one by one
// (empty lists included, unknown keys not found), and the transaction's writes after the read
// ahead are seen.
func testReadRowsAhead(t *testing.T, s store.Store) {
	ctx := t.Context()
	o := simpleOrder("ord_ahead", "cus_ahead", "", order.Completed, at(0))
	bare := simpleOrder("ord_bare", "cus_ahead", "", order.Completed, at(1))
	ch := charge("txn_ahead", o.ID, 1000, at(0))
	byReference := charge("txn_ahead_ref", o.ID, 700, at(0))
	byReference.Provider, byReference.ProviderReference = "stripe", "ch_ahead_ref"
	refund := order.Transaction{ID: "txn_ahead_refund", Kind: order.Refund, Amount: 300, Currency: "USD", OrderID: o.ID,
		ParentID: ch.ID, CreatedAt: at(1)}
	// Three customers of one email and external id: two created at once (the id orders them),
	// one before; and one with only an external id.
	twin := func(id string, created time.Time) store.Customer {
		c := fullCustomer(id, created)
		c.Email, c.ExternalID = "twin@example.com", "cus_stripe_twin"
		return c
	}
	lone := fullCustomer("cus_ahead_c", at(0))
	lone.Email = ""
	customerKeys := []store.CustomerKey{{Email: "twin@example.com"}, {ExternalID: "cus_stripe_twin"}, {Email: "nobody@example.com"},
		{ExternalID: "cus_stripe_nobody"}, {ExternalID: lone.ExternalID}}
	write(t, s, func(tx store.Tx) error {
		return errors.Join(tx.InsertCustomer(ctx, twin("cus_ahead_b", at(1))), tx.InsertCustomer(ctx, twin("cus_ahead_a", at(1))),
			tx.InsertCustomer(ctx, twin("cus_ahead_z", at(0))), tx.InsertCustomer(ctx, lone),
			tx.InsertCustomer(ctx, fullCustomer("cus_ahead", at(0))), tx.InsertOrder(ctx, o), tx.InsertOrder(ctx, bare),
			tx.InsertLine(ctx, fullLine("lin_ahead2", o.ID, at(0))), tx.InsertLine(ctx, fullLine("lin_ahead1", o.ID, at(0))),
			tx.InsertTransaction(ctx, ch), tx.InsertTransaction(ctx, refund), tx.InsertTransaction(ctx, byReference))
	})
	type read struct {
		Order    order.Order
		Lines    []order.Line
		Bare     []order.Line
		Charge   order.Transaction
		Children []order.Transaction
		None     []order.Transaction
		Customer store.Customer
		// Newest are the newest customers by email and by external id, and by keys no one has.
		Newest []string
	}
	readAll := func(r store.Reader) (v read) {
		var err error
		v.Order, err = r.GetOrder(ctx, o.ID)
		noErr(t, "order", err)
		v.Lines, err = r.LinesOfOrder(ctx, o.ID)
		noErr(t, "lines", err)
		v.Bare, err = r.LinesOfOrder(ctx, bare.ID)
		noErr(t, "lines of an order with none", err)
		v.Charge, err = r.GetTransaction(ctx, ch.ID)
		noErr(t, "charge", err)
		v.Children, err = r.ChildTransactions(ctx, ch.ID)
		noErr(t, "children", err)
		v.None, err = r.ChildTransactions(ctx, refund.ID)
		noErr(t, "children of a refund", err)
		v.Customer, err = r.GetCustomer(ctx, "cus_ahead")
		noErr(t, "customer", err)
		for _, k := range customerKeys {
			id, err := r.NewestCustomerID(ctx, k)
			noErr(t, "newest customer", err)
			v.Newest = append(v.Newest, id)
		}
		return v
	}
	want := readAll(s)
	wantByReference, err := s.GetTransaction(ctx, byReference.ID)
	noErr(t, "the charge with a reference", err)
	same(t, "the newest customers by email, external id, and neither", want.Newest, []string{"cus_ahead_b", "cus_ahead_b", "", "", "cus_ahead_c"})
	write(t, s, func(tx store.Tx) error {
		noErr(t, "read ahead", tx.ReadRowsAhead(ctx, store.RowKeys{
			Orders: []string{o.ID, "ord_nobody", "", o.ID}, LinesOfOrders: []string{o.ID, bare.ID, ""},
			Transactions: []string{ch.ID, "txn_nobody"}, ChildrenOf: []string{ch.ID, refund.ID, ""},
			Customers: []string{"cus_ahead", "cus_nobody"}, CustomerKeys: customerKeys,
		}))
		same(t, "rows read ahead", readAll(tx), want)
		if _, err := tx.GetOrder(ctx, "ord_nobody"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("an order read ahead that does not exist: %v", err)
		}
		// What was read ahead as missing, or as the newest, is forgotten when written.
		noErr(t, "insert the order read ahead as missing", tx.InsertOrder(ctx, simpleOrder("ord_nobody", "cus_ahead", "", order.Pending, at(2))))
		if _, err := tx.GetOrder(ctx, "ord_nobody"); err != nil {
			t.Fatalf("an order written after it was read ahead as missing: %v", err)
		}
		newer := twin("cus_ahead_new", at(2))
		newer.Email = "nobody@example.com"
		noErr(t, "insert a newer customer", tx.InsertCustomer(ctx, newer))
		for _, k := range []store.CustomerKey{{Email: "nobody@example.com"}, {ExternalID: "cus_stripe_twin"}} {
			if id, err := tx.NewestCustomerID(ctx, k); err != nil || id != newer.ID {
				t.Fatalf("the newest customer by %+v after a newer one was written: %q, %v", k, id, err)
			}
		}
		noErr(t, "adjust charge", tx.AdjustTransaction(ctx, ch.ID, store.Adjustment{Refunded: 300, At: at(2)}))
		got, err := tx.GetTransaction(ctx, ch.ID)
		noErr(t, "charge after the adjustment", err)
		same(t, "the charge read ahead, after its adjustment", got.AmountRefunded, int64(300))
		return nil
	})
	// The transactions read ahead by reference answer reads by id, and forget a write.
	write(t, s, func(tx store.Tx) error {
		noErr(t, "read ahead", tx.ReadRowsAhead(ctx, store.RowKeys{References: []string{byReference.ProviderReference}}))
		got, err := tx.GetTransaction(ctx, byReference.ID)
		noErr(t, "charge read by id", err)
		same(t, "the charge read ahead by reference, read by id", got, wantByReference)
		noErr(t, "adjust charge", tx.AdjustTransaction(ctx, byReference.ID, store.Adjustment{Refunded: 100, At: at(2)}))
		got, err = tx.GetTransaction(ctx, byReference.ID)
		noErr(t, "charge after the adjustment", err)
		same(t, "the charge read ahead by reference, after its adjustment", got.AmountRefunded, int64(100))
		return nil
	})
	// A line updated after its order's lines were read: the lines read again in the
	// transaction are those a read after it commits gives.
	var inTx []order.Line
	write(t, s, func(tx store.Tx) error {
		noErr(t, "read ahead", tx.ReadRowsAhead(ctx, store.RowKeys{LinesOfOrders: []string{o.ID}}))
		lines, err := tx.LinesOfOrder(ctx, o.ID)
		noErr(t, "lines", err)
		l := lines[1]
		l.State, l.PendingAction, l.PendingReason, l.UpdatedAt = order.LineSuspended, order.NoAction, "disputed", at(3).Add(1234567)
		noErr(t, "update line", tx.UpdateLine(ctx, l))
		inTx, err = tx.LinesOfOrder(ctx, o.ID)
		return err
	})
	after, err := s.LinesOfOrder(ctx, o.ID)
	noErr(t, "lines after the commit", err)
	same(t, "the lines read in the transaction after one was updated", inTx, after)
	same(t, "the line updated", after[1].State, order.LineSuspended)
}
