package generic

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/provider"
)

// withFields returns the JSON of base with fields set (a nil value removes the field).
func withFields(t *testing.T, base string, fields map[string]any) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(base), &m); err != nil {
		t.Fatal(err)
	}
	for k, v := range fields {
		if v == nil {
			delete(m, k)
			continue
		}
		m[k] = v
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const (
	baseChargeback = `{"id":"evt-9001","type":"chargeback","status":"needs_response","amount":"49.99","currency":"USD",
		"reason":"fraudulent","network_reason_code":"10.4","arn":"74000000000000000000001","case_number":"C-1",
		"transaction_reference":"txn_abc","happened_at":"2026-11-20T10:00:00Z","due_by":"2026-11-30T00:00:00Z"}`
	baseAlert = `{"id":"evt-8812","type":"alert","alert_type":"ethoca","amount":"49.99","currency":"usd",
		"arn":"74000000000000000000001","transaction_reference":"ch_3QNr","happened_at":"2026-11-20T10:00:00Z"}`
)

func TestParseTestdata(t *testing.T) {
	t.Parallel()
	happened := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		file string
		want provider.Event
	}{
		{
			file: "alert.ethoca.json",
			want: provider.Event{
				ID: "evt-8812", Type: "generic.alert", Created: happened,
				Dispute: &provider.Dispute{
					ProviderDisputeID: "74000000000000000000001", Type: dispute.Alert, AlertType: dispute.Ethoca,
					Status: dispute.Open, Reason: "fraudulent", NetworkReasonCode: "10.4",
					Amount: 4999, Currency: "USD", ChargeReference: "txn_01JD2K", ARN: "74000000000000000000001",
					HappenedAt: happened, DueBy: time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC), Livemode: true,
				},
			},
		},
		{
			file: "alert.rdr.case_number.json",
			want: provider.Event{
				ID: "rdr-55-1", Type: "generic.alert", Created: time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC),
				Dispute: &provider.Dispute{
					ProviderDisputeID: "RDR-2026-000055", Type: dispute.Alert, AlertType: dispute.RDR,
					Status: dispute.Open, Reason: "product_not_received", NetworkReasonCode: "13.1",
					Amount: 1500, Currency: "JPY", ChargeReference: "pi_3QNx", CaseNumber: "RDR-2026-000055",
					HappenedAt: time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC), Livemode: true,
				},
			},
		},
		{
			file: "chargeback.json",
			want: provider.Event{
				ID: "evt-9001", Type: "generic.chargeback", Created: happened,
				Dispute: &provider.Dispute{
					ProviderDisputeID: "C-1", Type: dispute.Chargeback, Status: dispute.NeedsResponse,
					Stage: dispute.StageChargeback, Reason: "fraudulent", NetworkReasonCode: "4837",
					Amount: 12995, Currency: "EUR", ChargeReference: "txn_01JD2M", ARN: "85000000000000000000002",
					CaseNumber: "C-1", HappenedAt: happened, DueBy: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC),
					Livemode: true,
				},
			},
		},
		{
			file: "chargeback.won.minor_units.json",
			want: provider.Event{
				ID: "evt-9002", Type: "generic.chargeback", Created: time.Date(2026, 12, 10, 8, 0, 0, 0, time.UTC),
				Dispute: &provider.Dispute{
					ProviderDisputeID: "C-1", Type: dispute.Chargeback, Status: dispute.Won,
					Stage: dispute.StageChargeback, Amount: 12995, Currency: "EUR", CaseNumber: "C-1",
					HappenedAt: time.Date(2026, 12, 10, 8, 0, 0, 0, time.UTC), Livemode: true,
				},
			},
		},
	}
	g := New(provider.Config{})
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			body, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			got, err := g.Parse(body)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse (-want +got):\n%s", diff)
			}
		})
	}
}

