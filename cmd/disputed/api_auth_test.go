package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"net/http"
	"os"
	"slices"
	"testing"

	"disputed/internal/actor"
)

// TestAuthRequired checks that every API route needs a valid key and that the public ones do not.
func TestAuthRequired(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		_, ord, _ := s.sale(1000, "usd")
		for _, c := range []struct{ method, path string }{
			{"GET", "/v1/disputes"}, {"GET", "/v1/orders/" + ord}, {"POST", "/v1/orders"}, {"GET", "/v1/events"},
			{"POST", "/v1/blocklist"}, {"GET", "/v1/settings"}, {"GET", "/v1/nonexistent"},
		} {
			var body any
			if c.method == "POST" {
				body = map[string]any{}
			}
			none := s.call(c.method, c.path, body, "Authorization", "")
			want(t, none, 401, "unauthenticated")
			wantErrorBody(t, none)
			bad := s.call(c.method, c.path, body, "Authorization", "Bearer sk_not_a_key_at_all_0000")
			want(t, bad, 401, "invalid_api_key")
			basic := s.call(c.method, c.path, body, "Authorization", "Basic "+testAdminKey)
			want(t, basic, 401)
		}
		// The refused POST created nothing.
		if n := len(s.get("/v1/orders").list()); n != 1 {
			t.Errorf("%d orders after refused creates, want 1", n)
		}
		for _, p := range []string{"/healthz", "/readyz", "/metrics", "/openapi.json"} {
			want(t, s.call("GET", p, nil, "Authorization", ""), 200)
		}
	})
}

// TestAgentRole checks that an agent works disputes but may not touch settings or void orders.
func TestAgentRole(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		agent := s.as(s.newKey(actor.Agent, ""))
		_, ord, charge := agent.sale(1000, "usd")

		want(t, agent.get("/v1/settings"), 403, "forbidden")
		want(t, agent.post("/v1/settings", map[string]any{"block_on_dispute": true}), 403, "forbidden")
		if s.get("/v1/settings").get("block_on_dispute") != false {
			t.Errorf("an agent changed the settings")
		}
		want(t, agent.post("/v1/orders/"+ord+"/void", map[string]any{"reason": "fraud"}), 403, "forbidden")
		if st := s.get("/v1/orders/" + ord).str("status"); st != "completed" {
			t.Errorf("order %s after an agent's void, want completed", st)
		}

		d := agent.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": charge})
		want(t, d, 201)
		id := d.str("id")
		u := agent.post("/v1/disputes/"+id, map[string]any{"revision": d.num("revision"), "evidence": map[string]any{"product_description": "IPTV"}})
		want(t, u, 200)
		want(t, agent.post("/v1/disputes/"+id+"/notes", map[string]any{"body": "called the bank"}), 201)
		want(t, agent.get("/v1/disputes/"+id+"/notes"), 200)
		want(t, agent.post("/v1/disputes/"+id+"/submit", nil), 200)
		won := agent.post("/v1/disputes/"+id+"/resolve", map[string]any{"resolution": "won"})
		want(t, won, 200)
		if won.str("resolved_by") == "" || won.str("status") != "won" {
			t.Errorf("agent's resolution: %s", won.raw)
		}
		want(t, agent.get("/v1/disputes/"+id+"/timeline"), 200)
		want(t, agent.get("/v1/events"), 200)
	})
}

// party sets up two customers' orders (one through a vendor) with disputes, for the portal
// roles' tests.
type party struct {
	mine, minesCharge, theirs, theirsCharge string // order ids and charges
	customer, vendor                        string
	theirDispute                            string
}

func (s *server) parties(vendor string) party {
	s.t.Helper()
	var p party
	mk := func(vendorID string) (string, string, string) {
		c := s.post("/v1/customers", map[string]any{"email": "p@example.com"})
		want(s.t, c, 201)
		o := s.post("/v1/orders", map[string]any{"customer_id": c.str("id"), "vendor_id": vendorID, "currency": "EUR",
			"items": []any{map[string]any{"description": "box", "amount": 4000}}})
		want(s.t, o, 201)
		want(s.t, s.post("/v1/orders/"+o.str("id")+"/complete", nil), 200)
		ch := s.post("/v1/transactions", map[string]any{"type": "charge", "amount": 4000, "currency": "eur", "order_id": o.str("id")})
		want(s.t, ch, 201)
		return c.str("id"), o.str("id"), ch.str("id")
	}
	p.vendor = vendor
	p.customer, p.mine, p.minesCharge = mk(vendor)
	_, p.theirs, p.theirsCharge = mk("ven_other")
	d := s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": p.theirsCharge})
	want(s.t, d, 201)
	p.theirDispute = d.str("id")
	return p
}

