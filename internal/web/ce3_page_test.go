package web_test

import (
	"strings"
	"testing"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/testenv"
)

// TestDisputePageVisaCE3: a Visa 10.4 chargeback's evidence section says in words whether it
// qualifies for Visa Compelling Evidence 3.0 and shows the two earlier charges with their dates,
// amounts and what they match on; one on a card without history says what is missing; a
// Mastercard fraud chargeback shows no such block.
func TestDisputePageVisaCE3(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		f := e.Forms(c, actor.Admin, "")
		fraud := func(s testenv.Sale, code string) string {
			return e.Dispute(s, "chargeback", func(p *app.DisputeParams) { p.Reason, p.NetworkReasonCode = "fraudulent", code }).ID
		}
		h := e.VisaCE3History()
		page := f.Get("/disputes/" + fraud(h.Disputed, "10.4"))
		prior := h.Priors[1].Charge
		for _, w := range []string{
			`<h3 id="s-ce3">Visa Compelling Evidence 3.0</h3>`,
			`<span class="status good">qualifies</span>`,
			`<th scope="row">` + prior.ProviderReference + `</th><td>` + prior.CreatedAt.UTC().Format("2 Jan 2006 15:04 UTC") + ` <span class="muted">(300 days before)</span></td><td>49.99 USD</td><td>IP address, device, shipping address, email, account</td>`,
		} {
			if !strings.Contains(page.Body, w) {
				t.Errorf("a qualifying Visa 10.4: the page lacks %s", w)
			}
		}
		if strings.Contains(page.Body, h.Charged.Charge.ProviderReference) {
			t.Error("the page offers a charge that was disputed itself")
		}

		c2 := testenv.Must(e.App.CreateCustomer(e.Ctx, testenv.Admin, app.CustomerParams{Email: "new@example.com"}))(t)
		newCard := testenv.CE3Context
		newCard.CardFingerprint = "fp_new_card"
		page = f.Get("/disputes/" + fraud(e.SaleAt(c2, 0, "Hosting", newCard), "10.4"))
		if !strings.Contains(page.Body, `<span class="status act">does not qualify yet</span>`) ||
			!strings.Contains(page.Body, "<li>Two earlier charges on the same card are needed, made 120 to 365 days before") {
			t.Error("a card without history: the page does not say what is missing")
		}

		c3 := testenv.Must(e.App.CreateCustomer(e.Ctx, testenv.Admin, app.CustomerParams{Email: "mc@example.com"}))(t)
		if page = f.Get("/disputes/" + fraud(e.SaleAt(c3, 0, "Hosting", testenv.CE3Context), "4837")); strings.Contains(page.Body, `id="s-ce3"`) {
			t.Error("a Mastercard 4837 shows Visa CE 3.0")
		}
	})
}
