package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"disputed/internal/actor"
	"disputed/internal/fault"
	"disputed/internal/fx"
	"disputed/internal/money"
	"disputed/internal/store"
)

// The exchange rates the merchant records, and the conversion rules and the recommendation (and
// later analytics) make with them. A rate is never fetched nor guessed: without one recorded, a
// conversion says so.

// DefaultReportingCurrency is the reporting currency of a merchant that has not chosen one.
const DefaultReportingCurrency = "USD"

// EffectiveReportingCurrency is the reporting currency in force: the saved one or USD.
func EffectiveReportingCurrency(s store.Settings) string {
	if s.ReportingCurrency == "" {
		return DefaultReportingCurrency
	}
	return s.ReportingCurrency
}

// ExchangeRateParams record a rate: one From buys Rate To (a decimal such as "1.0842"), from
// EffectiveFrom (now when nil).
type ExchangeRateParams struct {
	From, To      string
	Rate          string
	EffectiveFrom *time.Time
}

// SaveExchangeRate records an exchange rate; one already recorded for the pair at the same
// moment is replaced (same id).
func (a *App) SaveExchangeRate(ctx context.Context, who actor.Actor, p ExchangeRateParams) (store.ExchangeRate, error) {
	if err := adminOnly(who, "record exchange rates"); err != nil {
		return store.ExchangeRate{}, err
	}
	from, err := rateCurrency(p.From, "from")
	if err != nil {
		return store.ExchangeRate{}, err
	}
	to, err := rateCurrency(p.To, "to")
	if err != nil {
		return store.ExchangeRate{}, err
	}
	if from == to {
		return store.ExchangeRate{}, fault.Invalidf(fault.CodeInvalidValue, "to", "from and to are both %s: a currency needs no rate to itself", from)
	}
	if p.Rate == "" {
		return store.ExchangeRate{}, fault.Required("rate")
	}
	rate, err := fx.ParseRate(p.Rate)
	if err != nil {
		return store.ExchangeRate{}, fault.Invalidf(fault.CodeInvalidValue, "rate", "rate: %v", err)
	}
	var kept store.ExchangeRate
	err = a.write(ctx, false, func(tx store.Tx, now time.Time) error {
		effective := now
		if p.EffectiveFrom != nil {
			effective = store.AtPrecision(*p.EffectiveFrom)
		}
		var err error
		kept, err = tx.SaveExchangeRate(ctx, store.ExchangeRate{ID: a.ids.New("fx"), From: from, To: to, Rate: rate,
			EffectiveFrom: effective, CreatedBy: who.String(), CreatedAt: now, UpdatedAt: now})
		return err
	})
	return kept, err
}

// rateCurrency validates the currency of a rate's side named param.
func rateCurrency(code, param string) (string, error) {
	if code == "" {
		return "", fault.Required(param)
	}
	cur, err := money.ParseCurrency(code)
	if err != nil {
		return "", fault.Invalidf(fault.CodeUnknownCurrency, param, "%q is not an active ISO 4217 currency", code)
	}
	return cur, nil
}

// DeleteExchangeRate deletes a recorded rate: conversions from now on use the one in force
// without it.
func (a *App) DeleteExchangeRate(ctx context.Context, who actor.Actor, id string) error {
	if err := adminOnly(who, "delete exchange rates"); err != nil {
		return err
	}
	return a.write(ctx, false, func(tx store.Tx, _ time.Time) error {
		return store.NotFound(tx.DeleteExchangeRate(ctx, id), "exchange rate", id)
	})
}

// ExchangeRates returns a page of the recorded rates, newest recorded first, of the currencies f
// names (in any case).
func (a *App) ExchangeRates(ctx context.Context, who actor.Actor, f store.ExchangeRateFilter) ([]store.ExchangeRate, bool, error) {
	if err := staff(who, "read exchange rates"); err != nil {
		return nil, false, err
	}
	for _, side := range []struct {
		code  *string
		param string
	}{{&f.From, "from"}, {&f.To, "to"}} {
		if *side.code == "" {
			continue
		}
		cur, err := rateCurrency(*side.code, side.param)
		if err != nil {
			return nil, false, err
		}
		*side.code = cur
	}
	if err := a.OffsetWithin(f.Page, true); err != nil {
		return nil, false, err
	}
	rs, err := a.store.ListExchangeRates(ctx, f)
	if err != nil {
		return nil, false, err
	}
	rs, more := store.Trim(rs, f.Limit)
	return rs, more, nil
}

// convert converts amount, in minor units of from, into minor units of to with the rate the
// merchant recorded in force at at (see conversionAt); ok is false when there is none: a missing
// rate is said, never guessed. from == to is the amount itself. The result is rounded half to
// even; one out of int64's range is an error.
func (a *App) convert(ctx context.Context, r rateReader, amount int64, from, to string, at time.Time) (int64, bool, error) {
	src, err := money.ParseCurrency(from)
	if err != nil {
		return 0, false, err
	}
	dst, err := money.ParseCurrency(to)
	if err != nil {
		return 0, false, err
	}
	c, ok, err := conversionAt(ctx, r, src, dst, at)
	if err != nil || !ok {
		return 0, false, err
	}
	out, err := c.apply(amount)
	return out, err == nil, err
}

// rateReader finds the rate of a pair in force at a moment: the store, or a rateBook that read
// the pair's rates once for many conversions.
type rateReader interface {
	ExchangeRateInForce(ctx context.Context, from, to string, at time.Time) (store.ExchangeRate, error)
}

// conversion is how an amount of From becomes an amount of To: a recorded rate, applied as it
// is or divided by (Inverse); no rate at all when From is To.
type conversion struct {
	From, To string
	Rate     store.ExchangeRate
	Inverse  bool
}

// conversionAt is the conversion from src to dst (upper-case ISO 4217 codes) in force at at: the
// latest src→dst rate not after at, or else the latest dst→src, divided by exactly
// (fx.ConvertInverse); no rate through a third currency. ok is false when there is neither.
func conversionAt(ctx context.Context, r rateReader, src, dst string, at time.Time) (conversion, bool, error) {
	c := conversion{From: src, To: dst}
	if src == dst {
		return c, true, nil
	}
	var err error
	c.Rate, err = r.ExchangeRateInForce(ctx, src, dst, at)
	if errors.Is(err, store.ErrNotFound) {
		c.Inverse = true
		c.Rate, err = r.ExchangeRateInForce(ctx, dst, src, at)
	}
	switch {
	case errors.Is(err, store.ErrNotFound):
		return conversion{}, false, nil
	case err != nil:
		return conversion{}, false, err
	}
	return c, true, nil
}

// apply converts amount, rounded half to even; one out of int64's range is an error.
func (c conversion) apply(amount int64) (int64, error) {
	if c.From == c.To {
		return amount, nil
	}
	conv := fx.Convert
	if c.Inverse {
		conv = fx.ConvertInverse
	}
	out, err := conv(amount, c.From, c.To, c.Rate.Rate)
	if err != nil {
		return 0, fmt.Errorf("convert %d %s to %s with %s: %w", amount, c.From, c.To, c.Rate.ID, err)
	}
	return out, nil
}

// ReportingCurrency returns the reporting currency in force, for the staff who read amounts in
// it (the settings themselves are the admins').
func (a *App) ReportingCurrency(ctx context.Context, who actor.Actor) (string, error) {
	if err := staff(who, "read the reporting currency"); err != nil {
		return "", err
	}
	s, err := a.store.GetSettings(ctx)
	if err != nil {
		return "", err
	}
	return EffectiveReportingCurrency(s), nil
}
