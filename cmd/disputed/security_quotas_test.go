package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"disputed/internal/actor"
	"disputed/internal/dispute"
	"disputed/internal/store"
)

// unchargedSale is a completed order of amount in cur with no charge recorded; it returns the
// customer and the order.
func (s *testServer) unchargedSale(amount int64, cur string) (string, string) {
	s.t.Helper()
	c := s.post("/v1/customers", map[string]any{"email": "ada@example.com", "name": "Ada"})
	want(s.t, c, 201)
	o := s.post("/v1/orders", map[string]any{"customer_id": c.str("id"), "currency": cur,
		"items": []any{map[string]any{"description": "IPTV 12 months", "amount": amount, "quantity": 1}}})
	want(s.t, o, 201)
	want(s.t, s.post("/v1/orders/"+o.str("id")+"/complete", nil), 200)
	return c.str("id"), o.str("id")
}

// TestSecurityDisputeAmountCapped: a buyer opened a marketplace dispute for
// 4,611,686,018,427,387,904 USD on a 15.00 order. No path may set a dispute's amount above what
// it disputes: the charge, or the order's total when no charge is recorded.
func TestSecurityDisputeAmountCapped(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		customer, ord := s.unchargedSale(1500, "USD")
		buyer := s.as(s.newKey(actor.Buyer, customer))
		r := buyer.post("/v1/disputes", map[string]any{"type": "marketplace", "order_id": ord, "amount": int64(4611686018427387904)})
		want(t, r, 422, "invalid_amount")
		if r.str("error", "param") != "amount" {
			t.Errorf("the refusal names %q, want amount: %s", r.str("error", "param"), r.raw)
		}
		want(t, s.post("/v1/disputes", map[string]any{"type": "manual", "order_id": ord, "reason": "general", "description": "letter", "amount_decimal": "15.01"}), 422, "invalid_amount")
		if l := s.get("/v1/disputes?order_id=" + ord); len(l.list()) != 0 {
			t.Fatalf("a refused dispute was stored: %s", l.raw)
		}
		d := buyer.post("/v1/disputes", map[string]any{"type": "marketplace", "order_id": ord})
		want(t, d, 201)
		if d.num("amount") != 1500 {
			t.Errorf("a marketplace dispute without an amount is for %d, want the order's 1500", d.num("amount"))
		}
		_, _, charge := s.sale(1295, "USD")
		want(t, s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": charge, "amount": 1296}), 422, "invalid_amount")
	})
}

