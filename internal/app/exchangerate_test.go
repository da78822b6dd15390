package app_test

import (
	"testing"
	"time"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/fault"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

// recordRate records a rate from→to effective at the time given.
func recordRate(t *testing.T, e *testenv.Env, from, to, rate string, at time.Time) store.ExchangeRate {
	t.Helper()
	return testenv.Must(e.App.SaveExchangeRate(e.Ctx, testenv.Admin, app.ExchangeRateParams{From: from, To: to, Rate: rate, EffectiveFrom: &at}))(t)
}

// TestConvertWithRecordedRates converts with the rates the merchant recorded: the currencies'
// minor units respected, the rate in force at the time asked, the inverse of a rate recorded the
// other way, nothing through a third currency, and no amount when there is no rate.
func TestConvertWithRecordedRates(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		jan := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		feb := jan.AddDate(0, 1, 0)
		recordRate(t, e, "EUR", "USD", "1.0842", jan)
		recordRate(t, e, "eur", "usd", "1.1", feb)
		recordRate(t, e, "JPY", "USD", "0.0067", jan)
		recordRate(t, e, "USD", "KWD", "0.307", jan)
		// A rate recorded both ways: the direction asked is used, even when the other is newer.
		recordRate(t, e, "GBP", "USD", "1.25", jan)
		recordRate(t, e, "USD", "GBP", "0.5", feb)

		for _, tc := range []struct {
			name     string
			amount   int64
			from, to string
			at       time.Time
			want     int64
			ok       bool
		}{
			{"the same currency is the amount", 1234, "EUR", "eur", time.Time{}, 1234, true},
			{"January's rate in January", 1000, "EUR", "USD", jan.AddDate(0, 0, 15), 1084, true},
			{"at the moment a rate starts", 1000, "EUR", "USD", feb, 1100, true},
			{"February's rate after", 1000, "EUR", "USD", feb.AddDate(1, 0, 0), 1100, true},
			{"no rate before the first", 1000, "EUR", "USD", jan.Add(-time.Millisecond), 0, false},
			{"yen have no minor unit", 10000, "JPY", "USD", feb, 6700, true},
			{"fils have three digits", 100, "USD", "KWD", feb, 307, true},
			{"the inverse, divided exactly", 1100, "USD", "EUR", feb, 1000, true},
			{"the inverse in January", 10000, "USD", "EUR", jan, 9223, true}, // 10000/1.0842 = 9223.39
			{"the inverse across exponents", 6700, "USD", "JPY", feb, 10000, true},
			{"the direction asked first", 1000, "GBP", "USD", feb, 1250, true},
			{"and the other one", 1000, "USD", "GBP", feb, 500, true},
			{"no cross rate through USD", 1000, "EUR", "JPY", feb, 0, false},
			{"no rate at all", 1000, "CHF", "SEK", feb, 0, false},
		} {
			got, ok, err := e.App.Convert(e.Ctx, e.Store, tc.amount, tc.from, tc.to, tc.at)
			if err != nil || got != tc.want || ok != tc.ok {
				t.Errorf("%s: %d %s→%s = %d, %v, %v; want %d, %v", tc.name, tc.amount, tc.from, tc.to, got, ok, err, tc.want, tc.ok)
			}
		}
		if _, _, err := e.App.Convert(e.Ctx, e.Store, 1, "EUR", "EURO", feb); err == nil {
			t.Error("converting to EURO worked; want an unknown currency refused")
		}
	})
}

// TestExchangeRateRecorded records, replaces, lists and deletes rates.
func TestExchangeRateRecorded(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		now := e.Clock.Now()
		r := testenv.Must(e.App.SaveExchangeRate(e.Ctx, testenv.Admin, app.ExchangeRateParams{From: "eur", To: "usd", Rate: "1.08420"}))(t)
		if r.From != "EUR" || r.To != "USD" || r.Rate.String() != "1.0842" || !r.EffectiveFrom.Equal(now) || r.CreatedBy == "" {
			t.Errorf("recorded %+v; want EUR→USD 1.0842 from now (%s)", r, now)
		}
		e.Clock.Advance(time.Minute)
		again := testenv.Must(e.App.SaveExchangeRate(e.Ctx, testenv.Admin, app.ExchangeRateParams{From: "EUR", To: "USD", Rate: "1.09", EffectiveFrom: &now}))(t)
		if again.ID != r.ID || again.Rate.String() != "1.09" || !again.UpdatedAt.After(r.UpdatedAt) || !again.CreatedAt.Equal(r.CreatedAt) {
			t.Errorf("recording the pair at the same moment gave %+v; want %s replaced", again, r.ID)
		}
		other := recordRate(t, e, "USD", "JPY", "157.23", now)

		agent := actor.Key("key_agent", actor.Agent, "")
		list := func(f store.ExchangeRateFilter) []string {
			t.Helper()
			rs, _, err := e.App.ExchangeRates(e.Ctx, agent, f)
			if err != nil {
				t.Fatalf("ExchangeRates: %v", err)
			}
			var ids []string
			for _, r := range rs {
				ids = append(ids, r.ID)
			}
			return ids
		}
		if got := list(store.ExchangeRateFilter{}); len(got) != 2 || got[0] != other.ID {
			t.Errorf("all rates: %v; want %s then %s", got, other.ID, r.ID)
		}
		if got := list(store.ExchangeRateFilter{From: "eur"}); len(got) != 1 || got[0] != r.ID {
			t.Errorf("rates from eur: %v; want %s", got, r.ID)
		}
		_, _, err := e.App.ExchangeRates(e.Ctx, agent, store.ExchangeRateFilter{To: "euro"})
		if fe := testenv.WantFault(t, err, fault.Invalid, fault.CodeUnknownCurrency); fe.Param != "to" {
			t.Errorf("filter refused naming %q; want to", fe.Param)
		}

		_, err = e.App.SaveExchangeRate(e.Ctx, agent, app.ExchangeRateParams{From: "GBP", To: "USD", Rate: "1.25"})
		testenv.WantFault(t, err, fault.Forbidden, "")
		testenv.WantFault(t, e.App.DeleteExchangeRate(e.Ctx, agent, r.ID), fault.Forbidden, "")
		_, _, err = e.App.ExchangeRates(e.Ctx, actor.Key("key_buyer", actor.Buyer, "cus_1"), store.ExchangeRateFilter{})
		testenv.WantFault(t, err, fault.Forbidden, "")

		if err := e.App.DeleteExchangeRate(e.Ctx, testenv.Admin, r.ID); err != nil {
			t.Fatalf("delete: %v", err)
		}
		testenv.WantFault(t, e.App.DeleteExchangeRate(e.Ctx, testenv.Admin, r.ID), fault.NotFound, "")
		if _, ok, err := e.App.Convert(e.Ctx, e.Store, 100, "EUR", "USD", now); ok || err != nil {
			t.Errorf("converting with a deleted rate: ok %v, %v; want no rate", ok, err)
		}
	})
}

