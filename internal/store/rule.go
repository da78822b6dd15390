package store

import (
	"context"
	"time"

	"disputed/internal/dispute"
	"disputed/internal/rules"
)

// RuleReader reads the automation rules and what they did.
type RuleReader interface {
	// ListRules returns every rule in the order they run: oldest first.
	ListRules(ctx context.Context) ([]rules.Rule, error)
	GetRule(ctx context.Context, id string) (rules.Rule, error)
	// RuleRunsOfDispute returns what the rules did to a dispute, oldest first.
	RuleRunsOfDispute(ctx context.Context, disputeID string) ([]RuleRun, error)
	// RuleActedCounts returns, per rule id, how many disputes the rule acted on (outcome done).
	RuleActedCounts(ctx context.Context) (map[string]int, error)
	// EachDisputeFacts calls fn with every dispute, oldest first (created_at, id), read in one
	// statement and streamed: a backtest over many disputes reads them once. Only the fields a
	// rule's attributes and the backtest's figures need are filled: ID, Type, AlertType, Status,
	// Stage, Reason, NetworkReasonCode, Network, Channel, Amount, Currency, Provider, CustomerID,
	// OrderID, InitiatedBy, Tags, Metadata, Livemode, Resolution, Fees, Evidence,
	// EvidenceSources, DefendedAt, AcceptedAt, HappenedAt, DueBy and CreatedAt.
	EachDisputeFacts(ctx context.Context, fn func(dispute.Dispute) error) error
}

// RuleWriter writes the rules and their runs, inside a Tx.
type RuleWriter interface {
	InsertRule(ctx context.Context, r rules.Rule) error
	// UpdateRule writes r over the rule of its id (ErrNotFound when there is none).
	UpdateRule(ctx context.Context, r rules.Rule) error
	DeleteRule(ctx context.Context, id string) error
	// InsertRuleRun records that a rule acted on a dispute; ErrConflict when it already had,
	// even from another transaction that committed first: a rule acts once per dispute.
	InsertRuleRun(ctx context.Context, r RuleRun) error
}

// Outcomes of a rule's run on a dispute.
const (
	RuleDone    = "done"    // the action was taken
	RuleSkipped = "skipped" // the action did not apply (submit_evidence below its completeness, a refund refused); the note says why
)

// RuleRun is what one rule did to one dispute.
type RuleRun struct {
	RuleID    string
	DisputeID string
	Action    rules.Action
	Outcome   string
	Note      string
	At        time.Time
}
