package httpapi_test

import (
	"bytes"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/httpapi"
	"disputed/internal/testenv"
)

// Who sees what beyond the statuses of the authorization matrix (cmd/disputed/authz_matrix_test.go).

// TestAuthScheme checks that a key is taken only as a bearer token, and that a route that does
// not exist asks for a key before it says so, so that no key gets no map of the API.
func TestAuthScheme(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		for _, auth := range []string{"Basic " + testenv.AdminKey, testenv.AdminKey, "Bearer"} {
			r := c.As("").Do(http.MethodGet, "/v1/disputes", nil, "Authorization", auth)
			testenv.WantStatus(t, r, 401)
			testenv.WantErrorShape(t, r)
		}
		testenv.WantError(t, c.As("").Get("/v1/nonexistent"), 401, "unauthenticated")
		testenv.WantError(t, c.Get("/v1/nonexistent"), 404, "route_not_found")
	})
}

// disputeIDs lists the disputes c reads at path, by id.
func disputeIDs(t *testing.T, c *testenv.Client, path string) []string {
	t.Helper()
	var out []string
	for _, d := range testenv.Want[httpapi.List[httpapi.Dispute]](t, c.Get(path), 200).Data {
		out = append(out, d.ID)
	}
	return out
}

// orderIDs lists the orders c reads, by id.
func orderIDs(t *testing.T, c *testenv.Client) []string {
	t.Helper()
	var out []string
	for _, o := range testenv.Want[httpapi.List[httpapi.Order]](t, c.Get("/v1/orders"), 200).Data {
		out = append(out, o.ID)
	}
	return out
}

// marketplaceCase opens a marketplace dispute, as its buyer, on the sale.
func marketplaceCase(e *testenv.Env, s testenv.Sale, description string) string {
	e.T.Helper()
	return testenv.Must(e.App.CreateDispute(e.Ctx, testenv.Admin, app.DisputeParams{Type: "marketplace", OrderID: s.Order.ID,
		InitiatedBy: "buyer", Description: description}))(e.T).ID
}

// TestPortalRoles checks what buyer and vendor keys see and may do beyond the statuses of the
// authorization matrix: lists of their own orders and disputes only, marketplace disputes on their
// own orders as their own side, no internal notes in what they read, and evidence as their side
// only while the dispute is open.
func TestPortalRoles(t *testing.T) {
	t.Parallel()
	for _, role := range []actor.Role{actor.Buyer, actor.Vendor} {
		t.Run(string(role), func(t *testing.T) {
			t.Parallel()
			testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
				vendor := "ven_" + string(role)
				mine := e.Sale(testenv.SaleParams{Amount: 4000, Currency: "EUR", VendorID: vendor})
				theirs := e.Sale(testenv.SaleParams{Amount: 4000, Currency: "EUR", VendorID: "ven_other"})
				marketplaceCase(e, theirs, "theirs")
				partyID := mine.Customer.ID
				if role == actor.Vendor {
					partyID = vendor
				}
				me := c.As(e.NewKey(role, partyID))

				// Lists hold only its own.
				if got := orderIDs(t, me); !slices.Equal(got, []string{mine.Order.ID}) {
					t.Errorf("%s sees orders %v, want only %s", role, got, mine.Order.ID)
				}
				if got := disputeIDs(t, me, "/v1/disputes"); len(got) != 0 {
					t.Errorf("%s sees disputes %v before opening any", role, got)
				}
				if got := disputeIDs(t, me, "/v1/disputes?order_id="+theirs.Order.ID); len(got) != 0 {
					t.Errorf("%s filtering on another's order sees %v", role, got)
				}

				// Only marketplace disputes, only on its own order, always as its own side.
				testenv.WantStatus(t, me.Post("/v1/disputes", map[string]any{"type": "marketplace", "order_id": theirs.Order.ID, "description": "x"}), 422)
				other := "vendor"
				if role == actor.Vendor {
					other = "buyer"
				}
				testenv.WantStatus(t, me.Post("/v1/disputes", map[string]any{"type": "marketplace", "order_id": mine.Order.ID, "initiated_by": other}), 422)
				d := testenv.Want[httpapi.Dispute](t, me.Post("/v1/disputes", map[string]any{"type": "marketplace", "order_id": mine.Order.ID,
					"description": "never arrived"}), 201)
				id := d.ID
				if d.InitiatedBy == nil || *d.InitiatedBy != string(role) || d.Status != "open" || d.OrderID == nil || *d.OrderID != mine.Order.ID {
					t.Errorf("portal dispute: %+v", d)
				}
				if got := disputeIDs(t, me, "/v1/disputes"); !slices.Equal(got, []string{id}) {
					t.Errorf("%s sees disputes %v, want only %s", role, got, id)
				}
				if n := len(disputeIDs(t, c, "/v1/disputes")); n != 2 {
					t.Errorf("admin sees %d disputes, want 2", n)
				}

				// Internal notes are staff-only: not in the dispute a party reads either.
				testenv.WantStatus(t, c.Post("/v1/disputes/"+id+"/notes", map[string]any{"body": "internal: likely fraud"}), 201)
				if bytes.Contains(me.Get("/v1/disputes/"+id).Raw, []byte("likely fraud")) {
					t.Errorf("the %s's view of the dispute shows the admin note", role)
				}

				// Evidence while open, as the party.
				ev := testenv.Want[httpapi.EvidenceItem](t, me.Post("/v1/disputes/"+id+"/evidence",
					map[string]any{"type": "text", "content": "tracking shows no delivery"}), 201)
				if ev.Party == nil || *ev.Party != string(role) {
					t.Errorf("evidence party %v, want %s: %+v", ev.Party, role, ev)
				}
				rev := testenv.Want[httpapi.Dispute](t, c.Get("/v1/disputes/"+id), 200).Revision
				testenv.WantStatus(t, c.Post("/v1/disputes/"+id+"/status", map[string]any{"status": "pending_review", "note": "reviewing"}), 200)
				testenv.WantError(t, me.Post("/v1/disputes/"+id+"/evidence", map[string]any{"type": "text", "content": "one more thing"}), 409, "invalid_state")
				testenv.WantStatus(t, c.Post("/v1/disputes/"+id+"/evidence", map[string]any{"type": "text", "content": "admin adds"}), 201)
				list := testenv.Want[httpapi.List[httpapi.EvidenceItem]](t, me.Get("/v1/disputes/"+id+"/evidence"), 200).Data
				if len(list) != 2 {
					t.Errorf("%d evidence items, want 2 (the party's and the admin's): %+v", len(list), list)
				} else if list[0].AddedBy != string(role) || list[1].AddedBy != "staff" {
					t.Errorf("evidence shown as added by [%s %s], want [%s staff], not the keys that added it", list[0].AddedBy, list[1].AddedBy, role)
				}
				if got := testenv.Want[httpapi.Dispute](t, c.Get("/v1/disputes/"+id), 200).Revision; got != rev+2 {
					t.Errorf("revision %d, want %d: the refused evidence must not count", got, rev+2)
				}
			})
		})
	}
}

