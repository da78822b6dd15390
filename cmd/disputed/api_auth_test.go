package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"disputed/internal/actor"
)

// TestAuthScheme checks what the authorization matrix (authz_matrix_test.go) does not: a key is
// taken only as a bearer token, and a route that does not exist asks for a key before it says
// so, so that no key gets no map of the API.
func TestAuthScheme(t *testing.T) {
	t.Parallel()
	s := startServer(t, "sqlite", nil)
	for _, auth := range []string{"Basic " + testAdminKey, testAdminKey, "Bearer"} {
		r := s.call(http.MethodGet, "/v1/disputes", nil, "Authorization", auth)
		want(t, r, 401)
		wantErrorBody(t, r)
	}
	want(t, s.call(http.MethodGet, "/v1/nonexistent", nil, "Authorization", ""), 401, "unauthenticated")
	want(t, s.get("/v1/nonexistent"), 404, "route_not_found")
}

// party sets up two customers' orders, each through its vendor, the other's with a marketplace
// dispute, for the portal roles' tests.
type party struct {
	mine, theirs     string // order ids
	customer, vendor string
}

func (s *testServer) parties(vendor string) party {
	s.t.Helper()
	var p party
	mk := func(vendorID string) (string, string) {
		c := s.post("/v1/customers", map[string]any{"email": "p@example.com"})
		want(s.t, c, 201)
		o := s.post("/v1/orders", map[string]any{"customer_id": c.str("id"), "vendor_id": vendorID, "currency": "EUR",
			"items": []any{map[string]any{"description": "box", "amount": 4000}}})
		want(s.t, o, 201)
		want(s.t, s.post("/v1/orders/"+o.str("id")+"/complete", nil), 200)
		want(s.t, s.post("/v1/transactions", map[string]any{"type": "charge", "amount": 4000, "currency": "eur", "order_id": o.str("id")}), 201)
		return c.str("id"), o.str("id")
	}
	p.vendor = vendor
	p.customer, p.mine = mk(vendor)
	_, p.theirs = mk("ven_other")
	want(s.t, s.post("/v1/disputes", map[string]any{"type": "marketplace", "order_id": p.theirs, "initiated_by": "buyer",
		"description": "theirs"}), 201)
	return p
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
			eachStore(t, func(t *testing.T, s *testServer) {
				p := s.parties("ven_" + string(role))
				partyID := p.customer
				if role == actor.Vendor {
					partyID = p.vendor
				}
				me := s.as(s.newKey(role, partyID))

				// Lists hold only its own.
				if got := me.get("/v1/orders").ids(); !slices.Equal(got, []string{p.mine}) {
					t.Errorf("%s sees orders %v, want only %s", role, got, p.mine)
				}
				if got := me.get("/v1/disputes").ids(); len(got) != 0 {
					t.Errorf("%s sees disputes %v before opening any", role, got)
				}
				if got := me.get("/v1/disputes?order_id=" + p.theirs).ids(); len(got) != 0 {
					t.Errorf("%s filtering on another's order sees %v", role, got)
				}

				// Only marketplace disputes, only on its own order, always as its own side.
				want(t, me.post("/v1/disputes", map[string]any{"type": "marketplace", "order_id": p.theirs, "description": "x"}), 422)
				other := "vendor"
				if role == actor.Vendor {
					other = "buyer"
				}
				want(t, me.post("/v1/disputes", map[string]any{"type": "marketplace", "order_id": p.mine, "initiated_by": other}), 422)
				d := me.post("/v1/disputes", map[string]any{"type": "marketplace", "order_id": p.mine, "description": "never arrived"})
				want(t, d, 201)
				id := d.str("id")
				if d.str("initiated_by") != string(role) || d.str("status") != "open" || d.str("order_id") != p.mine {
					t.Errorf("portal dispute: %s", d.raw)
				}
				if got := me.get("/v1/disputes").ids(); !slices.Equal(got, []string{id}) {
					t.Errorf("%s sees disputes %v, want only %s", role, got, id)
				}
				if n := len(s.get("/v1/disputes").list()); n != 2 {
					t.Errorf("admin sees %d disputes, want 2", n)
				}

				// Internal notes are staff-only: not in the dispute a party reads either.
				want(t, s.post("/v1/disputes/"+id+"/notes", map[string]any{"body": "internal: likely fraud"}), 201)
				if bytes.Contains(me.get("/v1/disputes/"+id).raw, []byte("likely fraud")) {
					t.Errorf("the %s's view of the dispute shows the admin note", role)
				}

				// Evidence while open, as the party.
				ev := me.post("/v1/disputes/"+id+"/evidence", map[string]any{"type": "text", "content": "tracking shows no delivery"})
				want(t, ev, 201)
				if ev.str("party") != string(role) {
					t.Errorf("evidence party %q, want %s: %s", ev.str("party"), role, ev.raw)
				}
				rev := s.get("/v1/disputes/" + id).num("revision")
				want(t, s.post("/v1/disputes/"+id+"/status", map[string]any{"status": "pending_review", "note": "reviewing"}), 200)
				late := me.post("/v1/disputes/"+id+"/evidence", map[string]any{"type": "text", "content": "one more thing"})
				want(t, late, 409, "invalid_state")
				want(t, s.post("/v1/disputes/"+id+"/evidence", map[string]any{"type": "text", "content": "admin adds"}), 201)
				list := me.get("/v1/disputes/" + id + "/evidence")
				want(t, list, 200)
				if n := len(list.list()); n != 2 {
					t.Errorf("%d evidence items, want 2 (the party's and the admin's): %s", n, list.raw)
				} else if by := []any{list.list()[0]["added_by"], list.list()[1]["added_by"]}; by[0] != string(role) || by[1] != "staff" {
					t.Errorf("evidence shown as added by %v, want [%s staff], not the keys that added it", by, role)
				}
				if got := s.get("/v1/disputes/" + id).num("revision"); got != rev+2 {
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
	eachStore(t, func(t *testing.T, s *testServer) {
		customer, orderID, charge := s.sale(5000, "USD")
		d := s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": charge, "reason": "fraudulent",
			"due_by": time.Now().Add(72 * time.Hour).UTC().Format(time.RFC3339)})
		want(t, d, 201)
		id := d.str("id")
		want(t, s.post("/v1/disputes/"+id, map[string]any{"revision": d.num("revision"), "tags": []string{"suspected-friendly-fraud"},
			"metadata": map[string]string{"risk": "high"}, "evidence": map[string]string{"uncategorized_text": "IP matches the buyer's usual"}}), 200)
		want(t, s.post("/v1/disputes/"+id+"/evidence", map[string]any{"type": "text", "content": "login logs from the buyer's device"}), 201)

		merchant := s.get("/v1/disputes/" + id)
		if len(merchant.get("actions").([]any)) == 0 || len(merchant.get("tags").([]any)) == 0 {
			t.Fatalf("the merchant's view lacks what this test hides from the buyer: %s", merchant.raw)
		}
		buyer := s.as(s.newKey(actor.Buyer, customer))
		one, list := buyer.get("/v1/disputes/"+id), buyer.get("/v1/disputes")
		if one.str("order_id") != orderID || one.num("amount") != 5000 || !slices.Equal(list.ids(), []string{id}) {
			t.Fatalf("the buyer does not see its chargeback: %s %s", one.raw, list.raw)
		}
		for _, view := range []response{one, list} {
			for _, secret := range []string{"IP matches", "suspected-friendly-fraud", "risk", "submit_evidence", `"accept"`} {
				if bytes.Contains(view.raw, []byte(secret)) {
					t.Errorf("the buyer's view shows the merchant's %q: %s", secret, view.raw)
				}
			}
		}
		if items := buyer.get("/v1/disputes/" + id + "/evidence"); items.status != 200 || len(items.list()) != 0 {
			t.Errorf("the buyer reads the merchant's evidence items: %d %s", items.status, items.raw)
		}
	})
}

// TestAPIKeyCommand creates keys with `disputed apikey create` against the server's database,
// and checks that they work at once and that only their hashes are stored.
func TestAPIKeyCommand(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		db := s.main.Config.DB
		env := envOf(map[string]string{secretKeyEnv: s.secretKey()})
		var out bytes.Buffer
		err := run(context.Background(), []string{"apikey", "create", "--role", "agent", "--name", "support-desk", "--db", db}, env, &out, &out)
		if err != nil {
			t.Fatalf("apikey create: %v\n%s", err, out.Bytes())
		}
		secret := string(bytes.TrimSpace(bytes.SplitN(out.Bytes(), []byte("\n"), 2)[0]))
		if len(secret) < 20 {
			t.Fatalf("no secret printed: %q", out.Bytes())
		}
		agent := s.as(secret)
		want(t, agent.get("/v1/disputes"), 200)
		want(t, agent.get("/v1/settings"), 403, "forbidden")

		err = run(context.Background(), []string{"apikey", "create", "--role", "buyer", "--db", db}, env, &out, &out)
		if err == nil {
			t.Errorf("a buyer key without --party was created")
		}

		if !isPostgres(db) {
			// The secret is not in the database file nor its write-ahead log.
			marker := "marker-" + hex.EncodeToString([]byte(t.Name()))
			want(t, s.post("/v1/customers", map[string]any{"email": "m@example.com", "name": marker}), 201)
			var raw []byte
			for _, f := range []string{db, db + "-wal"} {
				b, err := os.ReadFile(f)
				if err != nil && !os.IsNotExist(err) {
					t.Fatal(err)
				}
				raw = append(raw, b...)
			}
			if !bytes.Contains(raw, []byte(marker)) {
				t.Fatalf("the database files do not hold the data just written: cannot check for the secret")
			}
			for _, sec := range []string{secret, testAdminKey} {
				if bytes.Contains(raw, []byte(sec)) {
					t.Errorf("the API key secret %q is stored in the database", sec[:6]+"…")
				}
			}
		}
		want(t, s.call(http.MethodGet, "/v1/disputes", nil, "Authorization", "Bearer "+secret+"x"), 401, "invalid_api_key")
	})
}

