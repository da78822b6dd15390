package dispute

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"disputed/internal/fault"
)

func TestNewPerType(t *testing.T) {
	t.Parallel()
	tests := []struct {
		typ    Type
		status Status
		stage  Stage
		reason string
		events []string
	}{
		{Chargeback, NeedsResponse, StageChargeback, "general", []string{"dispute.created", "order.disputed"}},
		{Inquiry, WarningNeedsResponse, StageInquiry, "general", []string{"dispute.created", "order.disputed"}},
		{Alert, Open, "", "", []string{"alert.created", "order.disputed"}},
		{Marketplace, Open, "", "", []string{"dispute.created", "order.disputed"}},
		{Manual, NeedsResponse, "", "fraudulent", []string{"dispute.created", "order.disputed"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.typ), func(t *testing.T) {
			t.Parallel()
			d, c, err := New(params(tt.typ))
			if err != nil {
				t.Fatal(err)
			}
			if d.Type != tt.typ || d.Status != tt.status || d.Stage != tt.stage || d.Reason != tt.reason {
				t.Errorf("type %s status %s stage %q reason %q; want %s %s %q %q", d.Type, d.Status, d.Stage, d.Reason, tt.typ, tt.status, tt.stage, tt.reason)
			}
			// Defaults from the charge.
			if d.Amount != 10000 || d.Currency != "USD" || d.TransactionID != "ch_1" || d.OrderID != "ord_1" || d.CustomerID != "cus_1" || d.VendorID != "ven_1" {
				t.Errorf("charge fields: %+v", d)
			}
			if d.Revision != 1 || !d.CreatedAt.Equal(t0) || !d.UpdatedAt.Equal(t0) || !d.HappenedAt.Equal(t0) {
				t.Errorf("revision %d created %v updated %v happened %v", d.Revision, d.CreatedAt, d.UpdatedAt, d.HappenedAt)
			}
			if d.Evidence == nil || d.Metadata == nil || len(d.Tags) != 0 || d.SubmissionCount != 0 || d.Resolution != "" {
				t.Errorf("a new dispute is not empty: %+v", d)
			}
			if !d.IsOpen() || !d.Matched() || d.HasEvidence() {
				t.Errorf("open %v matched %v evidence %v", d.IsOpen(), d.Matched(), d.HasEvidence())
			}
			if c.Action != "created" || c.From != "" || c.To != tt.status || !slices.Equal(c.Events, tt.events) || c.Note != tt.reason {
				t.Errorf("change %+v; want created ->%s events %v", c, tt.status, tt.events)
			}
		})
	}
}