// TestSecuritySumsOverflowSafe: two disputes of 4,611,686,018,427,387,904 USD (written straight
// into the database, as an older version let them in) overflowed the dashboard's sum and every
// admin got 500 on /. Every page and list must still answer, the sum marked as over.
func TestSecuritySumsOverflowSafe(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		ctx := context.Background()
		now := time.Now().UTC().Truncate(time.Millisecond)
		err := s.main.store.Tx(ctx, func(tx store.Tx) error {
			for _, id := range []string{"dsp_huge1", "dsp_huge2"} {
				d := dispute.Dispute{ID: id, Type: dispute.Chargeback, Status: dispute.NeedsResponse, Stage: dispute.StageChargeback,
					Reason: "fraudulent", Amount: 1 << 62, Currency: "USD", HappenedAt: now, DueBy: now.Add(time.Hour),
					Evidence: map[string]string{}, Metadata: map[string]string{}, Revision: 1, CreatedAt: now, UpdatedAt: now}
				if err := tx.InsertDispute(ctx, d); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		f := s.adminForms(t, actor.Admin)
		status, body, _ := f.get("/")
		if status != 200 || !strings.Contains(body, "over 92233720368547758.07 USD") {
			t.Fatalf("the dashboard: %d, without the amount at risk marked over: %.2000s", status, body)
		}
		for _, path := range []string{"/disputes", "/disputes?sort=amount", "/disputes/dsp_huge1"} {
			if status, body, _ := f.get(path); status != 200 {
				t.Errorf("%s: %d %.300s", path, status, body)
			}
		}
		for _, path := range []string{"/v1/disputes", "/v1/disputes?status=needs_response", "/v1/disputes/dsp_huge2"} {
			want(t, s.get(path), 200)
		}
	})
}

// TestSecurityStringFiltersBounded: q of 50,000 characters answered 500. Every string query
// parameter of every GET route of the API, read from its OpenAPI document, is bounded: such a
// value is 422 invalid_value naming the parameter, and every filter of the UI's pages answers
// its page, never a 500.
func TestSecurityStringFiltersBounded(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", 50000)
	eachStore(t, func(t *testing.T, s *testServer) {
		var doc struct {
			Paths map[string]map[string]struct {
				Parameters []struct {
					Name, In string
					Schema   struct{ Type string }
				}
			}
		}
		if err := json.Unmarshal(s.get("/openapi.json").raw, &doc); err != nil {
			t.Fatal(err)
		}
		walked := 0
		for path, ops := range doc.Paths {
			get, ok := ops["get"]
			if !ok {
				continue
			}
			for _, p := range get.Parameters {
				if p.In != "query" || p.Schema.Type != "string" {
					continue
				}
				walked++
				target := strings.NewReplacer("{id}", "x", "{name}", "x").Replace(path) + "?" + url.Values{p.Name: {long}}.Encode()
				r := s.get(target)
				if r.status != 422 || r.errCode() != "invalid_value" || r.str("error", "param") != p.Name {
					t.Errorf("GET %s with %s of 50,000 characters: %d %.300s; want 422 invalid_value naming %s", path, p.Name, r.status, r.raw, p.Name)
				}
			}
		}
		if walked < 15 {
			t.Fatalf("only %d string query parameters in the OpenAPI document", walked)
		}
		f := s.adminForms(t, actor.Admin)
		for _, page := range []struct {
			path   string
			params []string
		}{
			{"/disputes", []string{"q", "status", "type", "provider", "tag", "due", "due_before", "sort", "page"}},
			{"/jobs", []string{"kind", "state", "page"}},
			{"/orders/find", []string{"id"}},
		} {
			for _, name := range page.params {
				status, body, _ := f.get(page.path + "?" + url.Values{name: {long}}.Encode())
				if status >= 500 || status == 200 && strings.Contains(body, long) {
					t.Errorf("GET %s with %s of 50,000 characters: %d %.300s", page.path, name, status, body)
				}
			}
		}
	})
}

// TestSecurityEvidenceQuotas: a buyer key uploaded 30 files of 10 MiB in 19 s. The merchant's
// settings cap each dispute's evidence per party and in total, in items and bytes; over a cap
// the API, the admin UI and the portal refuse with evidence_limit_reached and store nothing, and
// two additions racing for the last place cannot both have it.
func TestSecurityEvidenceQuotas(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		set := s.get("/v1/settings")
		if set.num("evidence_limits", "party_items") != 50 || set.num("evidence_limits", "total_bytes") != 100<<20 {
			t.Errorf("default evidence limits: %s", set.raw)
		}
		for field, limits := range map[string]map[string]any{
			"evidence_limits.party_items": {"party_items": 0},
			"evidence_limits.total_bytes": {"total_bytes": int64(1) << 40},
			"evidence_limits.party_bytes": {"party_bytes": 60 << 20, "total_bytes": 50 << 20},
		} {
			r := s.post("/v1/settings", map[string]any{"evidence_limits": limits})
			want(t, r, 422, "invalid_value")
			if r.str("error", "param") != field {
				t.Errorf("limits %v refused naming %q, want %s", limits, r.str("error", "param"), field)
			}
		}
		limits := map[string]any{"party_items": 3, "party_bytes": 2000, "total_items": 5, "total_bytes": 3000}
		set = s.post("/v1/settings", map[string]any{"evidence_limits": limits})
		want(t, set, 200)
		if set.num("evidence_limits", "total_items") != 5 || set.num("evidence_limits", "party_bytes") != 2000 {
			t.Fatalf("saved evidence limits: %s", set.raw)
		}

		id, ord, _ := s.marketplaceDispute(1500, false)
		customer := s.customerOf(ord)
		buyer := s.as(s.newKey(actor.Buyer, customer))
		text := func(c *testServer, content string) response {
			return c.post("/v1/disputes/"+id+"/evidence", map[string]any{"type": "text", "content": content})
		}
		for i := range 3 {
			want(t, text(buyer, fmt.Sprintf("message %d", i)), 201)
		}
		r := text(buyer, "a fourth")
		want(t, r, 422, "evidence_limit_reached")
		if r.str("error", "param") != "evidence_limits.party_items" || !strings.Contains(r.str("error", "message"), "3") {
			t.Errorf("the refusal does not name the limit and its figures: %s", r.raw)
		}
		r = text(s, strings.Repeat("x", 2001))
		want(t, r, 422, "evidence_limit_reached")
		if r.str("error", "param") != "evidence_limits.party_bytes" {
			t.Errorf("over a party's bytes: %s", r.raw)
		}

		// The staff's form in the admin UI and the buyer's in the portal meet the same limits.
		admin := s.adminForms(t, actor.Admin)
		want(t, text(s, "staff note"), 201)
		pdf := append([]byte("%PDF-1.4\n"), make([]byte, 2000)...)
		status, body, _ := admin.upload("/disputes/"+id+"/evidence", admin.signed(url.Values{"type": {"file"}}), "big.pdf", pdf)
		if status != 422 || !strings.Contains(body, "a party may add 2000") {
			t.Errorf("the admin form over the staff's bytes: %d, without the limit in the page", status)
		}
		portal := s.partyForms(t, actor.Buyer, customer)
		status, body, _ = portal.post("/portal/disputes/"+id+"/evidence", portal.signed(url.Values{"type": {"text"}, "content": {"from the portal"}}))
		if status != 422 || !strings.Contains(body, "a party may add 3") {
			t.Errorf("the portal form over the buyer's items: %d, without the limit in the page", status)
		}

		// The buyer and the staff hold 5 items, the total: the staff, who decide the case, may still
		// add up to their own allowance of 3. One place is left to them: of several additions at
		// once, exactly one gets it.
		want(t, text(s, "staff note once the total is reached"), 201)
		const racers = 6
		results := make(chan response, racers)
		for range racers {
			go func() { results <- text(s.on(t), "racing") }()
		}
		won := 0
		for range racers {
			switch r := <-results; r.status {
			case 201:
				won++
			case 422:
				if r.errCode() != "evidence_limit_reached" {
					t.Errorf("a racer refused with %s", r.raw)
				}
			default:
				t.Errorf("a racer: %d %s", r.status, r.raw)
			}
		}
		if won != 1 {
			t.Errorf("%d additions took the last place, want 1", won)
		}
		if items := s.get("/v1/disputes/" + id + "/evidence?limit=100").list(); len(items) != 6 {
			t.Errorf("the dispute holds %d items, want 6: the buyer's 3 and the staff's 3", len(items))
		}
	})
}

