package web_test

import (
	"encoding/csv"
	"html"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/testenv"
)

// exportLink finds the disputes page's Export CSV link.
var exportLink = regexp.MustCompile(`id="export-disputes" href="([^"]+)"`)

// TestExportButtons downloads, as a signed-in agent, the disputes the list's filters show (its
// Export link carries them) and the transactions of a range of days, and checks that a party's
// session gets neither.
func TestExportButtons(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		var chargebacks []string
		for i := range 5 {
			e.Clock.Advance(time.Hour)
			typ := "chargeback"
			if i == 2 {
				typ = "inquiry"
			}
			d := e.Dispute(e.Sale(testenv.SaleParams{}), typ, func(p *app.DisputeParams) { p.Description = "@SUM(1,2)" })
			if typ == "chargeback" {
				chargebacks = append(chargebacks, d.ID)
			}
		}
		e.User("admin@example.com", actor.Admin, "") // past the first-admin setup
		agent := e.Forms(c, actor.Agent, "")

		list := agent.Get("/disputes?type=chargeback&page=1")
		m := exportLink.FindStringSubmatch(list.Body)
		if m == nil {
			t.Fatalf("no Export link on the disputes page:\n%s", list.Body)
		}
		link := html.UnescapeString(m[1])
		if link != "/disputes.csv?type=chargeback" {
			t.Errorf("Export link = %q, want the page's filters without its page", link)
		}
		got := agent.Get(link)
		if got.Status != 200 {
			t.Fatalf("export: %d %s", got.Status, got.Body)
		}
		rows, err := csv.NewReader(strings.NewReader(got.Body)).ReadAll()
		if err != nil || len(rows) < 1 {
			t.Fatalf("not CSV (%v): %q", err, got.Body)
		}
		var ids []string
		for _, r := range rows[1:] {
			ids = append(ids, r[0])
			if desc := r[slices.Index(rows[0], "description")]; desc != "'@SUM(1,2)" {
				t.Errorf("description exported as %q", desc)
			}
		}
		slices.Reverse(chargebacks)
		if !slices.Equal(ids, chargebacks) {
			t.Errorf("exported %v, want the chargebacks newest first %v", ids, chargebacks)
		}

		today := e.Clock.Now().Format(time.DateOnly)
		tx := agent.Get("/transactions.csv?from=" + today + "&to=" + today)
		if lines := strings.Count(tx.Body, "\r\n"); tx.Status != 200 || lines != 1+5 {
			t.Errorf("today's transactions: %d, %d lines:\n%s", tx.Status, lines, tx.Body)
		}
		none := agent.Get("/transactions.csv?to=2000-01-01")
		if lines := strings.Count(none.Body, "\r\n"); none.Status != 200 || lines != 1 {
			t.Errorf("no transactions: %d, %d lines:\n%s", none.Status, lines, none.Body)
		}
		if bad := agent.Get("/transactions.csv?from=" + today + "&to=2000-01-01"); bad.Status != 422 || !strings.Contains(bad.Body, "The last day is before the first.") {
			t.Errorf("a backwards range: %d\n%s", bad.Status, bad.Body)
		}

		buyer := e.Forms(c, actor.Buyer, "cus_nobody")
		if a := buyer.Get("/disputes.csv"); a.Status != 303 {
			t.Errorf("a buyer's session exported disputes: %d", a.Status)
		}
	})
}