func TestNewValidation(t *testing.T) {
	t.Parallel()
	type mod func(p *NewParams)
	unmatched := func(p *NewParams) { p.Charge = nil }
	tests := []struct {
		name  string
		typ   Type
		mod   mod
		code  string // "" when accepted
		param string
		check func(t *testing.T, d Dispute, c Change)
	}{
		{name: "unknown type", typ: "refund", code: "invalid_value", param: "type"},
		{name: "empty type", typ: "", code: "invalid_value", param: "type"},

		// Required fields per type.
		{name: "marketplace without order", typ: Marketplace, mod: unmatched, code: "parameter_missing", param: "order_id"},
		{name: "marketplace with order only", typ: Marketplace, mod: func(p *NewParams) { p.Charge, p.OrderID = nil, "ord_9" },
			check: func(t *testing.T, d Dispute, c Change) {
				if d.OrderID != "ord_9" || d.Amount != 0 || d.Currency != "" || d.Matched() {
					t.Errorf("dispute %+v", d)
				}
				if !slices.Equal(c.Events, []string{"dispute.created", "order.disputed"}) {
					t.Errorf("events %v", c.Events)
				}
			}},
		{name: "marketplace without initiated_by", typ: Marketplace, mod: func(p *NewParams) { p.InitiatedBy = "" }, code: "invalid_value", param: "initiated_by"},
		{name: "marketplace initiated by admin", typ: Marketplace, mod: func(p *NewParams) { p.InitiatedBy = "admin" }, code: "invalid_value", param: "initiated_by"},
		{name: "marketplace by vendor", typ: Marketplace, mod: func(p *NewParams) { p.InitiatedBy = Vendor },
			check: func(t *testing.T, d Dispute, _ Change) {
				if d.InitiatedBy != Vendor {
					t.Errorf("initiated by %q", d.InitiatedBy)
				}
			}},
		{name: "initiated_by on chargeback", typ: Chargeback, mod: func(p *NewParams) { p.InitiatedBy = Buyer }, code: "invalid_value", param: "initiated_by"},
		{name: "manual without order", typ: Manual, mod: unmatched, code: "parameter_missing", param: "order_id"},
		{name: "manual without reason", typ: Manual, mod: func(p *NewParams) { p.Reason = "   " }, code: "parameter_missing", param: "reason"},
		{name: "manual reason trimmed, told in description", typ: Manual,
			mod: func(p *NewParams) { p.Reason, p.Description = "  fraudulent \n", "stolen card, says the bank's letter" },
			check: func(t *testing.T, d Dispute, _ Change) {
				if d.Reason != "fraudulent" || d.Description != "stolen card, says the bank's letter" {
					t.Errorf("reason %q, description %q", d.Reason, d.Description)
				}
			}},
		{name: "manual free-text reason is kept as description", typ: Manual, mod: func(p *NewParams) { p.Reason = "stolen card" },
			check: func(t *testing.T, d Dispute, _ Change) {
				if d.Reason != ReasonGeneral || d.Description != "stolen card: customer called the bank" {
					t.Errorf("reason %q, description %q", d.Reason, d.Description)
				}
			}},
		{name: "chargeback unknown reason", typ: Chargeback, mod: func(p *NewParams) { p.Reason = strings.Repeat("r", 20) }, code: "invalid_value", param: "reason"},
		{name: "chargeback bank reason", typ: Chargeback, mod: func(p *NewParams) { p.Reason = ReasonInsufficientFunds }},
		{name: "marketplace bank reason", typ: Marketplace, mod: func(p *NewParams) { p.Reason = ReasonInsufficientFunds }, code: "invalid_value", param: "reason"},
		{name: "marketplace reason", typ: Marketplace, mod: func(p *NewParams) { p.Reason = ReasonProductNotReceived }},
		{name: "description too long", typ: Chargeback, mod: func(p *NewParams) { p.Description = strings.Repeat("d", 5001) }, code: "invalid_value", param: "description"},
		{name: "alert without alert_type", typ: Alert, mod: func(p *NewParams) { p.AlertType = "" }, code: "invalid_value", param: "alert_type"},
		{name: "alert with unknown alert_type", typ: Alert, mod: func(p *NewParams) { p.AlertType = "visa" }, code: "invalid_value", param: "alert_type"},
		{name: "alert_type on chargeback", typ: Chargeback, mod: func(p *NewParams) { p.AlertType = RDR }, code: "invalid_value", param: "alert_type"},
		{name: "unmatched alert", typ: Alert, mod: func(p *NewParams) { p.Charge, p.Amount, p.Currency = nil, 700, "EUR" },
			check: func(t *testing.T, d Dispute, c Change) {
				if d.Matched() || d.OrderID != "" || d.Amount != 700 || d.Currency != "EUR" {
					t.Errorf("dispute %+v", d)
				}
				if !slices.Equal(c.Events, []string{"alert.created"}) {
					t.Errorf("events %v, want only alert.created", c.Events)
				}
			}},
		{name: "unmatched chargeback has no order", typ: Chargeback, mod: func(p *NewParams) { p.Charge, p.Amount, p.Currency = nil, 700, "EUR" },
			check: func(t *testing.T, d Dispute, c Change) {
				if !slices.Equal(c.Events, []string{"dispute.created"}) {
					t.Errorf("events %v, want only dispute.created", c.Events)
				}
			}},

		// Stages.
		{name: "chargeback at pre_arbitration", typ: Chargeback, mod: func(p *NewParams) { p.Stage = StagePreArbitration },
			check: func(t *testing.T, d Dispute, _ Change) {
				if d.Stage != StagePreArbitration {
					t.Errorf("stage %q", d.Stage)
				}
			}},
		{name: "chargeback at inquiry stage", typ: Chargeback, mod: func(p *NewParams) { p.Stage = StageInquiry }, code: "invalid_value", param: "stage"},
		{name: "stage on manual", typ: Manual, mod: func(p *NewParams) { p.Stage = StageChargeback }, code: "invalid_value", param: "stage"},
		{name: "stage on alert", typ: Alert, mod: func(p *NewParams) { p.Stage = StageChargeback }, code: "invalid_value", param: "stage"},
		{name: "stage on marketplace", typ: Marketplace, mod: func(p *NewParams) { p.Stage = StageArbitration }, code: "invalid_value", param: "stage"},

		// Amount and currency.
		{name: "amount below the charge", typ: Chargeback, mod: func(p *NewParams) { p.Amount = 2500 },
			check: func(t *testing.T, d Dispute, _ Change) {
				if d.Amount != 2500 || d.Currency != "USD" {
					t.Errorf("amount %d %s", d.Amount, d.Currency)
				}
			}},
		{name: "amount equal to the charge", typ: Chargeback, mod: func(p *NewParams) { p.Amount = 10000 }},
		{name: "amount above the charge", typ: Chargeback, mod: func(p *NewParams) { p.Amount = 10001 }, code: "invalid_amount", param: "amount"},
		{name: "amount above the charge, marketplace", typ: Marketplace, mod: func(p *NewParams) { p.Amount = 10001 }, code: "invalid_amount", param: "amount"},
		{name: "currency mismatch", typ: Chargeback, mod: func(p *NewParams) { p.Currency = "EUR" }, code: "currency_mismatch", param: "currency"},
		{name: "negative amount with charge", typ: Chargeback, mod: func(p *NewParams) { p.Amount = -1 }, code: "invalid_amount", param: "amount"},
		{name: "negative amount without charge", typ: Chargeback, mod: func(p *NewParams) { p.Charge, p.Amount, p.Currency = nil, -1, "USD" }, code: "invalid_amount", param: "amount"},
		{name: "negative amount marketplace", typ: Marketplace, mod: func(p *NewParams) { p.Amount = -1 }, code: "invalid_amount", param: "amount"},
		{name: "no amount without charge", typ: Chargeback, mod: func(p *NewParams) { p.Charge, p.Currency = nil, "USD" }, code: "parameter_missing", param: "amount"},
		{name: "no currency without charge", typ: Inquiry, mod: func(p *NewParams) { p.Charge, p.Amount = nil, 100 }, code: "parameter_missing", param: "currency"},
		{name: "charge of another order", typ: Manual, mod: func(p *NewParams) { p.OrderID = "ord_2" }, code: "invalid_value", param: "order_id"},
		{name: "charge of the same order", typ: Manual, mod: func(p *NewParams) { p.OrderID = "ord_1" }},

		// Tags and metadata.
		{name: "tags normalised", typ: Chargeback, mod: func(p *NewParams) { p.Tags = []string{" vip ", "fraud", "vip"} },
			check: func(t *testing.T, d Dispute, _ Change) {
				if !slices.Equal(d.Tags, []string{"vip", "fraud"}) {
					t.Errorf("tags %q", d.Tags)
				}
			}},
		{name: "empty tag", typ: Chargeback, mod: func(p *NewParams) { p.Tags = []string{"ok", "  "} }, code: "invalid_value", param: "tags"},
		{name: "tag too long", typ: Chargeback, mod: func(p *NewParams) { p.Tags = []string{strings.Repeat("t", 65)} }, code: "invalid_value", param: "tags"},
		{name: "tag at limit", typ: Chargeback, mod: func(p *NewParams) { p.Tags = []string{strings.Repeat("t", 64)} }},
		{name: "50 tags", typ: Chargeback, mod: func(p *NewParams) { p.Tags = numbered("t", 50) }},
		{name: "51 tags", typ: Chargeback, mod: func(p *NewParams) { p.Tags = numbered("t", 51) }, code: "invalid_value", param: "tags"},
		{name: "51 tags with duplicates", typ: Chargeback, mod: func(p *NewParams) { p.Tags = append(numbered("t", 50), "t0") }},
		{name: "50 metadata keys", typ: Chargeback, mod: func(p *NewParams) { p.Metadata = metadata(50) }},
		{name: "51 metadata keys", typ: Chargeback, mod: func(p *NewParams) { p.Metadata = metadata(51) }, code: "invalid_value", param: "metadata"},
		{name: "empty metadata key", typ: Chargeback, mod: func(p *NewParams) { p.Metadata = map[string]string{"": "v"} }, code: "invalid_value", param: "metadata"},
		{name: "metadata key too long", typ: Chargeback, mod: func(p *NewParams) { p.Metadata = map[string]string{strings.Repeat("k", 41): "v"} }, code: "invalid_value", param: "metadata"},
		{name: "metadata value too long", typ: Chargeback, mod: func(p *NewParams) { p.Metadata = map[string]string{"k": strings.Repeat("v", 501)} }, code: "invalid_value", param: "metadata"},
		{name: "metadata at limits", typ: Chargeback, mod: func(p *NewParams) { p.Metadata = map[string]string{strings.Repeat("k", 40): strings.Repeat("v", 500)} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := params(tt.typ)
			if tt.mod != nil {
				tt.mod(&p)
			}
			d, c, err := New(p)
			if tt.code != "" {
				wantFault(t, err, fault.Invalid, tt.code, tt.param)
				if d.ID != "" || c.Action != "" {
					t.Errorf("a refused New returned %+v, %+v", d, c)
				}
				return
			}
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			if tt.check != nil {
				tt.check(t, d, c)
			}
		})
	}
}

