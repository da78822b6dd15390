package app

import (
	"context"
	"slices"
	"time"

	"disputed/internal/store"
)

// rateBook answers which rate of a pair is in force at a moment, as the store's
// ExchangeRateInForce does, from the pair's rates read once: a report converting thousands of
// amounts asks the database once per pair instead of once per amount. It lives for one report.
type rateBook struct {
	r     store.ExchangeRateReader
	pairs map[[2]string][]store.ExchangeRate // oldest EffectiveFrom first
}

func newRateBook(r store.ExchangeRateReader) *rateBook {
	return &rateBook{r: r, pairs: map[[2]string][]store.ExchangeRate{}}
}

// ExchangeRateInForce returns the rate from→to whose EffectiveFrom is the latest not after at,
// or store.ErrNotFound.
func (b *rateBook) ExchangeRateInForce(ctx context.Context, from, to string, at time.Time) (store.ExchangeRate, error) {
	pair := [2]string{from, to}
	rates, read := b.pairs[pair]
	if !read {
		var err error
		if rates, err = b.r.ListExchangeRates(ctx, store.ExchangeRateFilter{From: from, To: to}); err != nil {
			return store.ExchangeRate{}, err
		}
		slices.SortFunc(rates, func(x, y store.ExchangeRate) int { return x.EffectiveFrom.Compare(y.EffectiveFrom) })
		b.pairs[pair] = rates
	}
	// The first rate that starts after at: the one before it is in force.
	i, _ := slices.BinarySearchFunc(rates, at, func(r store.ExchangeRate, t time.Time) int {
		if r.EffectiveFrom.After(t) {
			return 1
		}
		return -1
	})
	if i == 0 {
		return store.ExchangeRate{}, store.ErrNotFound
	}
	return rates[i-1], nil
}
