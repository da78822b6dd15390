package sqlstore

import (
	"context"
	"database/sql"

	"disputed/internal/dispute"
	"disputed/internal/rules"
	"disputed/internal/store"
	"disputed/internal/store/query"
)

func (t *tx) InsertRule(ctx context.Context, r rules.Rule) error {
	t.memo.rules = nil
	var j jsonColumns
	params := j.encode(r.Params)
	if j.err != nil {
		return j.err
	}
	err := t.q.InsertRule(ctx, query.InsertRuleParams{ID: r.ID, Name: r.Name, Expression: r.When, Action: string(r.Action),
		Params: params, Enabled: r.Enabled, CreatedBy: r.CreatedBy, CreatedAt: millis(r.CreatedAt), UpdatedAt: millis(r.UpdatedAt)})
	if err != nil {
		return t.fail(err, "insert rule %s", r.ID)
	}
	return nil
}

// UpdateRule returns store.ErrNotFound when there is no such rule.
func (t *tx) UpdateRule(ctx context.Context, r rules.Rule) error {
	t.memo.rules = nil
	var j jsonColumns
	params := j.encode(r.Params)
	if j.err != nil {
		return j.err
	}
	n, err := t.q.UpdateRule(ctx, query.UpdateRuleParams{ID: r.ID, Name: r.Name, Expression: r.When, Action: string(r.Action),
		Params: params, Enabled: r.Enabled, UpdatedAt: millis(r.UpdatedAt)})
	if err == nil && n == 0 {
		err = store.ErrNotFound
	}
	if err != nil {
		return t.fail(err, "update rule %s", r.ID)
	}
	return nil
}

// DeleteRule returns store.ErrNotFound when there is no such rule.
func (t *tx) DeleteRule(ctx context.Context, id string) error {
	t.memo.rules = nil
	n, err := t.q.DeleteRule(ctx, id)
	if err == nil && n == 0 {
		err = store.ErrNotFound
	}
	if err == nil {
		err = t.q.DeleteRuleActs(ctx, id)
	}
	if err != nil {
		return t.fail(err, "delete rule %s", id)
	}
	return nil
}

func (t *tx) InsertRuleRun(ctx context.Context, r store.RuleRun) error {
	err := inserted(t.q.InsertRuleRun(ctx, query.InsertRuleRunParams{RuleID: r.RuleID, DisputeID: r.DisputeID,
		Action: string(r.Action), Outcome: r.Outcome, Note: r.Note, At: millis(r.At)}))
	if err != nil {
		return t.fail(err, "insert run of rule %s on dispute %s", r.RuleID, r.DisputeID)
	}
	if r.Outcome == store.RuleDone {
		t.pending.acts.add(r.RuleID)
	}
	return nil
}

func (c *conn) GetRule(ctx context.Context, id string) (rules.Rule, error) {
	r, err := c.q.GetRule(ctx, id)
	if err != nil {
		return rules.Rule{}, c.fail(err, "get rule %s", id)
	}
	return ruleFromRow(r)
}

func (c *conn) ListRules(ctx context.Context) ([]rules.Rule, error) {
	rows, err := c.q.ListRules(ctx)
	if err != nil {
		return nil, c.fail(err, "list rules")
	}
	out := make([]rules.Rule, len(rows))
	for i, r := range rows {
		if out[i], err = ruleFromRow(r); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func ruleFromRow(r query.Rule) (rules.Rule, error) {
	var j jsonColumns
	var p rules.Params
	j.decode(r.Params, &p)
	if j.err != nil {
		return rules.Rule{}, j.err
	}
	return rules.Rule{ID: r.ID, Name: r.Name, When: r.Expression, Action: rules.Action(r.Action), Params: p, Enabled: r.Enabled,
		CreatedBy: r.CreatedBy, CreatedAt: fromMillis(r.CreatedAt), UpdatedAt: fromMillis(r.UpdatedAt)}, nil
}

func (c *conn) RuleRunsOfDispute(ctx context.Context, disputeID string) ([]store.RuleRun, error) {
	rows, err := c.q.RuleRunsOfDispute(ctx, disputeID)
	if err != nil {
		return nil, c.fail(err, "runs of rules on dispute %s", disputeID)
	}
	out := make([]store.RuleRun, len(rows))
	for i, r := range rows {
		out[i] = store.RuleRun{RuleID: r.RuleID, DisputeID: r.DisputeID, Action: rules.Action(r.Action), Outcome: r.Outcome,
			Note: r.Note, At: fromMillis(r.At)}
	}
	return out, nil
}

func (c *conn) RuleActedCounts(ctx context.Context) (map[string]int, error) {
	rows, err := c.q.RuleActs(ctx)
	if err != nil {
		return nil, c.fail(err, "read the disputes each rule acted on")
	}
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.RuleID] = int(r.Acted)
	}
	return out, nil
}

// disputeFacts is the slim projection of the disputes a backtest reads.
const disputeFacts = `SELECT id, type, alert_type, status, stage, reason, network_reason_code, network, channel,
    amount, currency, provider, customer_id, order_id, initiated_by, tags, metadata, livemode, resolution, fees,
    evidence, evidence_sources, defended_at, accepted_at, happened_at, due_by, created_at
FROM disputes ORDER BY created_at, id`

func (c *conn) EachDisputeFacts(ctx context.Context, fn func(dispute.Dispute) error) error {
	rows, err := c.query(ctx, disputeFacts)
	if err != nil {
		return c.fail(err, "read dispute facts")
	}
	defer rows.Close()
	var (
		d                                                         dispute.Dispute
		typ, alert, status, stage, channel, initiated, resolution string
		tags, metadata, fees, evidence, sources                   string
		defended, accepted, happened, due                         sql.NullInt64
		created                                                   int64
	)
	for rows.Next() {
		err := rows.Scan(&d.ID, &typ, &alert, &status, &stage, &d.Reason, &d.NetworkReasonCode, &d.Network, &channel,
			&d.Amount, &d.Currency, &d.Provider, &d.CustomerID, &d.OrderID, &initiated, &tags, &metadata, &d.Livemode,
			&resolution, &fees, &evidence, &sources, &defended, &accepted, &happened, &due, &created)
		if err != nil {
			return c.fail(err, "read dispute facts")
		}
		var j jsonColumns
		d.Type, d.AlertType, d.Status, d.Stage = dispute.Type(typ), dispute.AlertType(alert), dispute.Status(status), dispute.Stage(stage)
		d.Channel, d.InitiatedBy, d.Resolution = dispute.Channel(channel), dispute.Party(initiated), dispute.Resolution(resolution)
		d.Tags, d.Metadata, d.Fees = j.decodeStringSlice(tags), j.decodeStringMap(metadata), j.decodeFees(fees)
		d.Evidence, d.EvidenceSources = j.decodeStringMap(evidence), j.decodeSources(sources)
		d.DefendedAt, d.AcceptedAt, d.HappenedAt, d.DueBy = fromNullMillis(defended), fromNullMillis(accepted), fromNullMillis(happened), fromNullMillis(due)
		d.CreatedAt = fromMillis(created)
		if j.err != nil {
			return c.fail(j.err, "dispute %s", d.ID)
		}
		if err := fn(d); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return c.fail(err, "read dispute facts")
	}
	return nil
}
