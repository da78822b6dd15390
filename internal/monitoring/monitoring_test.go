package monitoring

import (
	"errors"
	"math"
	"testing"
	"time"

	"disputed/internal/fault"
)

func vamp(t *testing.T) Program {
	t.Helper()
	p, ok := ProgramOf("visa", "vamp")
	if !ok {
		t.Fatal("no VAMP program")
	}
	return p
}

func ecp(t *testing.T) Program {
	t.Helper()
	p, ok := ProgramOf("mastercard", "ecp")
	if !ok {
		t.Fatal("no ECP program")
	}
	return p
}

// TestShippedTable checks that programs.json parses, every row passes the merchant's own
// validation, and is sourced.
func TestShippedTable(t *testing.T) {
	t.Parallel()
	d := Default()
	if d.Version == "" || d.Date == "" || len(d.Rows) == 0 {
		t.Fatalf("shipped table %+v", d)
	}
	if _, err := Normalize("monitoring_programs", d.Rows); err != nil {
		t.Errorf("the shipped rows do not validate: %v", err)
	}
	for i, r := range d.Rows {
		if r.Source == "" {
			t.Errorf("row %d has no source", i)
		}
	}
}

// TestInForce checks the thresholds in force by month: VAMP's 2.2 % until March 2026, 1.5 % from
// April 2026, nothing before June 2025, and ECM then HECM for Mastercard.
func TestInForce(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		p      Program
		first  string
		ratios []float64
	}{
		{"VAMP before its thresholds", vamp(t), "2025-05-01", nil},
		{"VAMP June 2025", vamp(t), "2025-06-01", []float64{0.022}},
		{"VAMP March 2026", vamp(t), "2026-03-01", []float64{0.022}},
		{"VAMP April 2026", vamp(t), "2026-04-01", []float64{0.015}},
		{"ECP", ecp(t), "2026-04-01", []float64{0.015, 0.03}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := Default().InForce(tt.p, tt.first)
			if len(got) != len(tt.ratios) {
				t.Fatalf("thresholds %+v, want ratios %v", got, tt.ratios)
			}
			for i, r := range tt.ratios {
				if got[i].Ratio != r || got[i].Effective == "" || got[i].Source == "" {
					t.Errorf("threshold %d = %+v, want ratio %v, dated and sourced", i, got[i], r)
				}
			}
		})
	}
}

// TestMeasure checks ratios computed by hand and their status.
func TestMeasure(t *testing.T) {
	t.Parallel()
	april := Default().InForce(vamp(t), "2026-04-01")
	march := Default().InForce(vamp(t), "2026-03-01")
	mc := Default().InForce(ecp(t), "2026-04-01")
	for _, tt := range []struct {
		name   string
		p      Program
		c      Counts
		in     []Threshold
		ratio  float64
		status Status
	}{
		{"VAMP (3+2)/400, under the count floor, past 75 % of 1.5 %", vamp(t), Counts{3, 2, 400}, april, 0.0125, StatusApproaching},
		{"VAMP same counts in March, 75 % of 2.2 % not reached", vamp(t), Counts{3, 2, 400}, march, 0.0125, StatusOK},
		{"VAMP 1,700 events of 100,000 in April: excessive", vamp(t), Counts{1000, 700, 100_000}, april, 0.017, StatusExcessive},
		{"VAMP the same in March: approaching 2.2 %", vamp(t), Counts{1000, 700, 100_000}, march, 0.017, StatusApproaching},
		{"ECM: 120 of last month's 6,000", ecp(t), Counts{120, 0, 6000}, mc, 0.02, StatusExcessive},
		{"ECP ignores fraud reports", ecp(t), Counts{120, 500, 6000}, mc, 0.02, StatusExcessive},
		{"ECP 3 % but under 100 chargebacks", ecp(t), Counts{90, 0, 3000}, mc, 0.03, StatusApproaching},
		{"HECM: 400 of 10,000", ecp(t), Counts{400, 0, 10_000}, mc, 0.04, StatusExcessive},
		{"no sales", vamp(t), Counts{5, 0, 0}, april, 0, StatusOK},
		{"few disputes", vamp(t), Counts{1, 0, 1000}, april, 0.001, StatusOK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := Measure(tt.p, "2026-04", tt.c, tt.in, DefaultApproach)
			if math.Abs(r.Ratio-tt.ratio) > 1e-12 || r.Status != tt.status {
				t.Errorf("ratio %v status %s, want %v %s", r.Ratio, r.Status, tt.ratio, tt.status)
			}
		})
	}
}