// TestParseFields checks each field rule that accepts a value.
func TestParseFields(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		base   string
		fields map[string]any
		check  func(t *testing.T, ev provider.Event)
	}{
		{"chargeback status defaults to needs_response", baseChargeback, map[string]any{"status": nil},
			func(t *testing.T, ev provider.Event) { wantEq(t, "status", ev.Dispute.Status, dispute.NeedsResponse) }},
		{"chargeback status under_review", baseChargeback, map[string]any{"status": "under_review"},
			func(t *testing.T, ev provider.Event) { wantEq(t, "status", ev.Dispute.Status, dispute.UnderReview) }},
		{"chargeback status lost", baseChargeback, map[string]any{"status": "lost"},
			func(t *testing.T, ev provider.Event) { wantEq(t, "status", ev.Dispute.Status, dispute.Lost) }},
		{"alert status open", baseAlert, map[string]any{"status": "open"},
			func(t *testing.T, ev provider.Event) { wantEq(t, "status", ev.Dispute.Status, dispute.Open) }},
		{"alert with no stage", baseAlert, nil,
			func(t *testing.T, ev provider.Event) { wantEq(t, "stage", ev.Dispute.Stage, "") }},
		{"alert_type tc40", baseAlert, map[string]any{"alert_type": "tc40"},
			func(t *testing.T, ev provider.Event) { wantEq(t, "alert_type", ev.Dispute.AlertType, dispute.TC40) }},
		{"alert_type safe", baseAlert, map[string]any{"alert_type": "safe"},
			func(t *testing.T, ev provider.Event) { wantEq(t, "alert_type", ev.Dispute.AlertType, dispute.SAFE) }},
		{"alert_type cdrn", baseAlert, map[string]any{"alert_type": "cdrn"},
			func(t *testing.T, ev provider.Event) { wantEq(t, "alert_type", ev.Dispute.AlertType, dispute.CDRN) }},
		{"alert keyed by case_number when it has one", baseAlert, map[string]any{"case_number": "E-77"},
			func(t *testing.T, ev provider.Event) { wantEq(t, "id", ev.Dispute.ProviderDisputeID, "E-77") }},
		{"alert keyed by arn otherwise", baseAlert, nil,
			func(t *testing.T, ev provider.Event) {
				wantEq(t, "id", ev.Dispute.ProviderDisputeID, "74000000000000000000001")
			}},
		{"lower-case currency", baseChargeback, map[string]any{"currency": "eur", "amount": "12.95"},
			func(t *testing.T, ev provider.Event) {
				wantEq(t, "amount", ev.Dispute.Amount, int64(1295))
				wantEq(t, "currency", ev.Dispute.Currency, "EUR")
			}},
		{"decimal string in a zero-decimal currency", baseChargeback, map[string]any{"currency": "JPY", "amount": "1500"},
			func(t *testing.T, ev provider.Event) { wantEq(t, "amount", ev.Dispute.Amount, int64(1500)) }},
		{"decimal string in a three-decimal currency", baseChargeback, map[string]any{"currency": "KWD", "amount": "1.5"},
			func(t *testing.T, ev provider.Event) { wantEq(t, "amount", ev.Dispute.Amount, int64(1500)) }},
		{"integer amount is minor units", baseChargeback, map[string]any{"amount": 4999},
			func(t *testing.T, ev provider.Event) { wantEq(t, "amount", ev.Dispute.Amount, int64(4999)) }},
		{"no amount is not said", baseChargeback, map[string]any{"amount": nil, "currency": nil},
			func(t *testing.T, ev provider.Event) {
				wantEq(t, "amount", ev.Dispute.Amount, int64(0))
				wantEq(t, "currency", ev.Dispute.Currency, "")
			}},
		{"null amount is not said", baseAlert, map[string]any{"amount": json.RawMessage("null")},
			func(t *testing.T, ev provider.Event) { wantEq(t, "amount", ev.Dispute.Amount, int64(0)) }},
		{"currency without amount is kept", baseAlert, map[string]any{"amount": nil},
			func(t *testing.T, ev provider.Event) { wantEq(t, "currency", ev.Dispute.Currency, "USD") }},
		{"times with an offset become UTC", baseChargeback, map[string]any{"happened_at": "2026-11-20T11:00:00+01:00"},
			func(t *testing.T, ev provider.Event) {
				want := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
				wantEq(t, "happened_at", ev.Dispute.HappenedAt, want)
				wantEq(t, "created", ev.Created, want)
			}},
		{"fractional seconds", baseChargeback, map[string]any{"due_by": "2026-11-30T00:00:00.5Z"},
			func(t *testing.T, ev provider.Event) {
				wantEq(t, "due_by", ev.Dispute.DueBy, time.Date(2026, 11, 30, 0, 0, 0, 5e8, time.UTC))
			}},
		{"no happened_at: zero Created", baseChargeback, map[string]any{"happened_at": nil},
			func(t *testing.T, ev provider.Event) {
				if !ev.Created.IsZero() || !ev.Dispute.HappenedAt.IsZero() {
					t.Errorf("created = %v, want zero", ev.Created)
				}
			}},
		{"unknown fields are ignored", baseChargeback, map[string]any{"merchant_id": 42, "extra": map[string]any{"a": 1}},
			func(t *testing.T, ev provider.Event) { wantEq(t, "id", ev.ID, "evt-9001") }},
		{"livemode defaults to true", baseChargeback, nil,
			func(t *testing.T, ev provider.Event) { wantEq(t, "livemode", ev.Dispute.Livemode, true) }},
		{"livemode false for a test feed", baseChargeback, map[string]any{"livemode": false},
			func(t *testing.T, ev provider.Event) { wantEq(t, "livemode", ev.Dispute.Livemode, false) }},
		{"text at the length limit", baseChargeback, map[string]any{"reason": strings.Repeat("r", 255)},
			func(t *testing.T, ev provider.Event) { wantEq(t, "reason length", len(ev.Dispute.Reason), 255) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ev, err := parse(withFields(t, tt.base, tt.fields))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if ev.Dispute == nil {
				t.Fatal("Parse: no dispute")
			}
			tt.check(t, ev)
		})
	}
}

