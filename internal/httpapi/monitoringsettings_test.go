package httpapi_test

import (
	"testing"

	"disputed/internal/httpapi"
	"disputed/internal/monitoring"
	"disputed/internal/testenv"
)

// TestMonitoringSettings: the shipped monitoring thresholds and approach are in force until the
// merchant saves its own, which a bad row or fraction cannot replace (the field named, nothing
// saved), and null restores the shipped thresholds.
func TestMonitoringSettings(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		st := testenv.Want[httpapi.Settings](t, c.Get("/v1/settings"), 200)
		if st.MonitoringPrograms != nil || st.MonitoringProgramsInForce.Version != monitoring.Default().Version ||
			len(st.MonitoringProgramsInForce.Rows) != len(monitoring.Default().Rows) || st.MonitoringApproach != 0.75 {
			t.Fatalf("defaults: %+v, in force %+v, approach %v", st.MonitoringPrograms, st.MonitoringProgramsInForce, st.MonitoringApproach)
		}
		acquirer := map[string]any{"network": "Visa", "program": "vamp", "tier": "acquirer", "ratio": 0.009, "min_count": 10,
			"effective": "2026-01-01", "source": "our acquirer's letter"}
		st = testenv.Want[httpapi.Settings](t, c.Post("/v1/settings", map[string]any{"monitoring_programs": []any{acquirer},
			"monitoring_approach": 0.5}), 200)
		want := httpapi.MonitoringRow{Network: "visa", Program: "vamp", Tier: "acquirer", Ratio: 0.009, MinCount: 10,
			Effective: "2026-01-01", Source: "our acquirer's letter"}
		if st.MonitoringPrograms == nil || st.MonitoringPrograms.Version != "settings" || len(st.MonitoringPrograms.Rows) != 1 ||
			st.MonitoringPrograms.Rows[0] != want || st.MonitoringProgramsInForce.Version != "settings" || st.MonitoringApproach != 0.5 {
			t.Fatalf("saved: %+v, in force %+v, approach %v", st.MonitoringPrograms, st.MonitoringProgramsInForce, st.MonitoringApproach)
		}
		for _, tc := range []struct {
			body  map[string]any
			param string
		}{
			{map[string]any{"monitoring_programs": []any{map[string]any{"network": "amex", "program": "vamp", "tier": "x", "ratio": 0.01, "effective": "2026-01-01"}}}, "monitoring_programs[0].program"},
			{map[string]any{"monitoring_programs": []any{acquirer, map[string]any{"network": "visa", "program": "vamp", "tier": "x", "ratio": 1.5, "effective": "2026-01-01"}}}, "monitoring_programs[1].ratio"},
			{map[string]any{"monitoring_approach": 1}, "monitoring_approach"},
			{map[string]any{"monitoring_approach": 0}, "monitoring_approach"},
		} {
			tc.body["merchant_name"] = "Changed"
			testenv.WantError(t, c.Post("/v1/settings", tc.body), 422, "invalid_value", tc.param)
		}
		if got := testenv.Want[httpapi.Settings](t, c.Get("/v1/settings"), 200); got.MerchantName == "Changed" || got.MonitoringApproach != 0.5 {
			t.Fatalf("a refused save changed the settings: %+v", got)
		}
		st = testenv.Want[httpapi.Settings](t, c.Post("/v1/settings", map[string]any{"monitoring_programs": nil}), 200)
		if st.MonitoringPrograms != nil || st.MonitoringProgramsInForce.Version != monitoring.Default().Version || st.MonitoringApproach != 0.5 {
			t.Fatalf("after null: %+v, in force %s", st.MonitoringPrograms, st.MonitoringProgramsInForce.Version)
		}
	})
}