// TestPartyViewOfAChargeback checks that a buyer reading its own chargeback sees the case and
// not the merchant's working material: the staged evidence, the evidence items that argue
// against it, tags, metadata, and the merchant's actions.
func TestPartyViewOfAChargeback(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		sale := e.Sale(testenv.SaleParams{Amount: 5000})
		d := e.Dispute(sale, "chargeback", func(p *app.DisputeParams) {
			p.Reason, p.DueBy = "fraudulent", e.Clock.Now().Add(72*time.Hour)
		})
		id := d.ID
		testenv.WantStatus(t, c.Post("/v1/disputes/"+id, map[string]any{"revision": d.Revision, "tags": []string{"suspected-friendly-fraud"},
			"metadata": map[string]string{"risk": "high"}, "evidence": map[string]string{"uncategorized_text": "IP matches the buyer's usual"}}), 200)
		testenv.WantStatus(t, c.Post("/v1/disputes/"+id+"/evidence", map[string]any{"type": "text", "content": "login logs from the buyer's device"}), 201)

		if merchant := testenv.Want[httpapi.Dispute](t, c.Get("/v1/disputes/"+id), 200); len(merchant.Actions) == 0 || len(merchant.Tags) == 0 {
			t.Fatalf("the merchant's view lacks what this test hides from the buyer: %+v", merchant)
		}
		buyer := c.As(e.NewKey(actor.Buyer, sale.Customer.ID))
		one, list := buyer.Get("/v1/disputes/"+id), buyer.Get("/v1/disputes")
		mine := testenv.Want[httpapi.Dispute](t, one, 200)
		if mine.OrderID == nil || *mine.OrderID != sale.Order.ID || mine.Amount != 5000 || !slices.Equal(disputeIDs(t, buyer, "/v1/disputes"), []string{id}) {
			t.Fatalf("the buyer does not see its chargeback: %s %s", one, list)
		}
		// The raw answers: what is hidden must be in no field at all.
		for _, view := range []testenv.Response{one, list} {
			for _, secret := range []string{"IP matches", "suspected-friendly-fraud", "risk", "submit_evidence", `"accept"`} {
				if bytes.Contains(view.Raw, []byte(secret)) {
					t.Errorf("the buyer's view shows the merchant's %q: %s", secret, view)
				}
			}
		}
		if items := buyer.Get("/v1/disputes/" + id + "/evidence"); items.Status != 200 ||
			len(testenv.Decode[httpapi.List[httpapi.EvidenceItem]](t, items).Data) != 0 {
			t.Errorf("the buyer reads the merchant's evidence items: %d %s", items.Status, items)
		}
	})
}

