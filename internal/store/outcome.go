package store

import (
	"context"
	"time"

	"disputed/internal/dispute"
)

// OutcomeReader reads how the merchant's disputes were decided.
type OutcomeReader interface {
	// DecidedCounts counts the won and lost disputes by what classifies them; a few hundred rows
	// at most, however many disputes there are.
	DecidedCounts(ctx context.Context) ([]DecidedCount, error)
	// EachOutcome calls fn with every dispute that happened in [from, to), read in one statement
	// and streamed, in no particular order. Only what an outcome report needs is filled: Type,
	// AlertType, Status, Stage, Resolution, Reason, NetworkReasonCode, Network, Channel, Provider,
	// Amount, Currency, Fees, HappenedAt, AcceptedAt and DefendedAt.
	EachOutcome(ctx context.Context, from, to time.Time, fn func(OutcomeFacts) error) error
}

// DecidedCount is how many disputes of one kind were won or lost.
type DecidedCount struct {
	Won               bool
	Livemode          bool
	Network           string
	Channel           string
	NetworkReasonCode string
	Reason            string
	N                 int64
}

// OutcomeFacts is a dispute as an outcome report reads it.
type OutcomeFacts struct {
	Dispute dispute.Dispute
	// Refunded is what the refunds recorded for a dispute that ended in a compromise
	// (partial_refund, mutual_agreement) gave back, in its currency; 0 for any other dispute.
	Refunded int64
}
