package order

import (
	"strings"
	"testing"
	"time"

	"disputed/internal/fault"
)

func TestNewActivity(t *testing.T) {
	t.Parallel()
	line := Line{ID: "line_1", OrderID: "ord_1"}
	ok := ActivityReport{Kind: "sign_in", IP: "203.0.113.7", At: tNow.Add(-time.Minute), Detail: "web, Firefox"}
	tests := []struct {
		name   string
		mod    func(r *ActivityReport)
		code   string
		param  string
		wantIP string
	}{
		{name: "documented kind", mod: func(*ActivityReport) {}, wantIP: "203.0.113.7"},
		{name: "another kind is kept", mod: func(r *ActivityReport) { r.Kind = "vpn_connect2" }, wantIP: "203.0.113.7"},
		{name: "no ip", mod: func(r *ActivityReport) { r.IP = "" }},
		{name: "IPv6 canonical", mod: func(r *ActivityReport) { r.IP = "2001:DB8:0:0::1" }, wantIP: "2001:db8::1"},
		{name: "IPv4-mapped becomes IPv4", mod: func(r *ActivityReport) { r.IP = "::ffff:198.51.100.1" }, wantIP: "198.51.100.1"},
		{name: "within the clock skew", mod: func(r *ActivityReport) { r.At = tNow.Add(ActivitySkew) }, wantIP: "203.0.113.7"},
		{name: "before the order", mod: func(r *ActivityReport) { r.At = t0.AddDate(-1, 0, 0) }, wantIP: "203.0.113.7"},
		{name: "detail at the limit", mod: func(r *ActivityReport) { r.Detail = strings.Repeat("é", MaxActivityDetail) }, wantIP: "203.0.113.7"},
		{name: "no kind", mod: func(r *ActivityReport) { r.Kind = "" }, code: fault.CodeParameterMissing, param: "data[2].kind"},
		{name: "kind in capitals", mod: func(r *ActivityReport) { r.Kind = "Sign_In" }, code: fault.CodeInvalidValue, param: "data[2].kind"},
		{name: "kind from a digit", mod: func(r *ActivityReport) { r.Kind = "2fa" }, code: fault.CodeInvalidValue, param: "data[2].kind"},
		{name: "kind too long", mod: func(r *ActivityReport) { r.Kind = strings.Repeat("a", 41) }, code: fault.CodeInvalidValue, param: "data[2].kind"},
		{name: "bad ip", mod: func(r *ActivityReport) { r.IP = "203.0.113" }, code: fault.CodeInvalidValue, param: "data[2].ip"},
		{name: "ip with a zone", mod: func(r *ActivityReport) { r.IP = "fe80::1%eth0" }, code: fault.CodeInvalidValue, param: "data[2].ip"},
		{name: "no time", mod: func(r *ActivityReport) { r.At = time.Time{} }, code: fault.CodeParameterMissing, param: "data[2].at"},
		{name: "in the future", mod: func(r *ActivityReport) { r.At = tNow.Add(ActivitySkew + time.Second) }, code: fault.CodeInvalidValue, param: "data[2].at"},
		{name: "detail too long", mod: func(r *ActivityReport) { r.Detail = strings.Repeat("é", MaxActivityDetail+1) }, code: fault.CodeInvalidValue, param: "data[2].detail"},
		{name: "detail with NUL", mod: func(r *ActivityReport) { r.Detail = "a\x00b" }, code: fault.CodeInvalidValue, param: "data[2].detail"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := ok
			tt.mod(&r)
			a, err := NewActivity(line, r, FromAPI, "act_1", tNow, "data[2].")
			if tt.code != "" {
				wantFault(t, err, fault.Invalid, tt.code, tt.param)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if a.IP != tt.wantIP || a.LineID != "line_1" || a.OrderID != "ord_1" || a.Source != FromAPI || a.Kind != r.Kind {
				t.Fatalf("activity %+v", a)
			}
		})
	}
}

func TestActivityKeyIgnoresWhoReportedIt(t *testing.T) {
	t.Parallel()
	line := Line{ID: "line_1", OrderID: "ord_1"}
	r := ActivityReport{Kind: "stream", IP: "::ffff:198.51.100.1", At: tNow.Add(-time.Hour + 300*time.Microsecond)}
	fromAPI, err := NewActivity(line, r, FromAPI, "act_1", tNow, "")
	if err != nil {
		t.Fatal(err)
	}
	r.IP, r.At = "198.51.100.1", tNow.Add(-time.Hour)
	fromPanel, err := NewActivity(line, r, FromPanel, "act_2", tNow.Add(time.Hour), "")
	if err != nil {
		t.Fatal(err)
	}
	if fromAPI.Key() != fromPanel.Key() {
		t.Fatal("the same use, written two ways and reported twice, has two keys")
	}
	other := fromPanel
	other.Detail = "episode 2"
	if other.Key() == fromPanel.Key() {
		t.Fatal("entries with different details share a key")
	}
	// Parts cannot run into each other: kind "a" with detail "b" is not kind "ab".
	x, y := Activity{Kind: "a", IP: "", Detail: "b"}, Activity{Kind: "ab"}
	if x.Key() == y.Key() {
		t.Fatal("parts run into each other")
	}
}

func TestActivityLabel(t *testing.T) {
	t.Parallel()
	for kind, want := range map[string]string{"sign_in": "Signed in", "api_call": "Called the API", "vpn_connect": "Vpn connect"} {
		if got := ActivityLabel(kind); got != want {
			t.Errorf("ActivityLabel(%q) = %q, want %q", kind, got, want)
		}
	}
}

func TestCheckActivityRoom(t *testing.T) {
	t.Parallel()
	if err := CheckActivityRoom(MaxActivityPerLine-2, 2); err != nil {
		t.Fatalf("the last two places: %v", err)
	}
	wantFault(t, CheckActivityRoom(MaxActivityPerLine-1, 2), fault.Invalid, fault.CodeActivityLimitReached, "line")
}