// TestProject checks a projection at the middle of a 30-day month: VAMP scales all its counts
// (the same ratio, more events), ECP its chargebacks only, against last month's sales.
func TestProject(t *testing.T) {
	t.Parallel()
	month := 30 * 24 * time.Hour
	r := Measure(ecp(t), "2026-04", Counts{Disputes: 60, Transactions: 6000}, Default().InForce(ecp(t), "2026-04-01"), DefaultApproach)
	if r.Status != StatusOK {
		t.Fatalf("60 of 6,000 is %s", r.Status)
	}
	r.Project(ecp(t), month/2, month, DefaultApproach)
	if p := r.Projected; p.Disputes != 120 || p.Transactions != 6000 || p.Ratio != 0.02 || p.Status != StatusExcessive {
		t.Errorf("ECP projected %+v, want 120 of 6,000, excessive", *p)
	}
	v := Measure(vamp(t), "2026-04", Counts{Disputes: 700, FraudReports: 100, Transactions: 40_000}, Default().InForce(vamp(t), "2026-04-01"), DefaultApproach)
	v.Project(vamp(t), month/2, month, DefaultApproach)
	if p := v.Projected; p.Disputes != 1400 || p.FraudReports != 200 || p.Transactions != 80_000 || p.Ratio != 0.02 || p.Status != StatusExcessive {
		t.Errorf("VAMP projected %+v, want 1,600 events of 80,000, excessive", *p)
	}
	if v.Status != StatusApproaching {
		t.Errorf("VAMP month to date %s, want approaching (under the floor)", v.Status)
	}
}

// TestNormalize checks that the merchant's rows are refused with the field named.
func TestNormalize(t *testing.T) {
	t.Parallel()
	good := Row{Network: "Visa", Program: "VAMP", Tier: "excessive", Ratio: 0.01, MinCount: 10, Effective: "2026-05-01"}
	for _, tt := range []struct {
		name  string
		edit  func(*Row)
		param string
	}{
		{"unknown program", func(r *Row) { r.Program = "vdmp" }, "monitoring_programs[1].program"},
		{"program of another network", func(r *Row) { r.Network = "amex" }, "monitoring_programs[1].program"},
		{"ratio as a percentage", func(r *Row) { r.Ratio = 1.5 }, "monitoring_programs[1].ratio"},
		{"no tier", func(r *Row) { r.Tier = " " }, "monitoring_programs[1].tier"},
		{"negative floor", func(r *Row) { r.MinCount = -1 }, "monitoring_programs[1].min_count"},
		{"bad date", func(r *Row) { r.Effective = "2026-13-01" }, "monitoring_programs[1].effective"},
		{"a repeated row", func(r *Row) {}, "monitoring_programs[1].effective"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			bad := good
			tt.edit(&bad)
			_, err := Normalize("monitoring_programs", []Row{good, bad})
			var f *fault.Error
			if !errors.As(err, &f) || f.Param != tt.param {
				t.Errorf("error %v, want one naming %s", err, tt.param)
			}
		})
	}
	rows, err := Normalize("monitoring_programs", []Row{good})
	if err != nil || rows[0].Network != "visa" || rows[0].Program != "vamp" {
		t.Errorf("Normalize(good) = %+v, %v", rows, err)
	}
	for _, x := range []float64{0, 1, -0.5, 1.2} {
		if CheckApproach("monitoring_approach", x) == nil {
			t.Errorf("approach %v accepted", x)
		}
	}
	if CheckApproach("monitoring_approach", 0.75) != nil {
		t.Error("approach 0.75 refused")
	}
}
