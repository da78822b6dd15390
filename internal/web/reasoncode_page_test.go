package web_test

import (
	"strings"
	"testing"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/testenv"
)

// TestDisputePageFlagsUnknownCode: a network reason code the catalogue lacks is shown as received,
// flagged, with the family of the dispute's reason; a known one is named, unflagged.
func TestDisputePageFlagsUnknownCode(t *testing.T) {
	t.Parallel()
	e := testenv.New(t, "sqlite", testenv.Options{})
	c := e.Serve()
	f := e.Forms(c, actor.Admin, "")
	for code, want := range map[string][]string{
		"19.9": {`id="network-code">19.9 <span class="badge flag" id="code-unknown"`, `id="reason-family">Fraud<`},
		"4837": {`id="network-code">Mastercard 4837 · No Cardholder Authorization<`, `id="reason-family">Fraud<`},
	} {
		d := e.Dispute(e.Sale(testenv.SaleParams{}), "chargeback", func(p *app.DisputeParams) { p.Reason, p.NetworkReasonCode = "fraudulent", code })
		page := f.Get("/disputes/" + d.ID)
		for _, w := range want {
			if !strings.Contains(page.Body, w) {
				t.Errorf("code %s: the page lacks %s", code, w)
			}
		}
		if flagged := strings.Contains(page.Body, `id="code-unknown"`); flagged != (code == "19.9") {
			t.Errorf("code %s flagged: %v", code, flagged)
		}
	}
}

// TestReasonCodesPage: staff read the catalogue in words, filtered by network and family; an
// unknown filter shows everything.
func TestReasonCodesPage(t *testing.T) {
	t.Parallel()
	e := testenv.New(t, "sqlite", testenv.Options{})
	c := e.Serve()
	e.User("admin@example.com", actor.Admin, "") // the first admin exists: no setup
	f := e.Forms(c, actor.Agent, "")
	page := f.Get("/reason-codes?network=visa&category=fraud")
	if page.Status != 200 || !strings.Contains(page.Body, `id="code-visa-10.4"`) || !strings.Contains(page.Body, "Other Fraud – Card-Absent") ||
		!strings.Contains(page.Body, "<code>customer_purchase_ip</code>") || strings.Contains(page.Body, `id="code-visa-13.1"`) ||
		strings.Contains(page.Body, `id="code-mastercard-`) {
		t.Fatalf("Visa fraud codes: %d\n%s", page.Status, page.Body)
	}
	if all := f.Get("/reason-codes?network=jcb"); !strings.Contains(all.Body, `id="code-mastercard-4853"`) || !strings.Contains(all.Body, `id="code-paypal-UNAUTHORISED"`) {
		t.Fatalf("an unknown network does not show every code:\n%s", all.Body)
	}
}