// TestExchangeRateRefused refuses a bad rate naming the field, and stores nothing.
func TestExchangeRateRefused(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		for _, tc := range []struct {
			name  string
			p     app.ExchangeRateParams
			code  string
			param string
		}{
			{"no from", app.ExchangeRateParams{To: "USD", Rate: "1"}, fault.CodeParameterMissing, "from"},
			{"an unknown from", app.ExchangeRateParams{From: "EURO", To: "USD", Rate: "1"}, fault.CodeUnknownCurrency, "from"},
			{"no to", app.ExchangeRateParams{From: "EUR", Rate: "1"}, fault.CodeParameterMissing, "to"},
			{"an unknown to", app.ExchangeRateParams{From: "EUR", To: "XBT", Rate: "1"}, fault.CodeUnknownCurrency, "to"},
			{"a currency to itself", app.ExchangeRateParams{From: "EUR", To: "eur", Rate: "1"}, fault.CodeInvalidValue, "to"},
			{"no rate", app.ExchangeRateParams{From: "EUR", To: "USD"}, fault.CodeParameterMissing, "rate"},
			{"zero", app.ExchangeRateParams{From: "EUR", To: "USD", Rate: "0.00"}, fault.CodeInvalidValue, "rate"},
			{"negative", app.ExchangeRateParams{From: "EUR", To: "USD", Rate: "-1.08"}, fault.CodeInvalidValue, "rate"},
			{"an exponent", app.ExchangeRateParams{From: "EUR", To: "USD", Rate: "1.08e0"}, fault.CodeInvalidValue, "rate"},
			{"garbage", app.ExchangeRateParams{From: "EUR", To: "USD", Rate: "about 1.1"}, fault.CodeInvalidValue, "rate"},
			{"too precise", app.ExchangeRateParams{From: "EUR", To: "USD", Rate: "1.0000000000001"}, fault.CodeInvalidValue, "rate"},
		} {
			_, err := e.App.SaveExchangeRate(e.Ctx, testenv.Admin, tc.p)
			fe, ok := fault.As(err)
			if !ok || fe.Kind != fault.Invalid || fe.Code != tc.code || fe.Param != tc.param {
				t.Errorf("%s: %v; want %s naming %s", tc.name, err, tc.code, tc.param)
			}
		}
		rs, _, err := e.App.ExchangeRates(e.Ctx, testenv.Admin, store.ExchangeRateFilter{})
		if err != nil || len(rs) != 0 {
			t.Errorf("after refusals the rates are %v, %v; want none", rs, err)
		}
	})
}

// TestReportingCurrency: USD until one is chosen; any case in, upper case kept; an unknown code
// refused naming the field; "" back to USD.
func TestReportingCurrency(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		save := func(code string) (store.Settings, error) {
			return e.App.SaveSettings(e.Ctx, testenv.Admin, app.SettingsParams{ReportingCurrency: &code})
		}
		s := testenv.Must(e.App.Settings(e.Ctx, testenv.Admin))(t)
		if got := app.EffectiveReportingCurrency(s); got != "USD" {
			t.Errorf("default reporting currency %q; want USD", got)
		}
		s = testenv.Must(save("eur"))(t)
		if s.ReportingCurrency != "EUR" {
			t.Errorf("saved %q; want EUR", s.ReportingCurrency)
		}
		_, err := save("EURO")
		if fe := testenv.WantFault(t, err, fault.Invalid, fault.CodeUnknownCurrency); fe.Param != "reporting_currency" {
			t.Errorf("refusal names %q; want reporting_currency", fe.Param)
		}
		s = testenv.Must(e.App.Settings(e.Ctx, testenv.Admin))(t)
		if s.ReportingCurrency != "EUR" {
			t.Errorf("after a refusal the reporting currency is %q; want EUR still", s.ReportingCurrency)
		}
		// Other settings saved leave it as it is.
		name := "Shop"
		s = testenv.Must(e.App.SaveSettings(e.Ctx, testenv.Admin, app.SettingsParams{MerchantName: &name}))(t)
		if s.ReportingCurrency != "EUR" {
			t.Errorf("saving the name changed the reporting currency to %q", s.ReportingCurrency)
		}
		s = testenv.Must(save(""))(t)
		if got := app.EffectiveReportingCurrency(s); got != "USD" {
			t.Errorf("after clearing it %q; want USD", got)
		}
	})
}