func numbered(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%d", prefix, i)
	}
	return out
}

func metadata(n int) map[string]string {
	m := map[string]string{}
	for _, k := range numbered("k", n) {
		m[k] = "v"
	}
	return m
}

// TestSecurityDisputeAmountCapped: a dispute can never be for more than what it disputes — the
// charge, or the order's total when no charge is recorded (a buyer opened a marketplace dispute
// for 4,611,686,018,427,387,904 USD on a 15.00 order).
func TestSecurityDisputeAmountCapped(t *testing.T) {
	t.Parallel()
	onOrder := func(typ Type, amount int64) NewParams {
		p := params(typ)
		p.Charge, p.OrderID, p.Amount, p.Currency, p.OrderTotal, p.OrderCurrency = nil, "ord_1", amount, "USD", 1500, "USD"
		return p
	}
	for _, typ := range []Type{Marketplace, Manual, Chargeback} {
		_, _, err := New(onOrder(typ, 4611686018427387904))
		if f, ok := fault.As(err); !ok || f.Code != "invalid_amount" || f.Param != "amount" {
			t.Errorf("%s for more than the order's total: %v; want invalid_amount naming amount", typ, err)
		}
		d, _, err := New(onOrder(typ, 1500))
		if err != nil || d.Amount != 1500 {
			t.Errorf("%s for the order's total: %v, amount %d", typ, err, d.Amount)
		}
	}
	if d, _, err := New(onOrder(Marketplace, 0)); err != nil || d.Amount != 1500 {
		t.Errorf("a marketplace dispute without an amount: %v, amount %d; want the order's total", err, d.Amount)
	}
	p := onOrder(Marketplace, 100)
	p.Currency = "EUR"
	if _, _, err := New(p); fault.Code(err) != "currency_mismatch" {
		t.Errorf("a dispute in another currency than its order: %v; want currency_mismatch", err)
	}
	p = params(Chargeback)
	p.Amount = p.Charge.Amount + 1
	if _, _, err := New(p); fault.Code(err) != "invalid_amount" {
		t.Errorf("a dispute for more than its charge: %v; want invalid_amount", err)
	}
}