// TestSecurityEvidencePagesBounded: 2,000 text items of 20,000 characters made the admin dispute
// page 41 MB. The API lists evidence a page at a time, the dispute object embeds none of it, and
// the admin and portal pages show a page of items with long texts cut, linking on.
func TestSecurityEvidencePagesBounded(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		id, ord, _ := s.marketplaceDispute(1500, false)
		long := func(i int) string { return fmt.Sprintf("%04d", i) + strings.Repeat("z", 19996) }
		const n = 45
		for i := range n {
			want(t, s.post("/v1/disputes/"+id+"/evidence", map[string]any{"type": "text", "content": long(i)}), 201)
		}
		var ids []string
		cursor := ""
		for pages := 0; ; pages++ {
			r := s.get("/v1/disputes/" + id + "/evidence?limit=20&cursor=" + cursor)
			want(t, r, 200)
			if got := len(r.list()); got > 20 {
				t.Fatalf("a page of 20 holds %d items", got)
			}
			ids = append(ids, r.ids()...)
			if r.get("has_more") != true {
				break
			}
			cursor = r.str("next_cursor")
			if pages > 5 {
				t.Fatal("the cursor walk does not end")
			}
		}
		if len(ids) != n || s.get("/v1/disputes/"+id+"/evidence").get("has_more") != false {
			t.Errorf("the walk found %d items, want %d", len(ids), n)
		}
		if d := s.get("/v1/disputes/" + id); len(d.raw) > 16<<10 {
			t.Errorf("the dispute object is %d bytes", len(d.raw))
		}

		for _, f := range []struct {
			forms *adminForms
			path  string
		}{{s.adminForms(t, actor.Admin), "/disputes/" + id}, {s.partyForms(t, actor.Buyer, s.customerOf(ord)), "/portal/disputes/" + id}} {
			status, body, _ := f.forms.get(f.path)
			if status != 200 || len(body) > 200<<10 {
				t.Errorf("%s: %d, %d bytes", f.path, status, len(body))
			}
			if strings.Contains(body, long(0)) || !strings.Contains(body, long(0)[:evidenceCutForTest]) || !strings.Contains(body, "evidence_page=2") {
				t.Errorf("%s: the first item is not cut, or there is no link to the next items", f.path)
			}
			_, body, _ = f.forms.get(f.path + "?evidence_page=3")
			if !strings.Contains(body, long(n - 1)[:evidenceCutForTest]) || strings.Contains(body, long(0)[:8]) {
				t.Errorf("%s?evidence_page=3 does not show the last items alone", f.path)
			}
			_, body, _ = f.forms.get(f.path + "?evidence_page=1&full=" + ids[1])
			if !strings.Contains(body, long(1)) || strings.Contains(body, long(2)) {
				t.Errorf("%s: the link to an item whole does not show it whole, alone", f.path)
			}
		}
	})
}

// evidenceCutForTest is where the pages cut an item's text (internal/web's evidenceCut).
const evidenceCutForTest = 2000
