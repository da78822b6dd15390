package httpapi

import (
	"context"
	"maps"
	"slices"
	"time"

	"disputed/internal/app"
	"disputed/internal/rules"
)

// Rule is an automation rule: when its expression matches a dispute, the server takes its action.
type Rule struct {
	ID        string      `json:"id"`
	Object    string      `json:"object" enum:"rule"`
	Name      string      `json:"name"`
	When      string      `json:"when" doc:"the expression over the dispute's attributes (README: Rules)"`
	Action    string      `json:"action" enum:"accept,refund,submit_evidence,tag,block_customer,notify"`
	Params    RuleOptions `json:"params"`
	Enabled   bool        `json:"enabled"`
	ActedOn   int         `json:"acted_on" doc:"how many disputes the rule acted on (skipped runs not counted)"`
	CreatedBy string      `json:"created_by"`
	CreatedAt time.Time   `json:"created_at"`
	UpdatedAt time.Time   `json:"updated_at"`
}

// RuleOptions are a rule action's parameters; each action takes its own only.
type RuleOptions struct {
	HoursBeforeDue  *int    `json:"hours_before_due,omitempty" minimum:"1" maximum:"2880" doc:"submit_evidence: act this many hours before the due date"`
	MinCompleteness *int    `json:"min_completeness,omitempty" minimum:"0" maximum:"100" doc:"submit_evidence: submit only when the evidence is at least this complete (0 to 100); otherwise the timeline says why not"`
	Tag             *string `json:"tag,omitempty" maxLength:"100" doc:"tag: the tag to add"`
	Message         *string `json:"message,omitempty" maxLength:"1000" doc:"notify: words for the admins' email"`
}

func (o RuleOptions) params() rules.Params {
	var p rules.Params
	if o.HoursBeforeDue != nil {
		p.HoursBeforeDue = *o.HoursBeforeDue
	}
	if o.MinCompleteness != nil {
		p.MinCompleteness = *o.MinCompleteness
	}
	if o.Tag != nil {
		p.Tag = *o.Tag
	}
	if o.Message != nil {
		p.Message = *o.Message
	}
	return p
}

