package rules

import (
	"testing"

	"disputed/internal/fault"
)

func TestCheckParams(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		rule  Rule
		param string // "" when valid
	}{
		{"accept", Rule{Name: "small", Action: Accept}, ""},
		{"no name", Rule{Action: Accept}, "name"},
		{"no action", Rule{Name: "x"}, "action"},
		{"unknown action", Rule{Name: "x", Action: "delete"}, "action"},
		{"accept takes nothing", Rule{Name: "x", Action: Accept, Params: Params{Tag: "a"}}, "params"},
		{"submit", Rule{Name: "x", Action: SubmitEvidence, Params: Params{HoursBeforeDue: 24, MinCompleteness: 80}}, ""},
		{"submit without hours", Rule{Name: "x", Action: SubmitEvidence, Params: Params{MinCompleteness: 80}}, "params.hours_before_due"},
		{"submit over 100", Rule{Name: "x", Action: SubmitEvidence, Params: Params{HoursBeforeDue: 2, MinCompleteness: 101}}, "params.min_completeness"},
		{"submit below 0", Rule{Name: "x", Action: SubmitEvidence, Params: Params{HoursBeforeDue: 2, MinCompleteness: -1}}, "params.min_completeness"},
		{"tag", Rule{Name: "x", Action: Tag, Params: Params{Tag: "small"}}, ""},
		{"tag missing", Rule{Name: "x", Action: Tag}, "params.tag"},
		{"tag spaced", Rule{Name: "x", Action: Tag, Params: Params{Tag: " a"}}, "params.tag"},
		{"tag with hours", Rule{Name: "x", Action: Tag, Params: Params{Tag: "a", HoursBeforeDue: 3}}, "params"},
		{"notify", Rule{Name: "x", Action: Notify}, ""},
		{"notify message", Rule{Name: "x", Action: Notify, Params: Params{Message: "look"}}, ""},
		{"refund", Rule{Name: "x", Action: Refund}, ""},
		{"block", Rule{Name: "x", Action: BlockCustomer}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.rule.Check()
			f, _ := fault.As(err)
			switch {
			case tt.param == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.param != "" && (f == nil || f.Param != tt.param || f.Kind != fault.Invalid):
				t.Fatalf("got %v, want a fault on %s", err, tt.param)
			}
		})
	}
}

func TestCompileNamesThePlaceOfTheError(t *testing.T) {
	t.Parallel()
	tests := []struct{ when, message string }{
		{"amount > 'x'", "1:8: invalid operation: > (mismatched types int64 and string)"},
		{"amount < 1000 &&\n  reson == 'fraud'", "2:3: unknown name reson"},
		{"amount", "1:1: expected bool, but got int64"},
		{"amount <", "1:8: unexpected token EOF"},
	}
	for _, tt := range tests {
		_, err := Compile(tt.when)
		f, ok := fault.As(err)
		if !ok || f.Param != "when" || f.Message != tt.message {
			t.Errorf("%q: got %v, want %q on when", tt.when, err, tt.message)
		}
	}
}

func TestMatch(t *testing.T) {
	t.Parallel()
	rate, pwin := int64(900), 0.2
	tests := []struct {
		when    string
		env     Env
		want    bool
		failing bool
	}{
		{"amount <= 1000 && currency == 'usd'", Env{Amount: 1000, Currency: "usd"}, true, false},
		{"amount <= 1000 && currency == 'usd'", Env{Amount: 1001, Currency: "usd"}, false, false},
		{"type == 'alert' && alert_type in ['ethoca', 'cdrn']", Env{Type: "alert", AlertType: "cdrn"}, true, false},
		{"'vip' in tags || customer_disputes > 2", Env{Tags: []string{"vip"}}, true, false},
		{"metadata.plan == 'gold'", Env{Metadata: map[string]string{"plan": "gold"}}, true, false},
		{"reason_category == 'fraud' || network == 'visa'", Env{Network: "visa"}, true, false},
		{"amount_reporting <= 1000", Env{AmountReporting: &rate}, true, false},
		{"amount_reporting <= 1000", Env{}, false, true},
		{"amount_reporting != nil && amount_reporting <= 1000", Env{}, false, false},
		{"amount_reporting == nil", Env{}, true, false},
		{"p_win != nil && p_win < 0.3 && completeness < 50", Env{PWin: &pwin, Completeness: 40}, true, false},
	}
	for _, tt := range tests {
		p, err := Compile(tt.when)
		if err != nil {
			t.Fatalf("%q: %v", tt.when, err)
		}
		got, err := p.Match(&tt.env)
		if got != tt.want || (err != nil) != tt.failing {
			t.Errorf("%q on %+v: %v, %v; want %v, failing %v", tt.when, tt.env, got, err, tt.want, tt.failing)
		}
	}
}

// BenchmarkMatch is one rule of the size merchants write, evaluated with its attributes at hand:
// what a rule adds to a dispute's evaluation beyond gathering the attributes (the target is
// well under 50 µs).
func BenchmarkMatch(b *testing.B) {
	p, err := Compile("(type == 'alert' && amount <= 2500) || (reason_category == 'fraud' && amount_reporting != nil && amount_reporting < 1500 && customer_disputes > 0) || 'vip' in tags")
	if err != nil {
		b.Fatal(err)
	}
	rate := int64(1400)
	env := Env{Type: "chargeback", Amount: 1400, Currency: "eur", ReasonCategory: "fraud", AmountReporting: &rate,
		CustomerDisputes: 1, Tags: []string{"a", "b"}}
	for b.Loop() {
		if ok, err := p.Match(&env); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}
