package dispute

import (
	_ "embed"
	"encoding/json"
	"maps"
	"slices"
	"time"

	"disputed/internal/fault"
)

// AlertWindowSource is the published window of one alert type: its hours (0: none), whether a
// primary source confirms them, and where they come from. The windows are data
// (alertwindows.json): they change with the alert networks' terms, not with the code.
type AlertWindowSource struct {
	Hours    int    `json:"hours,omitempty"`
	Verified bool   `json:"verified"`
	Source   string `json:"source"`
}

//go:embed alertwindows.json
var alertWindowsJSON []byte

// alertWindows are the published windows by alert type, read once.
var alertWindows = func() map[AlertType]AlertWindowSource {
	var data struct {
		Windows map[AlertType]AlertWindowSource `json:"windows"`
	}
	if err := json.Unmarshal(alertWindowsJSON, &data); err != nil {
		panic("dispute: alertwindows.json: " + err.Error())
	}
	return data.Windows
}()

// PublishedAlertWindow is the published window of an alert type, with its source.
func PublishedAlertWindow(t AlertType) AlertWindowSource { return alertWindows[t] }

// MaxAlertWindowHours bounds a window the merchant sets: 30 days, longer than any alert waits.
const MaxAlertWindowHours = 720

// AlertWindows are the refund windows in force, in hours by alert type: the published ones with
// the merchant's own (overrides) over them. A type whose hours are 0 has no window.
func AlertWindows(overrides map[AlertType]int) map[AlertType]int {
	out := map[AlertType]int{}
	for _, t := range AlertTypes {
		out[t] = alertWindows[t].Hours
		if h, ok := overrides[t]; ok {
			out[t] = h
		}
	}
	return out
}

// ValidateAlertWindows checks the merchant's windows: known alert types, each 0 (none) to
// MaxAlertWindowHours hours.
func ValidateAlertWindows(w map[AlertType]int) error {
	for _, t := range slices.Sorted(maps.Keys(w)) {
		param := "alert_refund_windows." + string(t)
		if !t.valid() {
			return fault.Invalidf(fault.CodeInvalidValue, param, "%q is not an alert type; use one of tc40, safe, ethoca, cdrn, rdr", t)
		}
		if h := w[t]; h < 0 || h > MaxAlertWindowHours {
			return fault.Invalidf(fault.CodeInvalidValue, param, "a window is 0 (none) to %d hours, not %d", MaxAlertWindowHours, h)
		}
	}
	return nil
}

// alertDueBy is when an alert raised at happened must be refunded by, under windows; zero when
// its type has no window.
func alertDueBy(t AlertType, happened time.Time, windows map[AlertType]int) time.Time {
	h := windows[t]
	if h <= 0 {
		return time.Time{}
	}
	return happened.Add(time.Duration(h) * time.Hour)
}
