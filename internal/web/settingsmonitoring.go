package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"disputed/internal/app"
	"disputed/internal/fault"
	"disputed/internal/monitoring"
	"disputed/internal/store"
)

// monitoringForm is the card networks' monitoring thresholds and the approach as the settings
// form shows them: ratios as percentages (1.5 for 1.5 %), a row of inputs per tier, and an empty
// row to add one.
type monitoringForm struct {
	// Shown says the posted form had the fieldset; one posted by something other than the page
	// keeps the thresholds as they are.
	Shown bool
	// Own says the merchant's rows are in force; off, the shipped table is, and its rows are shown
	// to start one's own from.
	Own           bool
	Version, Date string
	Rows          []monitoringRowForm
	Approach      string // percent of a threshold
}

// monitoringRowForm is one tier, as typed.
type monitoringRowForm struct {
	Network, Program, Tier, Ratio, MinCount, Effective, Source string
}

func monitoringFormOf(s store.Settings) monitoringForm {
	t := app.EffectiveMonitoringPrograms(s)
	f := monitoringForm{Shown: true, Own: s.MonitoringPrograms != nil, Version: t.Version, Date: t.Date,
		Approach: percentOf(app.EffectiveMonitoringApproach(s))}
	for _, r := range t.Rows {
		f.Rows = append(f.Rows, monitoringRowForm{Network: r.Network, Program: r.Program, Tier: r.Tier, Ratio: percentOf(r.Ratio),
			MinCount: strconv.FormatInt(r.MinCount, 10), Effective: r.Effective, Source: r.Source})
	}
	f.Rows = append(f.Rows, monitoringRowForm{})
	return f
}

// percentOf writes a fraction as the percentage it names, by moving the decimal point in the
// fraction's shortest text (fractionOf's inverse): 0.022 is "2.2", where 0.022*100 would be
// 2.1999999999999997.
func percentOf(fraction float64) string {
	whole, decimals, _ := strings.Cut(strconv.FormatFloat(fraction, 'f', -1, 64), ".")
	decimals += "00"
	whole = strings.TrimLeft(whole+decimals[:2], "0")
	if whole == "" {
		whole = "0"
	}
	if decimals = strings.TrimRight(decimals[2:], "0"); decimals != "" {
		return whole + "." + decimals
	}
	return whole
}

// fractionOf reads a percentage as typed ("1.5") as the fraction it names (0.015): by moving the
// decimal point in the text rather than dividing, so that 1.5 % is the float nearest 0.015, as
// the shipped table and the API write it, not 0.015000000000000001.
func fractionOf(percent string) (float64, error) {
	if strings.ContainsAny(percent, "eExXpP_") { // only plain decimals: no exponents, hex or separators
		return 0, strconv.ErrSyntax
	}
	return strconv.ParseFloat(percent+"e-2", 64)
}

// monitoringPosted reads the fieldset: the rows in order but those ticked for removal or left
// without a network.
func monitoringPosted(r *http.Request) monitoringForm {
	v := r.PostForm
	f := monitoringForm{Shown: r.PostFormValue("monitoring_shown") == "yes", Own: r.PostFormValue("monitoring_own") == "yes",
		Approach: strings.TrimSpace(r.PostFormValue("monitoring_approach"))}
	at := func(name string, i int) string {
		if i < len(v[name]) {
			return strings.TrimSpace(v[name][i])
		}
		return ""
	}
	for i := range v["monitoring_network"] {
		row := monitoringRowForm{Network: at("monitoring_network", i), Program: at("monitoring_program", i), Tier: at("monitoring_tier", i),
			Ratio: at("monitoring_ratio", i), MinCount: at("monitoring_min_count", i), Effective: at("monitoring_effective", i),
			Source: at("monitoring_source", i)}
		if row.Network == "" || slices.Contains(v["monitoring_remove"], strconv.Itoa(i)) {
			continue
		}
		f.Rows = append(f.Rows, row)
	}
	f.Rows = append(f.Rows, monitoringRowForm{})
	return f
}

// params are the fieldset as the use case's parameters, named as the API names them: the
// merchant's rows (monitoring.Normalize checks them as it does the API's) or the shipped table
// again, and the approach as a fraction.
func (f monitoringForm) params() (*[]monitoring.Row, *float64, error) {
	if !f.Shown {
		return nil, nil, nil
	}
	approach, err := fractionOf(f.Approach)
	if err != nil {
		return nil, nil, fault.Invalidf(fault.CodeInvalidValue, "monitoring_approach", "a percentage of the threshold is needed, such as 75")
	}
	if !f.Own {
		var shipped []monitoring.Row
		return &shipped, &approach, nil
	}
	rows := []monitoring.Row{}
	for i, r := range f.Rows {
		if r.Network == "" {
			continue
		}
		row := monitoring.Row{Network: r.Network, Program: r.Program, Tier: r.Tier, Effective: r.Effective, Source: r.Source}
		if row.Ratio, err = fractionOf(r.Ratio); err != nil {
			return nil, nil, fault.Invalidf(fault.CodeInvalidValue, fmt.Sprintf("monitoring_programs[%d].ratio", i), "a percentage is needed, such as 1.5")
		}
		if r.MinCount != "" {
			if row.MinCount, err = strconv.ParseInt(r.MinCount, 10, 64); err != nil {
				return nil, nil, fault.Invalidf(fault.CodeInvalidValue, fmt.Sprintf("monitoring_programs[%d].min_count", i), "a whole number of events is needed")
			}
		}
		rows = append(rows, row)
	}
	return &rows, &approach, nil
}
