package sqlstore

import (
	"context"
	"time"

	"disputed/internal/fx"
	"disputed/internal/store"
	"disputed/internal/store/query"
)

func (t *tx) SaveExchangeRate(ctx context.Context, r store.ExchangeRate) (store.ExchangeRate, error) {
	row, err := t.q.SaveExchangeRate(ctx, query.SaveExchangeRateParams{
		ID: r.ID, FromCurrency: r.From, ToCurrency: r.To, Rate: r.Rate.String(), EffectiveFrom: millis(r.EffectiveFrom),
		CreatedBy: r.CreatedBy, CreatedAt: millis(r.CreatedAt), UpdatedAt: millis(r.UpdatedAt),
	})
	if err != nil {
		return store.ExchangeRate{}, t.fail(err, "save exchange rate %s %s→%s", r.ID, r.From, r.To)
	}
	kept, err := exchangeRateFromRow(row)
	if err != nil {
		return store.ExchangeRate{}, t.fail(err, "save exchange rate %s", r.ID)
	}
	return kept, nil
}

// DeleteExchangeRate returns store.ErrNotFound when there is no such rate.
func (t *tx) DeleteExchangeRate(ctx context.Context, id string) error {
	n, err := t.q.DeleteExchangeRate(ctx, id)
	if err == nil && n == 0 {
		err = store.ErrNotFound
	}
	if err != nil {
		return t.fail(err, "delete exchange rate %s", id)
	}
	return nil
}

func (c *conn) ExchangeRateInForce(ctx context.Context, from, to string, at time.Time) (store.ExchangeRate, error) {
	row, err := c.q.ExchangeRateInForce(ctx, query.ExchangeRateInForceParams{FromCurrency: from, ToCurrency: to, At: millis(at)})
	if err == nil {
		var r store.ExchangeRate
		if r, err = exchangeRateFromRow(row); err == nil {
			return r, nil
		}
	}
	return store.ExchangeRate{}, c.fail(err, "exchange rate %s→%s at %s", from, to, at.Format(time.RFC3339))
}

func (c *conn) ListExchangeRates(ctx context.Context, f store.ExchangeRateFilter) ([]store.ExchangeRate, error) {
	pg := pageOf(f.Page)
	rows, err := c.q.ListExchangeRates(ctx, query.ListExchangeRatesParams{
		FromCurrency: nullString(f.From), ToCurrency: nullString(f.To),
		AfterID: pg.afterID, AfterCreated: pg.afterCreated, Lim: pg.limit, Off: pg.offset,
	})
	if err != nil {
		return nil, c.fail(err, "list exchange rates")
	}
	out := make([]store.ExchangeRate, len(rows))
	for i, row := range rows {
		if out[i], err = exchangeRateFromRow(row); err != nil {
			return nil, c.fail(err, "list exchange rates")
		}
	}
	return out, nil
}

// exchangeRateFromRow reads a row; a rate that is not one (the table was written by hand) is an
// error, never a guessed rate.
func exchangeRateFromRow(row query.ExchangeRate) (store.ExchangeRate, error) {
	rate, err := fx.ParseRate(row.Rate)
	if err != nil {
		return store.ExchangeRate{}, err
	}
	return store.ExchangeRate{
		ID: row.ID, From: row.FromCurrency, To: row.ToCurrency, Rate: rate, EffectiveFrom: fromMillis(row.EffectiveFrom),
		CreatedBy: row.CreatedBy, CreatedAt: fromMillis(row.CreatedAt), UpdatedAt: fromMillis(row.UpdatedAt),
	}, nil
}
