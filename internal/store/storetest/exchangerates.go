package storetest

import (
	"testing"

	"disputed/internal/fx"
	"disputed/internal/store"
)

func mustRate(t *testing.T, s string) fx.Rate {
	t.Helper()
	r, err := fx.ParseRate(s)
	noErr(t, "ParseRate "+s, err)
	return r
}

// testExchangeRates checks the round trip, the replacement of a pair's rate at the same moment,
// deletion, and the lookup of the rate in force: the latest not after the time asked, of that
// direction only.
func testExchangeRates(t *testing.T, s store.Store) {
	ctx := t.Context()
	save := func(r store.ExchangeRate) store.ExchangeRate {
		t.Helper()
		var kept store.ExchangeRate
		write(t, s, func(tx store.Tx) error {
			var err error
			kept, err = tx.SaveExchangeRate(ctx, r)
			return err
		})
		return kept
	}
	jan := store.ExchangeRate{ID: "fx_1", From: "EUR", To: "USD", Rate: mustRate(t, "1.0842"), EffectiveFrom: at(1000),
		CreatedBy: "admin:usr_1", CreatedAt: at(5), UpdatedAt: at(5)}
	same(t, "saved rate", save(jan), jan)
	feb := store.ExchangeRate{ID: "fx_2", From: "EUR", To: "USD", Rate: mustRate(t, "1.1"), EffectiveFrom: at(2000), CreatedAt: at(6), UpdatedAt: at(6)}
	save(feb)
	save(store.ExchangeRate{ID: "fx_3", From: "USD", To: "EUR", Rate: mustRate(t, "0.5"), EffectiveFrom: at(0), CreatedAt: at(7), UpdatedAt: at(7)})

	inForce := func(what, from, to string, ms int64, want string) {
		t.Helper()
		r, err := s.ExchangeRateInForce(ctx, from, to, at(ms))
		if want == "" {
			wantErr(t, what, err, store.ErrNotFound)
			return
		}
		noErr(t, what, err)
		same(t, what, r.ID, want)
	}
	inForce("before any EUR→USD rate", "EUR", "USD", 999, "")
	inForce("at the first one's start", "EUR", "USD", 1000, "fx_1")
	inForce("between the two", "EUR", "USD", 1999, "fx_1")
	inForce("after the second", "EUR", "USD", 5000, "fx_2")
	inForce("the other direction is its own", "USD", "EUR", 5000, "fx_3")
	inForce("no rate of another pair", "EUR", "GBP", 5000, "")

	// The same pair and moment again replaces the rate, keeping the id, author and creation.
	fix := store.ExchangeRate{ID: "fx_9", From: "EUR", To: "USD", Rate: mustRate(t, "1.09"), EffectiveFrom: at(1000),
		CreatedBy: "admin:usr_2", CreatedAt: at(8), UpdatedAt: at(8)}
	want := jan
	want.Rate, want.UpdatedAt = fix.Rate, at(8)
	same(t, "replaced rate", save(fix), want)
	got, err := s.ExchangeRateInForce(ctx, "EUR", "USD", at(1500))
	noErr(t, "ExchangeRateInForce", err)
	same(t, "replaced rate read back", got, want)

	rateID := func(r store.ExchangeRate) string { return r.ID }
	all, err := s.ListExchangeRates(ctx, store.ExchangeRateFilter{})
	noErr(t, "ListExchangeRates", err)
	same(t, "all rates, newest recorded first", ids(all, rateID), []string{"fx_3", "fx_2", "fx_1"})
	eur, err := s.ListExchangeRates(ctx, store.ExchangeRateFilter{From: "EUR"})
	noErr(t, "ListExchangeRates", err)
	same(t, "rates from EUR", ids(eur, rateID), []string{"fx_2", "fx_1"})
	toEUR, err := s.ListExchangeRates(ctx, store.ExchangeRateFilter{To: "EUR"})
	noErr(t, "ListExchangeRates", err)
	same(t, "rates to EUR", ids(toEUR, rateID), []string{"fx_3"})
	page, err := s.ListExchangeRates(ctx, store.ExchangeRateFilter{Page: store.Page{Limit: 1, AfterCreated: at(7), AfterID: "fx_3"}})
	noErr(t, "ListExchangeRates", err)
	same(t, "the page after fx_3 (with one more row)", ids(page, rateID), []string{"fx_2", "fx_1"})

	write(t, s, func(tx store.Tx) error { return tx.DeleteExchangeRate(ctx, "fx_2") })
	inForce("after the later one is deleted", "EUR", "USD", 5000, "fx_1")
	wantErr(t, "deleting it again", s.Tx(ctx, func(tx store.Tx) error { return tx.DeleteExchangeRate(ctx, "fx_2") }), store.ErrNotFound)
}