// TestNewAtTheProvidersStatus: a provider's case opens where the provider says it stands, when
// that is one of its type's open statuses; any other status is refused.
func TestNewAtTheProvidersStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		typ  Type
		in   Status
		want Status // "" for refused
	}{
		{Chargeback, UnderReview, UnderReview},
		{Chargeback, NeedsResponse, NeedsResponse},
		{Inquiry, WarningUnderReview, WarningUnderReview},
		{Chargeback, Won, ""},
		{Chargeback, Lost, ""},
		{Chargeback, WarningUnderReview, ""},
		{Inquiry, UnderReview, ""},
		{Manual, UnderReview, ""},
		{Alert, Open, ""},
	}
	for _, tt := range tests {
		if got := OpeningStatus(tt.typ, tt.in); got != tt.want {
			t.Errorf("OpeningStatus(%s, %s) = %q, want %q", tt.typ, tt.in, got, tt.want)
		}
		p := params(tt.typ)
		p.Status = tt.in
		d, c, err := New(p)
		switch {
		case tt.want == "" && err == nil:
			t.Errorf("a %s opened in %s", tt.typ, tt.in)
		case tt.want != "" && (err != nil || d.Status != tt.want || c.To != tt.want):
			t.Errorf("a %s opening in %s: %s, %+v, %v", tt.typ, tt.in, d.Status, c, err)
		}
	}
}
