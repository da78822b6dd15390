package httpapi

import (
	"context"
	"time"

	"disputed/internal/app"
	"disputed/internal/store"
)

// ExchangeRateIn records an exchange rate.
type ExchangeRateIn struct {
	Body struct {
		From          string     `json:"from" doc:"ISO 4217 code, any case"`
		To            string     `json:"to" doc:"ISO 4217 code, any case; not from"`
		Rate          string     `json:"rate" maxLength:"40" doc:"units of to for one unit of from, a plain decimal more than zero (\"1.0842\"): at most 15 significant digits, 12 after the point; no exponent"`
		EffectiveFrom *time.Time `json:"effective_from,omitempty" doc:"in force from this moment (default now) until the pair's next rate"`
	}
}

// ExchangeRateOut answers with a rate.
type ExchangeRateOut struct{ Body ExchangeRate }

// ExchangeRatesIn lists the rates.
type ExchangeRatesIn struct {
	PageQuery
	From string `query:"from" maxLength:"64" doc:"only the rates from this currency"`
	To   string `query:"to" maxLength:"64" doc:"only the rates to this currency"`
}

// ExchangeRatesOut is a page of rates.
type ExchangeRatesOut struct{ Body List[ExchangeRate] }

func (s *Server) recordExchangeRate(ctx context.Context, in *ExchangeRateIn) (*ExchangeRateOut, error) {
	r, err := s.app.SaveExchangeRate(ctx, who(ctx), app.ExchangeRateParams{From: in.Body.From, To: in.Body.To, Rate: in.Body.Rate,
		EffectiveFrom: in.Body.EffectiveFrom})
	if err != nil {
		return nil, err
	}
	return &ExchangeRateOut{Body: exchangeRateOut(r)}, nil
}

func (s *Server) listExchangeRates(ctx context.Context, in *ExchangeRatesIn) (*ExchangeRatesOut, error) {
	page, err := in.page()
	if err != nil {
		return nil, err
	}
	rs, more, err := s.app.ExchangeRates(ctx, who(ctx), store.ExchangeRateFilter{Page: page, From: in.From, To: in.To})
	if err != nil {
		return nil, err
	}
	return &ExchangeRatesOut{Body: listOf(rs, more, exchangeRateOut, func(r store.ExchangeRate) (time.Time, string) { return r.CreatedAt, r.ID })}, nil
}

func (s *Server) deleteExchangeRate(ctx context.Context, in *ByID) (*DeletedOut, error) {
	if err := s.app.DeleteExchangeRate(ctx, who(ctx), in.ID); err != nil {
		return nil, err
	}
	return deleted(in.ID, "exchange_rate"), nil
}