// TestPartyCannotProbeCharges checks that a buyer cannot learn of another customer's charge by
// naming it in a new dispute: by its id, its provider reference, its ARN, or the id of a refund
// of it, the answer is the one an unknown value gets, word for word, and names neither the
// charge's order nor its kind.
func TestPartyCannotProbeCharges(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		sale := e.Sale(testenv.SaleParams{Amount: 4000})
		ord := sale.Order.ID
		const arn = "74000000000000000000123"
		five, hundred := int64(500), int64(100)
		testenv.Must(e.App.CreateTransaction(e.Ctx, testenv.Admin, app.TransactionParams{Kind: "charge", OrderID: ord,
			Money: app.Money{Amount: &five, Currency: "USD"}, ARN: arn}))(t)
		refund := testenv.Must(e.App.Refund(e.Ctx, testenv.Admin, sale.Charge.ID, app.RefundParams{Money: app.Money{Amount: &hundred}}))(t)
		eve := testenv.Must(e.App.CreateCustomer(e.Ctx, testenv.Admin, app.CustomerParams{Email: "eve@example.com"}))(t)
		stranger := c.As(e.NewKey(actor.Buyer, eve.ID))

		answer := func(field, value string) testenv.Response {
			r := stranger.Post("/v1/disputes", map[string]any{"type": "marketplace", field: value, "description": "never arrived"})
			if !strings.Contains(value, ord) && bytes.Contains(r.Raw, []byte(ord)) {
				t.Errorf("naming %s %s, the answer names the charge's order: %s", field, value, r)
			}
			return r
		}
		for field, known := range map[string][]string{
			"transaction_id": {sale.Charge.ID, "ch_" + ord, refund.ID},
			"arn":            {arn},
		} {
			const unknown = "zz_unknown_0000000000000"
			none := answer(field, unknown)
			if none.Status != 422 {
				t.Fatalf("%s unknown: %d %s", field, none.Status, none)
			}
			for _, v := range known {
				got := answer(field, v)
				if wantRaw := bytes.ReplaceAll(none.Raw, []byte(unknown), []byte(v)); got.Status != none.Status || !bytes.Equal(got.Raw, wantRaw) {
					t.Errorf("%s %s: %d %s, want the answer to an unknown value: %d %s", field, v, got.Status, got, none.Status, wantRaw)
				}
			}
		}
		if n := len(disputeIDs(t, c, "/v1/disputes")); n != 0 {
			t.Errorf("%d disputes after refused creates", n)
		}
	})
}

// TestPartyListsAsItsRole checks that a party's lists hold exactly what it may open one by one:
// a buyer key lists the orders and disputes where its id is the customer, even where a
// marketplace uses the same id as the vendor of other orders, which a vendor key of that id
// lists instead.
func TestPartyListsAsItsRole(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		boughtSale := e.Sale(testenv.SaleParams{VendorID: "ven_1"}) // Ada buys from a vendor
		ada := boughtSale.Customer.ID
		bought := marketplaceCase(e, boughtSale, "never arrived")
		sold := marketplaceCase(e, e.Sale(testenv.SaleParams{VendorID: ada}), "broken on arrival") // and sells to Bob under her customer id
		for _, tt := range []struct {
			role        actor.Role
			mine, other string
		}{{actor.Buyer, bought, sold}, {actor.Vendor, sold, bought}} {
			me := c.As(e.NewKey(tt.role, ada))
			ord := ""
			if o := testenv.Want[httpapi.Dispute](t, c.Get("/v1/disputes/"+tt.mine), 200).OrderID; o != nil {
				ord = *o
			}
			if got := disputeIDs(t, me, "/v1/disputes"); !slices.Equal(got, []string{tt.mine}) {
				t.Errorf("%s %s lists disputes %v, want only %s", tt.role, ada, got, tt.mine)
			}
			if got := orderIDs(t, me); !slices.Equal(got, []string{ord}) {
				t.Errorf("%s %s lists orders %v, want only %s", tt.role, ada, got, ord)
			}
			testenv.WantStatus(t, me.Get("/v1/disputes/"+tt.mine), 200)
			testenv.WantError(t, me.Get("/v1/disputes/"+tt.other), 404, "not_found")
		}
	})
}
