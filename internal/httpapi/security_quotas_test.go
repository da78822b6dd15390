package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/httpapi"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

// The security tests of quotas and bounds: each reproduces an attack or an accident that once
// worked, through the API and through the admin UI and the portal the same server serves.

// quotaMarketplaceDispute is a marketplace dispute a buyer opened on a sale of one service line.
func quotaMarketplaceDispute(e *testenv.Env) (dispute.Dispute, testenv.Sale) {
	e.T.Helper()
	s := e.ManualSale("svc-1")
	return e.Dispute(s, "marketplace", func(p *app.DisputeParams) { p.Description = "not as described" }), s
}

// TestSecuritySumsOverflowSafe: two disputes of 4,611,686,018,427,387,904 USD (written straight
// into the database, as an older version let them in) overflowed the dashboard's sum and every
// admin got 500 on /. Every page and list must still answer, the sum marked as over.
func TestSecuritySumsOverflowSafe(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		now := e.Clock.Now().UTC().Truncate(time.Millisecond)
		err := e.Store.Tx(e.Ctx, func(tx store.Tx) error {
			for _, id := range []string{"dsp_huge1", "dsp_huge2"} {
				d := dispute.Dispute{ID: id, Type: dispute.Chargeback, Status: dispute.NeedsResponse, Stage: dispute.StageChargeback,
					Reason: "fraudulent", Amount: 1 << 62, Currency: "USD", HappenedAt: now, DueBy: now.Add(time.Hour),
					Evidence: map[string]string{}, Metadata: map[string]string{}, Revision: 1, CreatedAt: now, UpdatedAt: now}
				if err := tx.InsertDispute(e.Ctx, d); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		f := e.Forms(c, actor.Admin, "")
		if a := f.Get("/"); a.Status != 200 || !strings.Contains(a.Body, "over 92233720368547758.07 USD") {
			t.Fatalf("the dashboard: %d, without the amount at risk marked over: %.2000s", a.Status, a.Body)
		}
		for _, path := range []string{"/disputes", "/disputes?sort=amount", "/disputes/dsp_huge1"} {
			if a := f.Get(path); a.Status != 200 {
				t.Errorf("%s: %d %.300s", path, a.Status, a.Body)
			}
		}
		for _, path := range []string{"/v1/disputes", "/v1/disputes?status=needs_response"} {
			testenv.WantStatus(t, c.Get(path), 200)
		}
		if d := testenv.Want[httpapi.Dispute](t, c.Get("/v1/disputes/dsp_huge2"), 200); d.Amount != 1<<62 {
			t.Errorf("dsp_huge2 reads as %d", d.Amount)
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
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		doc, _ := servedOpenAPI(t, c)
		walked := 0
		for op, o := range doc.operations(t) {
			path, get := strings.CutPrefix(op, "GET ")
			if !get {
				continue
			}
			for _, p := range o.Parameters {
				if p.In != "query" || p.Schema.Type != "string" {
					continue
				}
				walked++
				target := strings.NewReplacer("{id}", "x", "{name}", "x").Replace(path) + "?" + url.Values{p.Name: {long}}.Encode()
				r := c.Get(target)
				var refusal httpapi.ErrorBody
				_ = json.Unmarshal(r.Raw, &refusal) // a 500 may not be JSON: the status says enough then
				if r.Status != 422 || refusal.Error.Code != "invalid_value" || refusal.Error.Param != p.Name {
					t.Errorf("GET %s with %s of 50,000 characters: %d %.300s; want 422 invalid_value naming %s", path, p.Name, r.Status, r.Raw, p.Name)
				}
			}
		}
		if walked < 15 {
			t.Fatalf("only %d string query parameters in the OpenAPI document", walked)
		}
		f := e.Forms(c, actor.Admin, "")
		for _, page := range []struct {
			path   string
			params []string
		}{
			{"/disputes", []string{"q", "status", "type", "provider", "tag", "due", "due_before", "sort", "page"}},
			{"/jobs", []string{"kind", "state", "page"}},
			{"/orders/find", []string{"id"}},
		} {
			for _, name := range page.params {
				a := f.Get(page.path + "?" + url.Values{name: {long}}.Encode())
				if a.Status >= 500 || a.Status == 200 && strings.Contains(a.Body, long) {
					t.Errorf("GET %s with %s of 50,000 characters: %d %.300s", page.path, name, a.Status, a.Body)
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
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		if l := testenv.Want[httpapi.Settings](t, c.Get("/v1/settings"), 200).EvidenceLimits; l.PartyItems != 50 || l.TotalBytes != 100<<20 {
			t.Errorf("default evidence limits: %+v", l)
		}
		for field, limits := range map[string]map[string]any{
			"evidence_limits.party_items": {"party_items": 0},
			"evidence_limits.total_bytes": {"total_bytes": int64(1) << 40},
			"evidence_limits.party_bytes": {"party_bytes": 60 << 20, "total_bytes": 50 << 20},
		} {
			testenv.WantError(t, c.Post("/v1/settings", map[string]any{"evidence_limits": limits}), 422, "invalid_value", field)
		}
		limits := map[string]any{"party_items": 3, "party_bytes": 2000, "total_items": 5, "total_bytes": 3000}
		if l := testenv.Want[httpapi.Settings](t, c.Post("/v1/settings", map[string]any{"evidence_limits": limits}), 200).EvidenceLimits; l.TotalItems != 5 || l.PartyBytes != 2000 {
			t.Fatalf("saved evidence limits: %+v", l)
		}

		d, sale := quotaMarketplaceDispute(e)
		evidence := "/v1/disputes/" + d.ID + "/evidence"
		buyer := c.As(e.NewKey(actor.Buyer, sale.Customer.ID))
		text := func(c *testenv.Client, content string) testenv.Response {
			return c.Post(evidence, map[string]any{"type": "text", "content": content})
		}
		for i := range 3 {
			testenv.WantStatus(t, text(buyer, fmt.Sprintf("message %d", i)), 201)
		}
		r := text(buyer, "a fourth")
		if err := testenv.WantError(t, r, 422, "evidence_limit_reached", "evidence_limits.party_items"); !strings.Contains(err.Message, "3") {
			t.Errorf("the refusal does not name the limit and its figures: %s", r.Raw)
		}
		testenv.WantError(t, text(c, strings.Repeat("x", 2001)), 422, "evidence_limit_reached", "evidence_limits.party_bytes")

		// The staff's form in the admin UI and the buyer's in the portal meet the same limits.
		admin := e.Forms(c, actor.Admin, "")
		testenv.WantStatus(t, text(c, "staff note"), 201)
		pdf := append([]byte("%PDF-1.4\n"), make([]byte, 2000)...)
		if a := admin.Upload("/disputes/"+d.ID+"/evidence", admin.Signed(url.Values{"type": {"file"}}), "big.pdf", pdf); a.Status != 422 || !strings.Contains(a.Body, "a party may add 2000") {
			t.Errorf("the admin form over the staff's bytes: %d, without the limit in the page", a.Status)
		}
		portal := e.Forms(c, actor.Buyer, sale.Customer.ID)
		if a := portal.Post("/portal/disputes/"+d.ID+"/evidence", portal.Signed(url.Values{"type": {"text"}, "content": {"from the portal"}})); a.Status != 422 || !strings.Contains(a.Body, "a party may add 3") {
			t.Errorf("the portal form over the buyer's items: %d, without the limit in the page", a.Status)
		}

		// The buyer and the staff hold 5 items, the total: the staff, who decide the case, may still
		// add up to their own allowance of 3. One place is left to them: of several additions at
		// once, exactly one gets it.
		testenv.WantStatus(t, text(c, "staff note once the total is reached"), 201)
		const racers = 6
		results := make(chan testenv.Response, racers)
		errs := make(chan error, racers)
		for range racers {
			go func() {
				r, err := c.Send("POST", evidence, map[string]any{"type": "text", "content": "racing"})
				results <- r
				errs <- err
			}()
		}
		won := 0
		for range racers {
			r, err := <-results, <-errs
			switch {
			case err != nil:
				t.Errorf("a racer: %v", err)
			case r.Status == 201:
				won++
			case r.Status == 422:
				if testenv.Decode[httpapi.ErrorBody](t, r).Error.Code != "evidence_limit_reached" {
					t.Errorf("a racer refused with %s", r.Raw)
				}
			default:
				t.Errorf("a racer: %d %s", r.Status, r.Raw)
			}
		}
		if won != 1 {
			t.Errorf("%d additions took the last place, want 1", won)
		}
		if items := testenv.Want[httpapi.List[httpapi.EvidenceItem]](t, c.Get(evidence+"?limit=100"), 200).Data; len(items) != 6 {
			t.Errorf("the dispute holds %d items, want 6: the buyer's 3 and the staff's 3", len(items))
		}
	})
}

// TestSecurityEvidencePagesBounded: 2,000 text items of 20,000 characters made the admin dispute
// page 41 MB. The API lists evidence a page at a time, the dispute object embeds none of it, and
// the admin and portal pages show a page of items with long texts cut, linking on.
func TestSecurityEvidencePagesBounded(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		d, sale := quotaMarketplaceDispute(e)
		evidence := "/v1/disputes/" + d.ID + "/evidence"
		long := func(i int) string { return fmt.Sprintf("%04d", i) + strings.Repeat("z", 19996) }
		const n = 45
		for i := range n {
			testenv.WantStatus(t, c.Post(evidence, map[string]any{"type": "text", "content": long(i)}), 201)
		}
		var ids []string
		cursor := ""
		for pages := 0; ; pages++ {
			page := testenv.Want[httpapi.List[httpapi.EvidenceItem]](t, c.Get(evidence+"?limit=20&cursor="+cursor), 200)
			if got := len(page.Data); got > 20 {
				t.Fatalf("a page of 20 holds %d items", got)
			}
			for _, it := range page.Data {
				ids = append(ids, it.ID)
			}
			if !page.HasMore {
				break
			}
			cursor = *page.NextCursor
			if pages > 5 {
				t.Fatal("the cursor walk does not end")
			}
		}
		if len(ids) != n || testenv.Want[httpapi.List[httpapi.EvidenceItem]](t, c.Get(evidence), 200).HasMore {
			t.Errorf("the walk found %d items, want %d", len(ids), n)
		}
		if r := c.Get("/v1/disputes/" + d.ID); len(r.Raw) > 16<<10 {
			t.Errorf("the dispute object is %d bytes", len(r.Raw))
		}

		for _, f := range []struct {
			forms *testenv.Forms
			path  string
		}{{e.Forms(c, actor.Admin, ""), "/disputes/" + d.ID}, {e.Forms(c, actor.Buyer, sale.Customer.ID), "/portal/disputes/" + d.ID}} {
			a := f.forms.Get(f.path)
			if a.Status != 200 || len(a.Body) > 200<<10 {
				t.Errorf("%s: %d, %d bytes", f.path, a.Status, len(a.Body))
			}
			if strings.Contains(a.Body, long(0)) || !strings.Contains(a.Body, long(0)[:evidenceCutForTest]) || !strings.Contains(a.Body, "evidence_page=2") {
				t.Errorf("%s: the first item is not cut, or there is no link to the next items", f.path)
			}
			if body := f.forms.Get(f.path + "?evidence_page=3").Body; !strings.Contains(body, long(n - 1)[:evidenceCutForTest]) || strings.Contains(body, long(0)[:8]) {
				t.Errorf("%s?evidence_page=3 does not show the last items alone", f.path)
			}
			if body := f.forms.Get(f.path + "?evidence_page=1&full=" + ids[1]).Body; !strings.Contains(body, long(1)) || strings.Contains(body, long(2)) {
				t.Errorf("%s: the link to an item whole does not show it whole, alone", f.path)
			}
		}
	})
}

// evidenceCutForTest is where the pages cut an item's text (internal/web's evidenceCut).
const evidenceCutForTest = 2000
