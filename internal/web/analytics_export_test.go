package web_test

import (
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"disputed/internal/actor"
	"disputed/internal/testenv"
)

// TestAnalyticsExportOutcomes: the Analytics page's Export outcomes form downloads the period's
// outcomes grouped as chosen, for admins alone.
func TestAnalyticsExportOutcomes(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		e.OutcomeDisputes()
		admin := e.Forms(c, actor.Admin, "")
		page := admin.Get("/analytics?month=2026-02")
		for _, want := range []string{`action="/analytics/outcomes.csv"`, `name="month" value="2026-02"`, `<option value="reason_category">reason category</option>`} {
			if !strings.Contains(page.Body, want) {
				t.Errorf("the Analytics page lacks %s", want)
			}
		}

		got := admin.Get("/analytics/outcomes.csv?month=2026-02&group_by=reason_category")
		rows, err := csv.NewReader(strings.NewReader(got.Body)).ReadAll()
		if got.Status != 200 || err != nil || len(rows) < 2 {
			t.Fatalf("export: %d %v\n%s", got.Status, err, got.Body)
		}
		head := rows[0]
		at := func(r []string, name string) string { return r[slices.Index(head, name)] }
		counts := map[string]string{}
		for _, r := range rows[1:] {
			if at(r, "row") == "group" && at(r, "amounts") == "reporting" {
				counts[at(r, "reason_category")] = at(r, "disputes") + " " + at(r, "won") + "/" + at(r, "lost") + "/" + at(r, "accepted")
			}
		}
		// The twelve months to February 2026 hold testenv.OutcomeMonth's five disputes and the one
		// just before it: four of fraud (two won, one lost, one conceded), two consumer disputes
		// (one won, one open).
		want := map[string]string{"fraud": "4 2/1/1", "consumer_dispute": "2 1/0/0"}
		for k, v := range want {
			if counts[k] != v {
				t.Errorf("%s: %q, want %q (all: %v)", k, counts[k], v, counts)
			}
		}

		if bad := admin.Get("/analytics/outcomes.csv?month=2026-02&group_by=colour"); bad.Status != 422 || !strings.Contains(bad.Body, "group_by") {
			t.Errorf("an unknown grouping: %d\n%s", bad.Status, bad.Body)
		}
		agent := e.Forms(c, actor.Agent, "")
		if a := agent.Get("/analytics/outcomes.csv?month=2026-02"); a.Status != 403 {
			t.Errorf("an agent exported outcomes: %d", a.Status)
		}
	})
}