// TestPartyCannotProbeCharges checks that a buyer cannot learn of another customer's charge by
// naming it in a new dispute: by its id, its provider reference, its ARN, or the id of a refund
// of it, the answer is the one an unknown value gets, word for word, and names neither the
// charge's order nor its kind.
func TestPartyCannotProbeCharges(t *testing.T) {
	t.Parallel()
	s := startServer(t, "sqlite", nil)
	_, ord, charge := s.sale(4000, "usd")
	const arn = "74000000000000000000123"
	byARN := s.post("/v1/transactions", map[string]any{"type": "charge", "amount": 500, "currency": "usd", "order_id": ord, "arn": arn})
	want(t, byARN, 201)
	refund := s.post("/v1/transactions/"+charge+"/refund", map[string]any{"amount": 100})
	want(t, refund, 201)
	stranger := s.as(s.newKey(actor.Buyer, s.post("/v1/customers", map[string]any{"email": "eve@example.com"}).str("id")))

	answer := func(field, value string) response {
		r := stranger.post("/v1/disputes", map[string]any{"type": "marketplace", field: value, "description": "never arrived"})
		if !strings.Contains(value, ord) && bytes.Contains(r.raw, []byte(ord)) {
			t.Errorf("naming %s %s, the answer names the charge's order: %s", field, value, r.raw)
		}
		return r
	}
	for field, known := range map[string][]string{
		"transaction_id": {charge, "ch_" + ord, refund.str("id")},
		"arn":            {arn},
	} {
		const unknown = "zz_unknown_0000000000000"
		none := answer(field, unknown)
		if none.status != 422 {
			t.Fatalf("%s unknown: %d %s", field, none.status, none.raw)
		}
		for _, v := range known {
			got := answer(field, v)
			if wantRaw := bytes.ReplaceAll(none.raw, []byte(unknown), []byte(v)); got.status != none.status || !bytes.Equal(got.raw, wantRaw) {
				t.Errorf("%s %s: %d %s, want the answer to an unknown value: %d %s", field, v, got.status, got.raw, none.status, wantRaw)
			}
		}
	}
	if n := len(s.get("/v1/disputes").list()); n != 0 {
		t.Errorf("%d disputes after refused creates", n)
	}
}

