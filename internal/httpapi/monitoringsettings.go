package httpapi

import (
	"disputed/internal/app"
	"disputed/internal/monitoring"
	"disputed/internal/store"
)

// MonitoringRow is one tier of a card network's monitoring program, in force from a date
// (internal/monitoring).
type MonitoringRow struct {
	Network   string  `json:"network" doc:"visa or mastercard"`
	Program   string  `json:"program" doc:"vamp (Visa) or ecp (Mastercard's Excessive Chargeback Program)"`
	Tier      string  `json:"tier" doc:"the tier's name: excessive (VAMP), ecm or hecm (ECP)"`
	Ratio     float64 `json:"ratio" doc:"the ratio that meets the tier, a fraction: 0.015 is 1.5 %"`
	MinCount  int64   `json:"min_count" doc:"the month's count of counted events that must also be met (0: none)"`
	Effective string  `json:"effective" format:"date" doc:"the first month (its first day, YYYY-MM-DD) the row applies to; a later row of the same program and tier replaces it"`
	Source    string  `json:"source" doc:"where the figures come from"`
}

// MonitoringTable is a set of monitoring thresholds with what identifies it.
type MonitoringTable struct {
	Version string          `json:"version" doc:"the shipped table's version, or settings for the merchant's own"`
	Date    string          `json:"date" doc:"the shipped table's date, or the day the merchant's own was saved"`
	Rows    []MonitoringRow `json:"rows"`
}

// MonitoringRowIn is a row of the merchant's own monitoring thresholds.
type MonitoringRowIn struct {
	Network   string  `json:"network" maxLength:"40" doc:"visa or mastercard"`
	Program   string  `json:"program" maxLength:"40" doc:"vamp with visa, ecp with mastercard"`
	Tier      string  `json:"tier" maxLength:"40"`
	Ratio     float64 `json:"ratio" doc:"a fraction between 0 and 1: 0.015 is 1.5 %"`
	MinCount  int64   `json:"min_count,omitempty" doc:"0 to 1000000000"`
	Effective string  `json:"effective" doc:"YYYY-MM-DD"`
	Source    string  `json:"source,omitempty" maxLength:"500"`
}

// monitoringRow is a row of the merchant's own thresholds as the use case takes it.
func monitoringRow(r MonitoringRowIn) monitoring.Row { return monitoring.Row(r) }

func monitoringTableOut(t monitoring.Table) MonitoringTable {
	out := MonitoringTable{Version: t.Version, Date: t.Date, Rows: make([]MonitoringRow, len(t.Rows))}
	for i, r := range t.Rows {
		out.Rows[i] = MonitoringRow(r)
	}
	return out
}

// monitoringSettingsOut fills the settings' monitoring thresholds, those in force and the
// approach fraction.
func monitoringSettingsOut(out *Settings, s store.Settings) {
	if s.MonitoringPrograms != nil {
		t := monitoringTableOut(*s.MonitoringPrograms)
		out.MonitoringPrograms = &t
	}
	out.MonitoringProgramsInForce = monitoringTableOut(app.EffectiveMonitoringPrograms(s))
	out.MonitoringApproach = app.EffectiveMonitoringApproach(s)
}
