package storetest

import (
	"testing"
	"time"

	"disputed/internal/order"
	"disputed/internal/store"
)

func testPanels(t *testing.T, s store.Store) {
	ctx := t.Context()
	h := store.Panel{Name: "xui", Type: "http", BaseURL: "https://panel.example/api", Secret: "0123456789abcdef",
		Timeout: 2500 * time.Millisecond, Capabilities: []string{"toggle", "terminate"}, CreatedAt: at(1), UpdatedAt: at(1)}
	m := store.Panel{Name: "byhand", Type: "manual", CreatedAt: at(2), UpdatedAt: at(2)}
	write(t, s, func(tx store.Tx) error {
		if err := tx.InsertPanel(ctx, h); err != nil {
			return err
		}
		return tx.InsertPanel(ctx, m)
	})
	wantErr(t, "a taken panel name", s.Tx(ctx, func(tx store.Tx) error { return tx.InsertPanel(ctx, m) }), store.ErrConflict)
	got, err := s.GetPanel(ctx, "xui")
	noErr(t, "GetPanel", err)
	same(t, "http panel", got, h)
	all, err := s.ListPanels(ctx)
	noErr(t, "ListPanels", err)
	same(t, "panels by name", all, []store.Panel{m, h})

	// In use while a line that is not terminated names it.
	o := simpleOrder("ord_1", "cus_1", "", order.Completed, at(0))
	l := order.Line{ID: "lin_1", OrderID: o.ID, Panel: "xui", ExternalID: "u1", State: order.LineSuspended, Revision: 1, CreatedAt: at(0), UpdatedAt: at(0)}
	write(t, s, func(tx store.Tx) error {
		if err := tx.InsertOrder(ctx, o); err != nil {
			return err
		}
		return tx.InsertLine(ctx, l)
	})
	inUse := func(name string, want bool) {
		t.Helper()
		got, err := s.PanelInUse(ctx, name)
		noErr(t, "PanelInUse", err)
		same(t, name+" in use", got, want)
	}
	inUse("xui", true)
	inUse("byhand", false)
	l.State = order.LineTerminated
	write(t, s, func(tx store.Tx) error { return tx.UpdateLine(ctx, l) })
	inUse("xui", false)

	write(t, s, func(tx store.Tx) error { return tx.DeletePanel(ctx, "xui") })
	wantErr(t, "a deleted panel", func() error { _, err := s.GetPanel(ctx, "xui"); return err }(), store.ErrNotFound)
	wantErr(t, "deleting it again", s.Tx(ctx, func(tx store.Tx) error { return tx.DeletePanel(ctx, "xui") }), store.ErrNotFound)
}

func testEmails(t *testing.T, s store.Store) {
	ctx := t.Context()
	// Kept as its template, version and data; voided and other as their text, as before 00050.
	first := store.Email{ID: "eml_1", Template: "dispute_opened", TemplateVersion: 1, Data: `{"order_id":"ord_1"}`, DisputeID: "dsp_1",
		OrderID: "ord_1", CustomerID: "cus_1", To: "a@example.com", ToName: "Ann", State: store.EmailQueued,
		CreatedAt: at(1), UpdatedAt: at(1)}
	voided := store.Email{ID: "eml_2", Template: "order_voided", OrderID: "ord_1", CustomerID: "cus_1", To: "a@example.com",
		Subject: "Voided", Body: "…", State: store.EmailNotSent, Reason: "no SMTP server is configured", CreatedAt: at(2), UpdatedAt: at(2)}
	other := store.Email{ID: "eml_0", Template: "dispute_opened", DisputeID: "dsp_2", OrderID: "ord_2", Subject: "x", Body: "y",
		State: store.EmailQueued, CreatedAt: at(0), UpdatedAt: at(0)}
	write(t, s, func(tx store.Tx) error {
		for _, e := range []store.Email{voided, first, other} {
			if err := tx.InsertEmail(ctx, e); err != nil {
				return err
			}
		}
		return nil
	})
	wantErr(t, "a taken email id", s.Tx(ctx, func(tx store.Tx) error { return tx.InsertEmail(ctx, first) }), store.ErrConflict)

	sent := first
	sent.From, sent.State, sent.Attempts, sent.Reason, sent.UpdatedAt, sent.SentAt = "shop@example.com", store.EmailSent, 2, "", at(5), at(5)
	write(t, s, func(tx store.Tx) error { return tx.UpdateEmail(ctx, sent) })
	got, err := s.GetEmail(ctx, "eml_1")
	noErr(t, "GetEmail", err)
	same(t, "sent email", got, sent)

	emailID := func(e store.Email) string { return e.ID }
	byDispute, err := s.ListEmails(ctx, store.EmailFilter{DisputeID: "dsp_1"})
	noErr(t, "ListEmails", err)
	same(t, "emails of the dispute", ids(byDispute, emailID), []string{"eml_1"})
	byOrder, err := s.ListEmails(ctx, store.EmailFilter{OrderID: "ord_1"})
	noErr(t, "ListEmails", err)
	same(t, "emails of the order, oldest first", ids(byOrder, emailID), []string{"eml_1", "eml_2"})

	missing := sent
	missing.ID = "eml_x"
	wantErr(t, "updating a missing email", s.Tx(ctx, func(tx store.Tx) error { return tx.UpdateEmail(ctx, missing) }), store.ErrNotFound)
}
