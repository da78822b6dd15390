package web_test

import (
	"strings"
	"testing"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/httpapi"
	"disputed/internal/order"
	"disputed/internal/testenv"
)

// TestUIPurchaseContext: the order page shows what is known of the purchase (addresses on one
// line, the card as people write it), each payment its own, the dispute page its charge's; an
// order that knows nothing shows no Purchase section.
func TestUIPurchaseContext(t *testing.T) {
	t.Parallel()
	e, c := adminServer(t)
	f := e.Forms(c, actor.Admin, "")
	sale := e.Sale(testenv.SaleParams{})
	o := testenv.Want[httpapi.Order](t, c.Post("/v1/orders", map[string]any{"customer_id": sale.Customer.ID, "currency": "USD",
		"items":       []map[string]any{{"description": "Headphones", "amount": 4900}},
		"customer_ip": "198.51.100.7", "shipping_carrier": "UPS", "tracking_number": "1Z999AA1",
		"shipping_address": map[string]any{"line1": "9 Main St", "city": "Springfield", "state": "IL", "postal_code": "62701", "country": "us"}}), 201)
	testenv.Must(e.App.CompleteOrder(e.Ctx, testenv.Admin, o.ID))(t)
	amount := int64(4900)
	ch := testenv.Must(e.App.CreateTransaction(e.Ctx, testenv.Admin, app.TransactionParams{Kind: "charge", OrderID: o.ID,
		Money: app.Money{Amount: &amount, Currency: "USD"}, Purchase: order.PurchaseContext{CardNetwork: "amex", CardLast4: "0005"}}))(t)

	page := f.Get("/orders/" + o.ID)
	if page.Status != 200 {
		t.Fatalf("order page: %d", page.Status)
	}
	purchase, _, _ := strings.Cut(from(t, page.Body, `id="purchase-section"`), "</section>")
	for _, want := range []string{"<dt>Shipping address</dt><dd class=\"text\">9 Main St, Springfield, IL 62701, US</dd>",
		"<dt>Customer IP</dt><dd class=\"text\">198.51.100.7</dd>", "<dt>Carrier</dt><dd class=\"text\">UPS</dd>",
		"<dt>Tracking number</dt><dd class=\"text\">1Z999AA1</dd>"} {
		if !strings.Contains(purchase, want) {
			t.Errorf("the order's Purchase section lacks %s:\n%s", want, purchase)
		}
	}
	if strings.Contains(purchase, "Billing address") || strings.Contains(purchase, "Card") {
		t.Errorf("the Purchase section shows what is not known:\n%s", purchase)
	}
	if payment := from(t, page.Body, `id="payment-`+ch.Transaction.ID+`"`); !strings.Contains(payment, "American Express •••• 0005") {
		t.Errorf("the payment does not show its card")
	}

	d := e.Dispute(testenv.Sale{Charge: ch.Transaction}, "chargeback")
	if dp := f.Get("/disputes/" + d.ID); !strings.Contains(dp.Body, "<dt>Card</dt><dd class=\"text\">American Express •••• 0005</dd>") {
		t.Errorf("the dispute page does not show the card of its charge")
	}

	if plain := f.Get("/orders/" + sale.Order.ID); strings.Contains(plain.Body, `id="purchase-section"`) {
		t.Error("an order that knows nothing of its purchase shows a Purchase section")
	}
}

// from is body from marker on, failing the test when the marker is not there.
func from(t *testing.T, body, marker string) string {
	t.Helper()
	i := strings.Index(body, marker)
	if i < 0 {
		t.Fatalf("the page has no %s", marker)
	}
	return body[i:]
}