func wantEq[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

// TestParseErrors checks that each rule refuses what it must, naming the field.
func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		base      string
		fields    map[string]any
		body      string // used instead of base+fields when set
		wantParam string
	}{
		{name: "not JSON", body: `{"id":`, wantParam: ""},
		{name: "an array", body: `[{"id":"x"}]`, wantParam: ""},
		{name: "empty body", body: ``, wantParam: ""},
		{name: "trailing garbage", body: `{"id":"x","type":"alert"} {}`, wantParam: ""},
		{name: "null", body: `null`, wantParam: "id"},
		{name: "no id", base: baseChargeback, fields: map[string]any{"id": nil}, wantParam: "id"},
		{name: "empty id", base: baseChargeback, fields: map[string]any{"id": ""}, wantParam: "id"},
		{name: "id a number", base: baseChargeback, fields: map[string]any{"id": 12}, wantParam: "id"},
		{name: "id too long", base: baseChargeback, fields: map[string]any{"id": strings.Repeat("i", 256)}, wantParam: "id"},
		{name: "no type", base: baseChargeback, fields: map[string]any{"type": nil}, wantParam: "type"},
		{name: "unknown type", base: baseChargeback, fields: map[string]any{"type": "inquiry"}, wantParam: "type"},
		{name: "type in capitals", base: baseChargeback, fields: map[string]any{"type": "CHARGEBACK"}, wantParam: "type"},
		{name: "alert without alert_type", base: baseAlert, fields: map[string]any{"alert_type": nil}, wantParam: "alert_type"},
		{name: "alert with an unknown alert_type", base: baseAlert, fields: map[string]any{"alert_type": "verifi"}, wantParam: "alert_type"},
		{name: "chargeback with alert_type", base: baseChargeback, fields: map[string]any{"alert_type": "rdr"}, wantParam: "alert_type"},
		{name: "alert with a chargeback status", base: baseAlert, fields: map[string]any{"status": "won"}, wantParam: "status"},
		{name: "chargeback with an alert status", base: baseChargeback, fields: map[string]any{"status": "open"}, wantParam: "status"},
		{name: "chargeback with an inquiry status", base: baseChargeback, fields: map[string]any{"status": "warning_needs_response"}, wantParam: "status"},
		{name: "status not a string", base: baseChargeback, fields: map[string]any{"status": 1}, wantParam: "status"},
		{name: "chargeback without case_number", base: baseChargeback, fields: map[string]any{"case_number": nil}, wantParam: "case_number"},
		{name: "alert with neither case_number nor arn", base: baseAlert, fields: map[string]any{"arn": nil}, wantParam: "case_number"},
		{name: "arn too long", base: baseAlert, fields: map[string]any{"arn": strings.Repeat("7", 256)}, wantParam: "arn"},
		{name: "case_number too long", base: baseChargeback, fields: map[string]any{"case_number": strings.Repeat("C", 256)}, wantParam: "case_number"},
		{name: "transaction_reference too long", base: baseChargeback, fields: map[string]any{"transaction_reference": strings.Repeat("t", 256)}, wantParam: "transaction_reference"},
		{name: "reason too long", base: baseChargeback, fields: map[string]any{"reason": strings.Repeat("r", 256)}, wantParam: "reason"},
		{name: "network_reason_code too long", base: baseChargeback, fields: map[string]any{"network_reason_code": strings.Repeat("1", 256)}, wantParam: "network_reason_code"},
		{name: "case_number a number", base: baseChargeback, fields: map[string]any{"case_number": 7}, wantParam: "case_number"},
		{name: "unknown currency", base: baseChargeback, fields: map[string]any{"currency": "ZZZ"}, wantParam: "currency"},
		{name: "currency with a blank", base: baseChargeback, fields: map[string]any{"currency": " USD"}, wantParam: "currency"},
		{name: "currency a symbol", base: baseChargeback, fields: map[string]any{"currency": "$"}, wantParam: "currency"},
		{name: "amount without currency", base: baseChargeback, fields: map[string]any{"currency": nil}, wantParam: "currency"},
		{name: "too many decimals", base: baseChargeback, fields: map[string]any{"amount": "49.999"}, wantParam: "amount"},
		{name: "decimals in a zero-decimal currency", base: baseChargeback, fields: map[string]any{"amount": "1500.5", "currency": "JPY"}, wantParam: "amount"},
		{name: "decimal with a comma", base: baseChargeback, fields: map[string]any{"amount": "49,99"}, wantParam: "amount"},
		{name: "decimal with a sign", base: baseChargeback, fields: map[string]any{"amount": "+49.99"}, wantParam: "amount"},
		{name: "decimal with an exponent", base: baseChargeback, fields: map[string]any{"amount": "4.999e1"}, wantParam: "amount"},
		{name: "empty amount string", base: baseChargeback, fields: map[string]any{"amount": ""}, wantParam: "amount"},
		{name: "negative decimal", base: baseChargeback, fields: map[string]any{"amount": "-49.99"}, wantParam: "amount"},
		{name: "zero decimal", base: baseChargeback, fields: map[string]any{"amount": "0.00"}, wantParam: "amount"},
		{name: "negative integer", base: baseChargeback, fields: map[string]any{"amount": -4999}, wantParam: "amount"},
		{name: "zero integer", base: baseChargeback, fields: map[string]any{"amount": 0}, wantParam: "amount"},
		{name: "JSON number with a fraction", base: baseChargeback, fields: map[string]any{"amount": json.RawMessage("49.99")}, wantParam: "amount"},
		{name: "JSON number with an exponent", base: baseChargeback, fields: map[string]any{"amount": json.RawMessage("5e3")}, wantParam: "amount"},
		{name: "integer out of range", base: baseChargeback, fields: map[string]any{"amount": json.RawMessage("9223372036854775808")}, wantParam: "amount"},
		{name: "decimal out of range", base: baseChargeback, fields: map[string]any{"amount": "92233720368547758.08"}, wantParam: "amount"},
		{name: "amount a boolean", base: baseChargeback, fields: map[string]any{"amount": true}, wantParam: "amount"},
		{name: "amount an object", base: baseChargeback, fields: map[string]any{"amount": map[string]any{"value": "1"}}, wantParam: "amount"},
		{name: "happened_at not RFC 3339", base: baseChargeback, fields: map[string]any{"happened_at": "2026-11-20 10:00:00"}, wantParam: "happened_at"},
		{name: "happened_at without a zone", base: baseChargeback, fields: map[string]any{"happened_at": "2026-11-20T10:00:00"}, wantParam: "happened_at"},
		{name: "happened_at a Unix time", base: baseChargeback, fields: map[string]any{"happened_at": 1795168800}, wantParam: "happened_at"},
		{name: "due_by a date only", base: baseChargeback, fields: map[string]any{"due_by": "2026-11-30"}, wantParam: "due_by"},
		{name: "due_by an impossible date", base: baseChargeback, fields: map[string]any{"due_by": "2026-02-30T00:00:00Z"}, wantParam: "due_by"},
		{name: "livemode a string", base: baseChargeback, fields: map[string]any{"livemode": "false"}, wantParam: "livemode"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			body := []byte(tt.body)
			if tt.base != "" {
				body = withFields(t, tt.base, tt.fields)
			}
			ev, err := parse(body)
			if !errors.Is(err, provider.ErrPayload) {
				t.Fatalf("Parse = %+v, %v; want an error wrapping ErrPayload", ev, err)
			}
			fe, ok := fault.As(err)
			if !ok {
				t.Fatalf("error %v carries no *fault.Error", err)
			}
			if fe.Param != tt.wantParam || fe.Kind != fault.Malformed {
				t.Errorf("param, kind = %q, %v; want %q, Malformed (error: %v)", fe.Param, fe.Kind, tt.wantParam, err)
			}
		})
	}
}
