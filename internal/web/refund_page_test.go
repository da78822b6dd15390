package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"disputed/internal/actor"
	"disputed/internal/dispute"
	"disputed/internal/provider/stripe/stripemock"
	"disputed/internal/testenv"
)

// TestUIRefundAlertThroughProvider: an open Ethoca alert's page offers "Refund through Stripe"
// with the end of its window; the button (ticked) schedules the refund, whose job resolves the
// alert, after which the page offers it no more. A chargeback's page never offers it.
func TestUIRefundAlertThroughProvider(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		e.StripeProvider("sk_test_123", stripemock.Start(t))
		f := e.Forms(e.Serve(), actor.Admin, "")
		alert := e.Dispute(e.Sale(testenv.SaleParams{Amount: 4999}), "alert")
		page := f.Get("/disputes/" + alert.ID)
		if page.Status != http.StatusOK || !strings.Contains(page.Body, "Refund through Stripe") ||
			!strings.Contains(page.Body, "before the alert's window ends, 3 Mar 2026 09:00 UTC") {
			t.Fatalf("the alert's page offers no refund with its window's end (status %d):\n%s", page.Status, page.Body)
		}
		unticked := f.Post("/disputes/"+alert.ID+"/refund", f.Signed(url.Values{}))
		if unticked.Status != http.StatusUnprocessableEntity || !strings.Contains(unticked.Body, "Tick the box") {
			t.Errorf("an unticked refund: %d", unticked.Status)
		}
		sent := f.Post("/disputes/"+alert.ID+"/refund", f.Signed(url.Values{"confirm": {"yes"}, "reason": {"not recognised"}}))
		if sent.Status != http.StatusSeeOther {
			t.Fatalf("refund: %d\n%s", sent.Status, sent.Body)
		}
		e.RunJobs()
		if d := e.Reload(alert); d.Resolution != dispute.IssuedFullRefund {
			t.Fatalf("alert %s %s after the refund job", d.Status, d.Resolution)
		}
		if after := f.Get("/disputes/" + alert.ID); strings.Contains(after.Body, `id="refund-form"`) {
			t.Error("the resolved alert still offers a refund")
		}
		chargeback := e.Dispute(e.Sale(testenv.SaleParams{}), "chargeback")
		if cb := f.Get("/disputes/" + chargeback.ID); strings.Contains(cb.Body, `id="refund-form"`) {
			t.Error("a chargeback's page offers a refund through the provider")
		}
	})
}

// TestUIRefundOfDisputedPayment: the order page's refund of a payment a chargeback disputes is
// refused, naming the chargeback, unless an admin ticks "Refund anyway" with a reason.
func TestUIRefundOfDisputedPayment(t *testing.T) {
	t.Parallel()
	e := testenv.New(t, "sqlite", testenv.Options{})
	f := e.Forms(e.Serve(), actor.Admin, "")
	s := e.Sale(testenv.SaleParams{Amount: 4000})
	cb := e.Dispute(s, "chargeback")
	page := f.Get("/orders/" + s.Order.ID)
	if !strings.Contains(page.Body, "Chargeback <a href=\"/disputes/"+cb.ID+"\">") || !strings.Contains(page.Body, `name="force"`) {
		t.Fatalf("the order page does not warn of the chargeback:\n%s", page.Body)
	}
	form := url.Values{"charge": {s.Charge.ID}, "amount": {"10.00"}, "confirm": {"yes"}}
	refused := f.Post("/orders/"+s.Order.ID+"/refund", f.Signed(form))
	if refused.Status != http.StatusConflict || !strings.Contains(refused.Body, cb.ID) {
		t.Fatalf("refund of a disputed payment: %d", refused.Status)
	}
	form.Set("force", "yes")
	form.Set("reason", "duplicate charge, agreed with the bank")
	if forced := f.Post("/orders/"+s.Order.ID+"/refund", f.Signed(form)); forced.Status != http.StatusSeeOther {
		t.Fatalf("forced refund: %d\n%s", forced.Status, forced.Body)
	}
	if refunded := testenv.Must(e.App.Transaction(e.Ctx, testenv.Admin, s.Charge.ID))(t).Transaction.AmountRefunded; refunded != 1000 {
		t.Errorf("refunded %d, want 1000", refunded)
	}
}

// TestUIAlertWindowSettings: the settings page shows each alert type's window, with the
// published one, and saves a changed one.
func TestUIAlertWindowSettings(t *testing.T) {
	t.Parallel()
	e := testenv.New(t, "sqlite", testenv.Options{})
	f := e.Forms(e.Serve(), actor.Admin, "")
	page := f.Get("/settings")
	if !strings.Contains(page.Body, `name="alert_window.ethoca" min="0" max="720" value="24"`) {
		t.Fatalf("no Ethoca window on the settings page:\n%s", page.Body)
	}
	form := url.Values{}
	for _, m := range []string{"merchant_name", "reminder_offsets", "party_items", "party_bytes", "total_items", "total_bytes"} {
		form.Set(m, fieldValue(page.Body, m))
	}
	form.Set("product_type", "digital_service")
	for _, typ := range dispute.AlertTypes {
		form.Set("alert_window."+string(typ), fieldValue(page.Body, "alert_window."+string(typ)))
	}
	form.Set("alert_window.ethoca", "6")
	if saved := f.Post("/settings", f.Signed(form)); saved.Status != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", saved.Status, saved.Body)
	}
	st := testenv.Must(e.App.Settings(e.Ctx, testenv.Admin))(t)
	if len(st.AlertRefundWindows) != 1 || st.AlertRefundWindows[dispute.Ethoca] != 6 {
		t.Errorf("saved windows %v, want only ethoca 6", st.AlertRefundWindows)
	}
}

// fieldValue is the value of the page's input named name, "" when it has none.
func fieldValue(page, name string) string {
	m := regexp.MustCompile(`name="` + regexp.QuoteMeta(name) + `"[^>]*value="([^"]*)"`).FindStringSubmatch(page)
	if m == nil {
		return ""
	}
	return m[1]
}