// TestPortalRoles checks what buyer and vendor keys see and may do: only their own orders and
// disputes, no notes or timeline, marketplace disputes on their own orders as their own side, and
// evidence only while the dispute is open.
func TestPortalRoles(t *testing.T) {
	t.Parallel()
	for _, role := range []actor.Role{actor.Buyer, actor.Vendor} {
		t.Run(string(role), func(t *testing.T) {
			t.Parallel()
			eachStore(t, func(t *testing.T, s *server) {
				p := s.parties("ven_" + string(role))
				partyID := p.customer
				if role == actor.Vendor {
					partyID = p.vendor
				}
				me := s.as(s.newKey(role, partyID))

				// Others' objects do not exist for this key; lists hold only its own.
				want(t, me.get("/v1/orders/"+p.theirs), 404, "not_found")
				want(t, me.get("/v1/disputes/"+p.theirDispute), 404, "not_found")
				want(t, me.get("/v1/transactions/"+p.theirsCharge), 404, "not_found")
				want(t, me.get("/v1/orders/"+p.mine), 200)
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
				want(t, me.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": p.minesCharge}), 403, "forbidden")
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

				// Internal notes and the audit trail are staff-only.
				want(t, s.post("/v1/disputes/"+id+"/notes", map[string]any{"body": "internal: likely fraud"}), 201)
				want(t, me.get("/v1/disputes/"+id+"/notes"), 403, "forbidden")
				want(t, me.post("/v1/disputes/"+id+"/notes", map[string]any{"body": "hi"}), 403, "forbidden")
				want(t, me.get("/v1/disputes/"+id+"/timeline"), 403, "forbidden")
				want(t, me.get("/v1/orders/"+p.mine+"/timeline"), 403, "forbidden")
				if bytes.Contains(me.get("/v1/disputes/"+id).raw, []byte("likely fraud")) {
					t.Errorf("the %s's view of the dispute shows the admin note", role)
				}
				// Nor may a party decide or move its dispute, or change it directly.
				want(t, me.post("/v1/disputes/"+id+"/resolve", map[string]any{"resolution": "full_refund"}), 403, "forbidden")
				want(t, me.post("/v1/disputes/"+id+"/status", map[string]any{"status": "pending_review"}), 403, "forbidden")
				want(t, me.post("/v1/disputes/"+id, map[string]any{"revision": 1, "tags": []string{"x"}}), 403, "forbidden")
				want(t, me.get("/v1/events"), 403, "forbidden")
				want(t, me.get("/v1/blocklist"), 403, "forbidden")

				// Evidence while open, as the party; not on others' disputes.
				ev := me.post("/v1/disputes/"+id+"/evidence", map[string]any{"type": "text", "content": "tracking shows no delivery"})
				want(t, ev, 201)
				if ev.str("party") != string(role) {
					t.Errorf("evidence party %q, want %s: %s", ev.str("party"), role, ev.raw)
				}
				want(t, me.post("/v1/disputes/"+p.theirDispute+"/evidence", map[string]any{"type": "text", "content": "x"}), 404)
				rev := s.get("/v1/disputes/" + id).num("revision")
				want(t, s.post("/v1/disputes/"+id+"/status", map[string]any{"status": "pending_review", "note": "reviewing"}), 200)
				late := me.post("/v1/disputes/"+id+"/evidence", map[string]any{"type": "text", "content": "one more thing"})
				want(t, late, 409, "invalid_state")
				want(t, s.post("/v1/disputes/"+id+"/evidence", map[string]any{"type": "text", "content": "admin adds"}), 201)
				list := me.get("/v1/disputes/" + id + "/evidence")
				want(t, list, 200)
				if n := len(list.list()); n != 2 {
					t.Errorf("%d evidence items, want 2 (the party's and the admin's): %s", n, list.raw)
				}
				if got := s.get("/v1/disputes/" + id).num("revision"); got != rev+2 {
					t.Errorf("revision %d, want %d: the refused evidence must not count", got, rev+2)
				}
			})
		})
	}
}

// TestPartyKeyWithoutParty checks that buyer and vendor keys must name their party.
func TestPartyKeyWithoutParty(t *testing.T) {
	t.Parallel()
	s := startServer(t, "sqlite", nil)
	for _, role := range []actor.Role{actor.Buyer, actor.Vendor} {
		if _, _, err := s.main.app.CreateAPIKey(context.Background(), role, "", ""); err == nil {
			t.Errorf("a %s key without a party was created", role)
		}
	}
	if _, _, err := s.main.app.CreateAPIKey(context.Background(), actor.Agent, "cus_1", ""); err == nil {
		t.Errorf("an agent key bound to a party was created")
	}
}

// TestAPIKeyCommand creates keys with `disputed apikey create` against the server's database,
// and checks that they work at once and that only their hashes are stored.
func TestAPIKeyCommand(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		db := s.main.Config.DB
		env := func(string) string { return "" }
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
