package httpapi_test

import (
	"net/url"
	"testing"
	"time"

	"disputed/internal/app"
	"disputed/internal/httpapi"
	"disputed/internal/testenv"
)

// TestDisputeFilters checks each filter of GET /v1/disputes against a mixed set of disputes.
func TestDisputeFilters(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		sa := e.Sale(testenv.SaleParams{Amount: 1000})
		A := e.Dispute(sa, "chargeback", func(p *app.DisputeParams) {
			p.Reason, p.CaseNumber, p.Tags = "fraudulent", "CASE-777", []string{"vip"}
			p.DueBy = time.Date(2030, 1, 10, 0, 0, 0, 0, time.UTC)
		}).ID
		sb := e.Sale(testenv.SaleParams{Amount: 2000})
		B := e.Dispute(sb, "inquiry", func(p *app.DisputeParams) {
			p.Reason, p.Tags = "", []string{"vip", "slow"}
			p.DueBy = time.Date(2030, 3, 1, 0, 0, 0, 0, time.UTC)
		}).ID
		sc := e.Sale(testenv.SaleParams{Amount: 3000})
		C := testenv.Must(e.App.OpenManualDispute(e.Ctx, testenv.Admin, sc.Order.ID, app.ManualDisputeParams{Reason: "general",
			Description: "paypal case", ExternalReference: "PP-D-1234"}))(t).ID
		testenv.Must(e.App.ResolveDispute(e.Ctx, testenv.Admin, C, nil, app.ResolveParams{Resolution: "won"}))(t)
		amount := int64(999)
		D := testenv.Must(e.App.CreateDispute(e.Ctx, testenv.Admin, app.DisputeParams{Type: "alert", AlertType: "cdrn",
			Money: app.Money{Amount: &amount, Currency: "usd"}, ARN: "74990001112223334445556"}))(t).ID
		se := e.Sale(testenv.SaleParams{Amount: 4000})
		E := testenv.Must(e.App.CreateDispute(e.Ctx, testenv.Admin, app.DisputeParams{Type: "marketplace", OrderID: se.Order.ID,
			InitiatedBy: "buyer", Description: "the package never arrived"}))(t).ID
		ordA, ordC, chA, chB := sa.Order.ID, sc.Order.ID, sa.Charge.ID, sb.Charge.ID
		cusA, cusB := sa.Customer.ID, sb.Customer.ID

		for _, f := range []struct {
			query string
			ids   []string
		}{
			{"", []string{A, B, C, D, E}},
			{"status=needs_response", []string{A}},
			{"status=warning_needs_response", []string{B}},
			{"status=won", []string{C}},
			{"status=open", []string{D, E}},
			{"type=chargeback", []string{A}},
			{"type=inquiry", []string{B}},
			{"type=manual", []string{C}},
			{"type=alert", []string{D}},
			{"type=marketplace", []string{E}},
			{"order_id=" + ordA, []string{A}},
			{"order_id=" + ordC, []string{C}},
			{"transaction_id=" + chB, []string{B}},
			{"charge=" + chB, []string{B}},
			{"charge=" + chA, []string{A}},
			{"customer_id=" + cusA, []string{A}},
			{"customer_id=" + cusB, []string{B}},
			// D: the CDRN alert's 72-hour refund window; E: the 48-hour marketplace window.
			{"due_before=" + url.QueryEscape("2030-02-01T00:00:00Z"), []string{A, D, E}},
			{"due_before=" + url.QueryEscape("2030-12-01T00:00:00Z"), []string{A, B, D, E}},
			{"due_before=" + url.QueryEscape("2020-01-01T00:00:00Z"), nil},
			{"tag=vip", []string{A, B}},
			{"tag=slow", []string{B}},
			{"tag=none", nil},
			{"q=CASE-777", []string{A}},
			{"q=PP-D-1234", []string{C}},
			{"q=" + url.QueryEscape("never arrived"), []string{E}},
			{"q=74990001112223334445556", []string{D}},
			{"q=" + A, []string{A}},
			{"type=inquiry&tag=vip", []string{B}},
			{"status=needs_response&customer_id=" + cusB, nil},
		} {
			wantListedSet(t, "/v1/disputes?"+f.query, c.Get("/v1/disputes?"+f.query), f.ids...)
		}
		testenv.WantStatus(t, c.Get("/v1/disputes?due_before=tomorrow"), 422)
	})
}

