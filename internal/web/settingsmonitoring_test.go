package web_test

import (
	"net/url"
	"strings"
	"testing"

	"disputed/internal/actor"
	"disputed/internal/httpapi"
	"disputed/internal/testenv"
)

// TestSettingsPageMonitoring: the settings page shows the shipped monitoring thresholds in
// percent; an admin saves a row of its own and a warning level, as /v1/settings then has them;
// a bad ratio is shown beside the fieldset, nothing saved; unticking "my own rows" restores the
// shipped ones.
func TestSettingsPageMonitoring(t *testing.T) {
	t.Parallel()
	e := testenv.New(t, "sqlite", testenv.Options{})
	c := e.Serve()
	f := e.Forms(c, actor.Admin, "")
	page := f.Get("/settings")
	for _, w := range []string{`id="settings-monitoring"`, `name="monitoring_program" value="vamp"`, `name="monitoring_ratio" inputmode="decimal" value="1.5"`, `name="monitoring_ratio" inputmode="decimal" value="2.2"`,
		`name="monitoring_effective" type="date" value="2026-04-01"`, `name="monitoring_approach" inputmode="decimal" value="75"`} {
		if !strings.Contains(page.Body, w) {
			t.Errorf("the settings page lacks %s", w)
		}
	}
	form := url.Values{"merchant_name": {"Shop"}, "reminder_offsets": {"72h"}, "party_items": {"50"}, "party_bytes": {"52428800"},
		"total_items": {"150"}, "total_bytes": {"104857600"}, "monitoring_shown": {"yes"}, "monitoring_own": {"yes"},
		"monitoring_approach": {"60"},
		"monitoring_network":  {"visa", ""}, "monitoring_program": {"vamp", ""}, "monitoring_tier": {"acquirer", ""},
		"monitoring_ratio": {"0.9", ""}, "monitoring_min_count": {"5", ""}, "monitoring_effective": {"2026-01-01", ""},
		"monitoring_source": {"our acquirer's letter", ""}}
	if a := f.Post("/settings", f.Signed(form)); a.Status != 303 && a.Status != 200 {
		t.Fatalf("saving: %d %s", a.Status, a.Body)
	}
	got := testenv.Want[httpapi.Settings](t, c.Get("/v1/settings"), 200)
	want := httpapi.MonitoringRow{Network: "visa", Program: "vamp", Tier: "acquirer", Ratio: 0.009, MinCount: 5, Effective: "2026-01-01", Source: "our acquirer's letter"}
	if got.MonitoringPrograms == nil || len(got.MonitoringPrograms.Rows) != 1 || got.MonitoringPrograms.Rows[0] != want || got.MonitoringApproach != 0.6 {
		t.Fatalf("saved monitoring thresholds %+v, approach %v", got.MonitoringPrograms, got.MonitoringApproach)
	}
	form.Set("monitoring_ratio", "a lot")
	if a := f.Post("/settings", f.Signed(form)); a.Status != 422 || !strings.Contains(a.Body, "monitoring_programs[0].ratio") {
		t.Errorf("a bad ratio: %d", a.Status)
	}
	form.Set("monitoring_ratio", "0.9")
	form.Del("monitoring_own")
	f.Post("/settings", f.Signed(form))
	if got := testenv.Want[httpapi.Settings](t, c.Get("/v1/settings"), 200); got.MonitoringPrograms != nil || got.MonitoringApproach != 0.6 {
		t.Errorf("after unticking: thresholds %+v, approach %v", got.MonitoringPrograms, got.MonitoringApproach)
	}
}
