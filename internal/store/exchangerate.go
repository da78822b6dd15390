package store

import (
	"context"
	"time"

	"disputed/internal/fx"
)

// ExchangeRateReader reads the exchange rates the merchant recorded.
type ExchangeRateReader interface {
	ListExchangeRates(ctx context.Context, f ExchangeRateFilter) ([]ExchangeRate, error)
	// ExchangeRateInForce returns the rate from→to whose EffectiveFrom is the latest not after
	// at, or ErrNotFound. It reads that direction only: the inverse and any other currency are
	// the caller's to try.
	ExchangeRateInForce(ctx context.Context, from, to string, at time.Time) (ExchangeRate, error)
}

// ExchangeRateWriter writes exchange rates, inside a Tx.
type ExchangeRateWriter interface {
	// SaveExchangeRate records r and returns it as kept: a rate already recorded for the same
	// pair and EffectiveFrom is replaced, its Rate and UpdatedAt changed, its ID, CreatedBy and
	// CreatedAt kept.
	SaveExchangeRate(ctx context.Context, r ExchangeRate) (ExchangeRate, error)
	// DeleteExchangeRate returns ErrNotFound when there is no such rate.
	DeleteExchangeRate(ctx context.Context, id string) error
}

// ExchangeRate is a rate the merchant recorded: one unit of From buys Rate units of To, from
// EffectiveFrom until a rate of the pair with a later EffectiveFrom.
type ExchangeRate struct {
	ID            string
	From, To      string // ISO 4217, upper case
	Rate          fx.Rate
	EffectiveFrom time.Time
	CreatedBy     string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// ExchangeRateFilter selects exchange rates (newest recorded first); an empty currency does
// not filter.
type ExchangeRateFilter struct {
	Page
	From, To string
}