// TestOrderFilters checks GET /v1/orders by customer, vendor and status.
func TestOrderFilters(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		sa, sb := e.Sale(testenv.SaleParams{Amount: 1000}), e.Sale(testenv.SaleParams{Amount: 1000})
		cusA, ordA, ordB := sa.Customer.ID, sa.Order.ID, sb.Order.ID
		five, four := int64(5), int64(400)
		P := testenv.Must(e.App.CreateOrder(e.Ctx, testenv.Admin, app.OrderParams{CustomerID: cusA, VendorID: "ven_1", Currency: "USD",
			Items: []app.ItemParams{{Description: "x", Amount: &five, Quantity: 1}}}))(t).Order.ID
		testenv.Must(e.App.Refund(e.Ctx, testenv.Admin, sa.Charge.ID, app.RefundParams{Money: app.Money{Amount: &four}}))(t)
		testenv.Must(e.App.VoidOrder(e.Ctx, testenv.Admin, ordB, app.VoidParams{Reason: "duplicate"}))(t)

		wantListedSet(t, "all", c.Get("/v1/orders"), ordA, ordB, P)
		wantListedSet(t, "customer", c.Get("/v1/orders?customer_id="+cusA), ordA, P)
		wantListedSet(t, "vendor", c.Get("/v1/orders?vendor_id=ven_1"), P)
		wantListedSet(t, "pending", c.Get("/v1/orders?status=pending"), P)
		wantListedSet(t, "partially_refunded", c.Get("/v1/orders?status=partially_refunded"), ordA)
		wantListedSet(t, "voided", c.Get("/v1/orders?status=voided"), ordB)
		wantListedSet(t, "completed", c.Get("/v1/orders?status=completed"))
		wantListedSet(t, "customer and status", c.Get("/v1/orders?customer_id="+cusA+"&status=pending"), P)
		testenv.WantStatus(t, c.Get("/v1/orders?status=lost"), 422)
	})
}

// TestEventAndBlocklistFilters checks GET /v1/events?type=, dispute_id, order_id and
// GET /v1/blocklist?kind=.
func TestEventAndBlocklistFilters(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		sale, other := e.Sale(testenv.SaleParams{Amount: 1000}), e.Sale(testenv.SaleParams{Amount: 1000})
		ord, ord2 := sale.Order.ID, other.Order.ID
		d := e.Dispute(sale, "chargeback")
		events := func(query string) []httpapi.Event {
			t.Helper()
			return testenv.Want[httpapi.List[httpapi.Event]](t, c.Get("/v1/events?"+query), 200).Data
		}
		if ev := events("type=dispute.created"); len(ev) != 1 || wireString(ev[0].DisputeID) != d.ID {
			t.Errorf("type=dispute.created: %+v", ev)
		}
		created := events("type=transaction.created")
		for _, ev := range created {
			if ev.Type != "transaction.created" {
				t.Errorf("type filter let %v through", ev.Type)
			}
		}
		if len(created) != 2 {
			t.Errorf("%d transaction.created events, want 2", len(created))
		}
		for _, ev := range events("order_id=" + ord2) {
			if wireString(ev.OrderID) != ord2 {
				t.Errorf("order filter let %v through", wireString(ev.OrderID))
			}
		}
		for _, ev := range events("dispute_id=" + d.ID) {
			if wireString(ev.DisputeID) != d.ID {
				t.Errorf("dispute filter let %v through", wireString(ev.DisputeID))
			}
		}
		if n := len(events("order_id=" + ord)); n < 2 {
			t.Errorf("%d events of order %s, want the charge and the dispute", n, ord)
		}
		if n := len(events("type=nothing.happened")); n != 0 {
			t.Errorf("unknown type matched %d events", n)
		}

		block := func(kind, value string) string {
			t.Helper()
			return testenv.Must(e.App.AddBlock(e.Ctx, testenv.Admin, app.BlockParams{Kind: kind, Value: value}))(t).ID
		}
		em, ip, fp := block("email", "bad@example.com"), block("ip", "203.0.113.9"), block("card_fingerprint", "fp_123")
		wantListedSet(t, "kind=email", c.Get("/v1/blocklist?kind=email"), em)
		wantListedSet(t, "kind=ip", c.Get("/v1/blocklist?kind=ip"), ip)
		wantListedSet(t, "kind=card_fingerprint", c.Get("/v1/blocklist?kind=card_fingerprint"), fp)
		wantListedSet(t, "all", c.Get("/v1/blocklist"), em, ip, fp)
	})
}