// TestPartyListsAsItsRole checks that a party's lists hold exactly what it may open one by one:
// a buyer key lists the orders and disputes where its id is the customer, even where a
// marketplace uses the same id as the vendor of other orders, which a vendor key of that id
// lists instead.
func TestPartyListsAsItsRole(t *testing.T) {
	t.Parallel()
	s := startServer(t, "sqlite", nil)
	ada := s.post("/v1/customers", map[string]any{"email": "ada@example.com"}).str("id")
	bob := s.post("/v1/customers", map[string]any{"email": "bob@example.com"}).str("id")
	bought := s.marketplaceOf(ada, "ven_1", "never arrived") // Ada buys from a vendor
	sold := s.marketplaceOf(bob, ada, "broken on arrival")   // and sells to Bob under her customer id
	for _, tt := range []struct {
		role        actor.Role
		mine, other string
	}{{actor.Buyer, bought, sold}, {actor.Vendor, sold, bought}} {
		me := s.as(s.newKey(tt.role, ada))
		ord := s.get("/v1/disputes/" + tt.mine).str("order_id")
		if got := me.get("/v1/disputes").ids(); !slices.Equal(got, []string{tt.mine}) {
			t.Errorf("%s %s lists disputes %v, want only %s", tt.role, ada, got, tt.mine)
		}
		if got := me.get("/v1/orders").ids(); !slices.Equal(got, []string{ord}) {
			t.Errorf("%s %s lists orders %v, want only %s", tt.role, ada, got, ord)
		}
		want(t, me.get("/v1/disputes/"+tt.mine), 200)
		want(t, me.get("/v1/disputes/"+tt.other), 404, "not_found")
	}
}
