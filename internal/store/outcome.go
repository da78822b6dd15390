package store

import "context"

// OutcomeReader reads how the merchant's disputes were decided.
type OutcomeReader interface {
	// DecidedCounts counts the won and lost disputes by what classifies them; a few hundred rows
	// at most, however many disputes there are.
	DecidedCounts(ctx context.Context) ([]DecidedCount, error)
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