func ruleOut(v app.RuleView) Rule {
	r := v.Rule
	out := Rule{ID: r.ID, Object: "rule", Name: r.Name, When: r.When, Action: string(r.Action), Enabled: r.Enabled, ActedOn: v.ActedOn,
		CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	switch r.Action {
	case rules.SubmitEvidence:
		out.Params.HoursBeforeDue, out.Params.MinCompleteness = ptr(r.Params.HoursBeforeDue), ptr(r.Params.MinCompleteness)
	case rules.Tag:
		out.Params.Tag = ptr(r.Params.Tag)
	case rules.Notify:
		out.Params.Message = opt(r.Params.Message)
	}
	return out
}

// RuleBody writes a rule; on an update, the fields left out stay as they are.
type RuleBody struct {
	Name    *string      `json:"name,omitempty" maxLength:"200"`
	When    *string      `json:"when,omitempty" maxLength:"4000" doc:"e.g. type == \"alert\" && amount <= 2500; an unknown name or a type error is refused (422, param when, the message starting line:column)"`
	Action  *string      `json:"action,omitempty" enum:"accept,refund,submit_evidence,tag,block_customer,notify"`
	Params  *RuleOptions `json:"params,omitempty"`
	Enabled *bool        `json:"enabled,omitempty" doc:"a new rule is disabled unless this is true"`
}

func (b RuleBody) params() app.RuleParams {
	p := app.RuleParams{Name: b.Name, When: b.When, Action: b.Action, Enabled: b.Enabled}
	if b.Params != nil {
		params := b.Params.params()
		p.Params = &params
	}
	return p
}

// RuleIn creates a rule.
type RuleIn struct{ Body RuleBody }

// RuleUpdateIn changes a rule.
type RuleUpdateIn struct {
	ID   string `path:"id" maxLength:"64"`
	Body RuleBody
}

// RuleOut answers with a rule.
type RuleOut struct{ Body Rule }

// RulesOut lists every rule, in the order they run.
type RulesOut struct{ Body List[Rule] }

// BacktestIn names the rule to try: a saved one (rule_id), or one not saved (rule); with both,
// rule's fields change the saved one's for the try.
type BacktestIn struct {
	Body struct {
		RuleID string    `json:"rule_id,omitempty" maxLength:"64"`
		Rule   *RuleBody `json:"rule,omitempty"`
	}
}

// Money is an amount in minor units of a currency.
type Money struct {
	Amount        int64  `json:"amount"`
	AmountDecimal string `json:"amount_decimal"`
	Currency      string `json:"currency"`
}

// BacktestMatch is a decided dispute the rule matched.
type BacktestMatch struct {
	DisputeID string `json:"dispute_id"`
	Amount    int64  `json:"amount"`
	Currency  string `json:"currency"`
	Outcome   string `json:"outcome" doc:"won, lost, accepted (conceded), or the status it ended in (warning_closed, resolved, closed)"`
}

// Backtest is what a rule would have done to the merchant's decided disputes.
type Backtest struct {
	Object        string          `json:"object" enum:"backtest"`
	Decided       int             `json:"decided" doc:"the disputes examined: every chargeback, inquiry, alert and manual dispute that ended"`
	Matched       int             `json:"matched" doc:"the decided disputes the rule matches"`
	FeesSaved     []Money         `json:"fees_saved" doc:"per currency of the fee: over the matched disputes fought (evidence submitted) and not won, the provider's fees after its first (the dispute fee, due however the merchant answers), net of fees given back: what fighting cost beyond it (Stripe's counter fee), which accepting or refunding at once would have saved"`
	AmountGivenUp []Money         `json:"amount_given_up" doc:"per currency: the disputed amounts of the matched disputes that were won"`
	WinsForgone   int             `json:"wins_forgone" doc:"matched disputes that were won"`
	Failed        int             `json:"failed" doc:"decided disputes on which the expression failed (compared a nil value: p_win, expected_value and hours_to_due are nil for decided disputes, amount_reporting without a rate): not matched"`
	FirstFailure  *string         `json:"first_failure" doc:"why the expression failed on the first of them"`
	Sample        []BacktestMatch `json:"sample" doc:"up to 10 matched disputes, newest first"`
}

// BacktestOut answers a backtest.
type BacktestOut struct{ Body Backtest }

func moneyList(m map[string]int64) []Money {
	out := []Money{}
	for _, c := range slices.Sorted(maps.Keys(m)) {
		out = append(out, Money{Amount: m[c], AmountDecimal: decimal(m[c], c), Currency: c})
	}
	return out
}

func backtestOut(b app.Backtest) Backtest {
	out := Backtest{Object: "backtest", Decided: b.Decided, Matched: b.Matched, FeesSaved: moneyList(b.FeesSaved),
		AmountGivenUp: moneyList(b.AmountGivenUp), WinsForgone: b.WinsForgone, Failed: b.Failed, FirstFailure: opt(b.FirstFailure),
		Sample: []BacktestMatch{}}
	for _, m := range b.Sample {
		out.Sample = append(out.Sample, BacktestMatch{DisputeID: m.DisputeID, Amount: m.Amount, Currency: m.Currency, Outcome: m.Outcome})
	}
	return out
}

// RuleMatch is what the rule.matched event carries.
type RuleMatch struct {
	Object  string  `json:"object" enum:"rule_match"`
	Rule    Rule    `json:"rule"`
	Dispute Dispute `json:"dispute"`
}

func (s *Server) createRule(ctx context.Context, in *RuleIn) (*RuleOut, error) {
	r, err := s.app.CreateRule(ctx, who(ctx), in.Body.params())
	if err != nil {
		return nil, err
	}
	return &RuleOut{Body: ruleOut(r)}, nil
}

func (s *Server) updateRule(ctx context.Context, in *RuleUpdateIn) (*RuleOut, error) {
	r, err := s.app.UpdateRule(ctx, who(ctx), in.ID, in.Body.params())
	if err != nil {
		return nil, err
	}
	return &RuleOut{Body: ruleOut(r)}, nil
}

func (s *Server) getRule(ctx context.Context, in *ByID) (*RuleOut, error) {
	r, err := s.app.Rule(ctx, who(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return &RuleOut{Body: ruleOut(r)}, nil
}

func (s *Server) listRules(ctx context.Context, _ *struct{}) (*RulesOut, error) {
	rs, err := s.app.Rules(ctx, who(ctx))
	if err != nil {
		return nil, err
	}
	out := List[Rule]{Object: "list", Data: []Rule{}}
	for _, r := range rs {
		out.Data = append(out.Data, ruleOut(r))
	}
	return &RulesOut{Body: out}, nil
}

func (s *Server) deleteRule(ctx context.Context, in *ByID) (*DeletedOut, error) {
	if err := s.app.DeleteRule(ctx, who(ctx), in.ID); err != nil {
		return nil, err
	}
	return deleted(in.ID, "rule"), nil
}

func (s *Server) backtestRule(ctx context.Context, in *BacktestIn) (*BacktestOut, error) {
	p := app.BacktestParams{RuleID: in.Body.RuleID}
	if in.Body.Rule != nil {
		rp := in.Body.Rule.params()
		p.Rule = &rp
	}
	b, err := s.app.BacktestRule(ctx, who(ctx), p)
	if err != nil {
		return nil, err
	}
	return &BacktestOut{Body: backtestOut(b)}, nil
}
