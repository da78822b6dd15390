package app

import (
	"context"
	"strings"
	"time"

	"disputed/internal/actor"
	"disputed/internal/rules"
	"disputed/internal/store"
)

// RuleParams write a rule; on a change, nil fields are left as they are.
type RuleParams struct {
	Name    *string
	When    *string
	Action  *string
	Params  *rules.Params
	Enabled *bool // a new rule is disabled unless it says otherwise
}

// apply writes p over r.
func (p RuleParams) apply(r *rules.Rule) {
	if p.Name != nil {
		r.Name = strings.TrimSpace(*p.Name)
	}
	if p.When != nil {
		r.When = *p.When
	}
	if p.Action != nil {
		r.Action = rules.Action(*p.Action)
	}
	if p.Params != nil {
		r.Params = *p.Params
	}
	if p.Enabled != nil {
		r.Enabled = *p.Enabled
	}
}

// checkRule refuses a rule that could not run: its name, action and params (rules.Rule.Check),
// then its expression, whose error names its line and column. It returns the compiled expression.
func checkRule(r rules.Rule) (rules.Program, error) {
	if err := r.Check(); err != nil {
		return rules.Program{}, err
	}
	return rules.Compile(r.When)
}

// RuleView is a rule with how many disputes it acted on.
type RuleView struct {
	rules.Rule
	ActedOn int
}

// CreateRule saves a new rule (admins only). It runs from the next time a dispute opens or
// changes.
func (a *App) CreateRule(ctx context.Context, who actor.Actor, p RuleParams) (RuleView, error) {
	if err := adminOnly(who, "write rules"); err != nil {
		return RuleView{}, err
	}
	var r rules.Rule
	p.apply(&r)
	if _, err := checkRule(r); err != nil {
		return RuleView{}, err
	}
	err := a.write(ctx, false, func(tx store.Tx, now time.Time) error {
		r.ID, r.CreatedBy, r.CreatedAt, r.UpdatedAt = a.ids.New("rul"), who.String(), now, now
		return tx.InsertRule(ctx, r)
	})
	return RuleView{Rule: r}, err
}

// UpdateRule changes a rule (admins only); what it already did stays done.
func (a *App) UpdateRule(ctx context.Context, who actor.Actor, id string, p RuleParams) (RuleView, error) {
	if err := adminOnly(who, "write rules"); err != nil {
		return RuleView{}, err
	}
	var v RuleView
	err := a.write(ctx, true, func(tx store.Tx, now time.Time) error {
		r, err := tx.GetRule(ctx, id)
		if err != nil {
			return store.NotFound(err, "rule", id)
		}
		p.apply(&r)
		if _, err := checkRule(r); err != nil {
			return err
		}
		r.UpdatedAt = now
		if err := tx.UpdateRule(ctx, r); err != nil {
			return err
		}
		counts, err := tx.RuleActedCounts(ctx)
		v = RuleView{Rule: r, ActedOn: counts[r.ID]}
		return err
	})
	return v, err
}

// DeleteRule deletes a rule (admins only); the disputes' timelines keep what it did.
func (a *App) DeleteRule(ctx context.Context, who actor.Actor, id string) error {
	if err := adminOnly(who, "write rules"); err != nil {
		return err
	}
	return a.write(ctx, false, func(tx store.Tx, _ time.Time) error {
		return store.NotFound(tx.DeleteRule(ctx, id), "rule", id)
	})
}

// Rule returns one rule (staff).
func (a *App) Rule(ctx context.Context, who actor.Actor, id string) (RuleView, error) {
	if err := staff(who, "read rules"); err != nil {
		return RuleView{}, err
	}
	r, err := a.store.GetRule(ctx, id)
	if err != nil {
		return RuleView{}, store.NotFound(err, "rule", id)
	}
	counts, err := a.store.RuleActedCounts(ctx)
	return RuleView{Rule: r, ActedOn: counts[r.ID]}, err
}

// Rules returns every rule in the order they run (staff).
func (a *App) Rules(ctx context.Context, who actor.Actor) ([]RuleView, error) {
	if err := staff(who, "read rules"); err != nil {
		return nil, err
	}
	list, err := a.store.ListRules(ctx)
	if err != nil {
		return nil, err
	}
	counts, err := a.store.RuleActedCounts(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]RuleView, len(list))
	for i, r := range list {
		out[i] = RuleView{Rule: r, ActedOn: counts[r.ID]}
	}
	return out, nil
}
