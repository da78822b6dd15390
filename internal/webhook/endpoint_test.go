package webhook

import (
	"encoding/base64"
	"strings"
	"testing"

	"disputed/internal/fault"
)

func TestNewSecret(t *testing.T) {
	t.Parallel()
	seen := make(map[string]bool)
	for range 10 {
		s, err := NewSecret()
		if err != nil {
			t.Fatal(err)
		}
		enc, ok := strings.CutPrefix(s, "whsec_")
		if !ok {
			t.Fatalf("NewSecret() = %q, want the prefix whsec_", s)
		}
		key, err := base64.StdEncoding.DecodeString(enc)
		if err != nil || len(key) != 24 {
			t.Fatalf("NewSecret() = %q: %d bytes, err %v; want 24 bytes of standard base64", s, len(key), err)
		}
		if seen[s] {
			t.Fatalf("NewSecret() returned %q twice", s)
		}
		seen[s] = true
	}
}

// wantFault checks that err is a 422-class fault error about param, or nil when code is "".
func wantFault(t *testing.T, err error, code, param string) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Errorf("err = %v, want nil", err)
		}
		return
	}
	fe, ok := fault.As(err)
	if !ok {
		t.Errorf("err = %v, want a *fault.Error", err)
		return
	}
	if fe.Kind != fault.Invalid || fe.Code != code || fe.Param != param {
		t.Errorf("err = %v (kind %d), want kind Invalid, code %s, param %s", err, fe.Kind, code, param)
	}
}

func TestValidateURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		url  string
		code string // "" when valid
	}{
		{"https://example.com/hooks", ""},
		{"http://example.com", ""},
		{"HTTPS://Example.COM/Hooks?a=1&b=2", ""},
		{"https://example.com:8443/x", ""},
		{"https://[2001:db8::1]:443/x", ""},
		{"https://127.0.0.1/x", ""}, // refused when delivering, not here: names can change address
		{"https://example.com/" + strings.Repeat("a", 2048-len("https://example.com/")), ""},

		{"", "parameter_missing"},
		{"https://example.com/" + strings.Repeat("a", 2049-len("https://example.com/")), "invalid_value"},
		{"example.com/hooks", "invalid_value"},
		{"/hooks", "invalid_value"},
		{"ftp://example.com/", "invalid_value"},
		{"javascript:alert(1)", "invalid_value"},
		{"https:example.com", "invalid_value"},
		{"https://", "invalid_value"},
		{"https:///path", "invalid_value"},
		{"https://:443/", "invalid_value"},
		{"https://user:pass@example.com/", "invalid_value"},
		{"https://user@example.com/", "invalid_value"},
		{"https://example.com/#frag", "invalid_value"},
		{"https://example.com/#", "invalid_value"},
		{" https://example.com/", "invalid_value"},
		{"https://example.com/ ", "invalid_value"},
		{"https://example.com/a b", "invalid_value"},
		{"https://example.com/\x00", "invalid_value"},
		{"https://example.com/\n", "invalid_value"},
		{"https://example.com:0/", "invalid_value"},
		{"https://example.com:65536/", "invalid_value"},
		{"https://example.com:http/", "invalid_value"},
		{"https://exa%mple.com/", "invalid_value"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			t.Parallel()
			wantFault(t, ValidateURL(tt.url), tt.code, "url")
		})
	}
}

var known = []string{"dispute.created", "dispute.updated", "order.voided"}

func TestValidateEvents(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		events []string
		code   string // "" when valid
	}{
		{"one", []string{"dispute.created"}, ""},
		{"all known", []string{"order.voided", "dispute.updated", "dispute.created"}, ""},
		{"wildcard", []string{"*"}, ""},

		{"nil", nil, "parameter_missing"},
		{"empty", []string{}, "parameter_missing"},
		{"unknown", []string{"dispute.created", "dispute.deleted"}, "invalid_value"},
		{"case matters", []string{"Dispute.Created"}, "invalid_value"},
		{"prefix wildcard is not a thing", []string{"dispute.*"}, "invalid_value"},
		{"empty name", []string{""}, "invalid_value"},
		{"duplicate", []string{"dispute.created", "order.voided", "dispute.created"}, "invalid_value"},
		{"wildcard twice", []string{"*", "*"}, "invalid_value"},
		{"wildcard with others", []string{"*", "order.voided"}, "invalid_value"},
		{"others with wildcard", []string{"order.voided", "*"}, "invalid_value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wantFault(t, ValidateEvents(tt.events, known), tt.code, "events")
		})
	}
}

func TestValidateEventsMessage(t *testing.T) {
	t.Parallel()
	err := ValidateEvents([]string{"dispute.deleted"}, known)
	want := `unknown event type "dispute.deleted"; expected "*" or one of dispute.created, dispute.updated, order.voided`
	if fe, ok := fault.As(err); !ok || fe.Message != want {
		t.Errorf("err = %v, want the message %q", err, want)
	}
}

func TestMatches(t *testing.T) {
	t.Parallel()
	tests := []struct {
		events []string
		typ    string
		want   bool
	}{
		{[]string{"*"}, "dispute.created", true},
		{[]string{"*"}, "some.future_event", true},
		{[]string{"dispute.created"}, "dispute.created", true},
		{[]string{"order.voided", "dispute.created"}, "dispute.created", true},
		{[]string{"dispute.created"}, "dispute.updated", false},
		{[]string{"dispute.created"}, "dispute", false},
		{[]string{"dispute.created"}, "*", false},
		{nil, "dispute.created", false},
	}
	for _, tt := range tests {
		if got := Matches(tt.events, tt.typ); got != tt.want {
			t.Errorf("Matches(%q, %q) = %v, want %v", tt.events, tt.typ, got, tt.want)
		}
	}
}
