package dispute

import (
	"testing"
	"time"

	"disputed/internal/fault"
)

// TestAlertWindowsPublished: the published windows the issue asks for, each with its source and
// marked unverified (one secondary source), and none invented for the types that have none.
func TestAlertWindowsPublished(t *testing.T) {
	t.Parallel()
	want := map[AlertType]int{Ethoca: 24, CDRN: 72, TC40: 0, SAFE: 0, RDR: 0}
	got := AlertWindows(nil)
	for typ, hours := range want {
		if got[typ] != hours {
			t.Errorf("%s: %d h, want %d", typ, got[typ], hours)
		}
		if src := PublishedAlertWindow(typ); src.Source == "" || src.Verified {
			t.Errorf("%s: %+v, want a source and verified false", typ, src)
		}
	}
	over := AlertWindows(map[AlertType]int{Ethoca: 12, CDRN: 0})
	if over[Ethoca] != 12 || over[CDRN] != 0 || over[TC40] != 0 {
		t.Errorf("overridden = %v", over)
	}
}

func TestValidateAlertWindows(t *testing.T) {
	t.Parallel()
	if err := ValidateAlertWindows(map[AlertType]int{Ethoca: 12, CDRN: 0, TC40: MaxAlertWindowHours}); err != nil {
		t.Fatal(err)
	}
	wantFault(t, ValidateAlertWindows(map[AlertType]int{"visa": 1}), fault.Invalid, fault.CodeInvalidValue, "alert_refund_windows.visa")
	wantFault(t, ValidateAlertWindows(map[AlertType]int{Ethoca: -1}), fault.Invalid, fault.CodeInvalidValue, "alert_refund_windows.ethoca")
	wantFault(t, ValidateAlertWindows(map[AlertType]int{CDRN: MaxAlertWindowHours + 1}), fault.Invalid, fault.CodeInvalidValue, "alert_refund_windows.cdrn")
}

// TestAlertOpensWithItsWindow: an alert without a due date must be refunded within its type's
// window from when it happened; one that came with a due date, and a type without a window,
// keep theirs.
func TestAlertOpensWithItsWindow(t *testing.T) {
	t.Parallel()
	happened := t0.Add(-3 * time.Hour)
	given := t0.Add(5 * time.Hour)
	windows := AlertWindows(nil)
	for _, tt := range []struct {
		typ   AlertType
		due   time.Time
		want  time.Time
		label string
	}{
		{Ethoca, time.Time{}, happened.Add(24 * time.Hour), "ethoca from when it happened"},
		{CDRN, time.Time{}, happened.Add(72 * time.Hour), "cdrn"},
		{Ethoca, given, given, "a due date given"},
		{TC40, time.Time{}, time.Time{}, "no window"},
	} {
		p := params(Alert)
		p.AlertType, p.HappenedAt, p.DueBy, p.AlertWindows = tt.typ, happened, tt.due, windows
		d, _, err := New(p)
		if err != nil {
			t.Fatalf("%s: %v", tt.label, err)
		}
		if !d.DueBy.Equal(tt.want) {
			t.Errorf("%s: due_by %v, want %v", tt.label, d.DueBy, tt.want)
		}
	}
}
