package web_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/testenv"
)

// TestDisputePageChecklist: the evidence section lists what makes the case in words, what is
// missing first, with the completeness as a number and a bar; staging an item through the form
// (whose drop-down names fields by their labels) moves it to provided and raises the number.
func TestDisputePageChecklist(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		f := e.Forms(c, actor.Admin, "")
		d := e.Dispute(e.Sale(testenv.SaleParams{}), "chargeback", func(p *app.DisputeParams) { p.NetworkReasonCode = "13.1" })
		page := f.Get("/disputes/" + d.ID)
		for _, w := range []string{
			`<meter id="completeness-bar" min="0" max="100" low="50" high="80" optimum="100" value="0">`,
			`<li class="checklist-item missing" data-field="access_activity_log">`,
			"Log of the customer&#39;s use of the service",
			"Shows the customer signed in and used what they paid for",
			`<option value="customer_purchase_ip">Customer&#39;s IP address at purchase</option>`,
			"for Digital service (hosting, software, online access)",
		} {
			if !strings.Contains(page.Body, w) {
				t.Errorf("a Visa 13.1 for a digital service: the page lacks %s", w)
			}
		}
		if strings.Contains(page.Body, `data-field="shipping_documentation"`) {
			t.Error("a digital service's checklist asks for proof of delivery")
		}

		form := url.Values{"revision": {strconv.FormatInt(d.Revision, 10)}, "field": {"access_activity_log"}, "value": {"signed in 14 times since"}}
		after := f.Post("/disputes/"+d.ID+"/staged", f.Signed(form))
		if after.Status != 200 && after.Status != 303 {
			t.Fatalf("staging: %d %s", after.Status, after.Body)
		}
		page = f.Get("/disputes/" + d.ID)
		provided := strings.Index(page.Body, `<li class="checklist-item provided" data-field="access_activity_log">`)
		missing := strings.Index(page.Body, `<li class="checklist-item missing" data-field="customer_name">`)
		if provided < 0 || missing < 0 || missing > provided {
			t.Errorf("after staging the log: provided at %d, a missing item at %d; want it provided, after what is missing", provided, missing)
		}
		if strings.Contains(page.Body, `value="0">`) || !strings.Contains(page.Body, `id="completeness-value">`) {
			t.Error("the completeness did not rise")
		}
		if !strings.Contains(page.Body, `<th scope="row">Log of the customer&#39;s use of the service</th>`) {
			t.Error("the staged table names the field by its name, not its label")
		}
	})
}

// TestPortalWhatWouldHelp: a buyer adding evidence to an open marketplace dispute is told, in
// words, what would help the case, by its reason and what the merchant sells.
func TestPortalWhatWouldHelp(t *testing.T) {
	t.Parallel()
	e := testenv.New(t, "sqlite", testenv.Options{})
	c := e.Serve()
	e.User("admin@example.com", actor.Admin, "") // without an admin, the site asks for its setup
	sale := e.Sale(testenv.SaleParams{})
	d := e.Dispute(sale, "marketplace", func(p *app.DisputeParams) { p.Reason = "product_not_received" })
	page := e.Forms(c, actor.Buyer, sale.Customer.ID).Get("/portal/disputes/" + d.ID)
	if page.Status != 200 || !strings.Contains(page.Body, "What would help your case") ||
		!strings.Contains(page.Body, `data-field="access_activity_log"><strong>Log of the customer&#39;s use of the service</strong>`) ||
		strings.Contains(page.Body, `data-field="uncategorized_file"`) {
		t.Fatalf("a buyer's open marketplace dispute (not received, digital service): %d\n%s", page.Status, page.Body)
	}
}
