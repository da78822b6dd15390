package app

import (
	"context"
	"math/big"
	"strings"
	"time"

	"disputed/internal/actor"
	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/money"
	"disputed/internal/rules"
	"disputed/internal/store"
)

// BacktestSampleSize is how many of the matched disputes a backtest shows.
const BacktestSampleSize = 10

// BacktestParams name the rule to try: a saved one by RuleID, or one not saved yet.
type BacktestParams struct {
	RuleID string
	Rule   *RuleParams
}

// Backtest is what a rule would have done to the merchant's decided disputes. Money is per
// currency (currency → minor units): the amounts of disputes in their currency, the fees in the
// currency the provider charged them in.
type Backtest struct {
	// Decided counts the disputes examined: every chargeback, inquiry, alert and manual dispute
	// that has ended (won, lost, accepted, closed, resolved).
	Decided int
	// Matched counts the decided disputes the rule's expression matches.
	Matched int
	// FeesSaved is, over the matched disputes that were fought (evidence submitted) and not won,
	// the fees the provider charged after its first one, net of any it gave back: what fighting
	// cost beyond the dispute fee, which is due however the merchant answers (Stripe's counter
	// fee). Accepting or refunding at once would have saved it.
	FeesSaved map[string]int64
	// AmountGivenUp is the disputed amounts of the matched disputes that were won: what
	// accepting or refunding them would have given up.
	AmountGivenUp map[string]int64
	// WinsForgone counts the matched disputes that were won.
	WinsForgone int
	// Failed counts the disputes on which the expression failed (compared a nil value: p_win,
	// expected_value and hours_to_due are nil for decided disputes, amount_reporting without a
	// rate); they are not matched. FirstFailure says why the first one failed.
	Failed       int
	FirstFailure string
	// Sample is up to BacktestSampleSize matched disputes, the newest first.
	Sample []BacktestMatch
}

// BacktestMatch is one decided dispute a backtest matched.
type BacktestMatch struct {
	DisputeID string
	Amount    int64
	Currency  string
	Outcome   string // won, lost, accepted (conceded), or the status it ended in
}

// BacktestRule evaluates a rule over the merchant's decided disputes (admins, as they write
// rules). The rule sees each dispute as it ended, with the values computed the way the rules
// job computes them, except: amount_reporting at the rate in force at 00:00 UTC on the day the
// dispute happened, customer_disputes among the disputes kept, and p_win, expected_value and
// hours_to_due nil (a decided dispute has nothing left to decide and no due date ahead). The
// disputes are read once, in one streamed statement.
func (a *App) BacktestRule(ctx context.Context, who actor.Actor, p BacktestParams) (Backtest, error) {
	if err := adminOnly(who, "backtest rules"); err != nil {
		return Backtest{}, err
	}
	var r rules.Rule
	if p.RuleID != "" {
		var err error
		if r, err = a.store.GetRule(ctx, p.RuleID); err != nil {
			return Backtest{}, store.NotFound(err, "rule", p.RuleID)
		}
	}
	if p.Rule != nil {
		p.Rule.apply(&r)
	}
	if r.Name == "" { // an unsaved rule needs no name to be tried
		r.Name = "backtest"
	}
	// Compiled here, not through the rules job's cache: an admin may try many expressions, and
	// the cache keeps each one for the life of the process.
	prog, err := checkRule(r)
	if err != nil {
		return Backtest{}, err
	}
	s, err := a.store.GetSettings(ctx)
	if err != nil {
		return Backtest{}, err
	}
	b := backtester{a: a, prog: prog, settings: s, reporting: EffectiveReportingCurrency(s), rates: map[rateDay]*int64{},
		customers: map[string]int{}, out: Backtest{FeesSaved: map[string]int64{}, AmountGivenUp: map[string]int64{}}}
	if err := a.store.EachDisputeFacts(ctx, func(d dispute.Dispute) error { return b.add(ctx, d) }); err != nil {
		return Backtest{}, err
	}
	return b.result(), nil
}

// rateDay is a currency on a day, the granularity of a backtest's exchange rates.
type rateDay struct {
	currency string
	day      time.Time
}

// backtester accumulates a backtest over the disputes, oldest first.
type backtester struct {
	a         *App
	prog      rules.Program
	settings  store.Settings
	reporting string
	rates     map[rateDay]*int64 // a unit (1,000,000 minor units) converted, nil without a rate
	customers map[string]int     // disputes seen so far per customer
	sample    []BacktestMatch    // the latest matches, a ring of BacktestSampleSize
	out       Backtest
}

func (b *backtester) add(ctx context.Context, d dispute.Dispute) error {
	earlier := b.customers[d.CustomerID]
	if d.CustomerID != "" {
		b.customers[d.CustomerID] = earlier + 1
	}
	outcome, decided := decidedOutcome(d)
	if !decided {
		return nil
	}
	b.out.Decided++
	f := ruleFacts{reportingCurrency: b.reporting, customerDisputes: min(earlier, customerDisputesCounted)}
	amount, err := b.convert(ctx, d)
	if err != nil {
		return err
	}
	f.amountReporting = amount
	env := ruleEnv(d, b.settings.Profile.ProductType.Effective(), f)
	ok, err := b.prog.Match(&env)
	if err != nil {
		if b.out.Failed == 0 {
			b.out.FirstFailure = err.Error()
		}
		b.out.Failed++
		return nil
	}
	if !ok {
		return nil
	}
	b.out.Matched++
	switch {
	case d.Status == dispute.Won:
		b.out.WinsForgone++
		if err := addTo(b.out.AmountGivenUp, d.Currency, d.Amount); err != nil {
			return err
		}
	case !d.DefendedAt.IsZero():
		for _, fee := range d.Fees[min(1, len(d.Fees)):] {
			if err := addTo(b.out.FeesSaved, fee.Currency, fee.Amount); err != nil {
				return err
			}
		}
	}
	m := BacktestMatch{DisputeID: d.ID, Amount: d.Amount, Currency: d.Currency, Outcome: outcome}
	if len(b.sample) < BacktestSampleSize {
		b.sample = append(b.sample, m)
	} else {
		b.sample[(b.out.Matched-1)%BacktestSampleSize] = m
	}
	return nil
}

// convert is d's amount in the reporting currency at the rate in force at the start of the day
// d happened, or nil without a rate; one conversion per currency and day.
func (b *backtester) convert(ctx context.Context, d dispute.Dispute) (*int64, error) {
	at := d.HappenedAt
	if at.IsZero() {
		at = d.CreatedAt
	}
	if strings.EqualFold(d.Currency, b.reporting) {
		amount := d.Amount // the same currency is the same amount at any rate
		return &amount, nil
	}
	key := rateDay{currency: d.Currency, day: at.UTC().Truncate(24 * time.Hour)}
	if v, seen := b.rates[key]; seen {
		return scaled(v, d.Amount), nil
	}
	const unit = 1_000_000
	v, ok, err := b.a.convert(ctx, b.a.store, unit, d.Currency, b.reporting, key.day)
	if err != nil {
		return nil, err
	}
	if ok {
		b.rates[key] = &v
	} else {
		b.rates[key] = nil
	}
	return scaled(b.rates[key], d.Amount), nil
}

// addTo adds amount to the sum of currency, refusing a sum past int64.
func addTo(sums map[string]int64, currency string, amount int64) error {
	sum, err := money.Add(sums[currency], amount)
	if err != nil {
		return fault.Invalidf(fault.CodeAmountTooLarge, "", "the backtest's sum in %s is too large", currency)
	}
	sums[currency] = sum
	return nil
}

// scaled converts amount with the conversion of a unit of 1,000,000 minor units, rounding half
// away from zero (in big integers: the product may pass int64); nil stays nil, as does a result
// past int64.
func scaled(perUnit *int64, amount int64) *int64 {
	if perUnit == nil {
		return nil
	}
	num := new(big.Int).Mul(big.NewInt(amount), big.NewInt(*perUnit))
	half := big.NewInt(500_000)
	if num.Sign() < 0 {
		half.Neg(half)
	}
	num.Quo(num.Add(num, half), big.NewInt(1_000_000))
	if !num.IsInt64() {
		return nil
	}
	out := num.Int64()
	return &out
}

func (b *backtester) result() Backtest {
	out := b.out
	out.Sample = make([]BacktestMatch, 0, len(b.sample))
	for i := range b.sample { // newest first: the ring's last write is at (Matched-1) % size
		out.Sample = append(out.Sample, b.sample[((out.Matched-1-i)%len(b.sample)+len(b.sample))%len(b.sample)])
	}
	return out
}

// decidedOutcome says how a dispute ended, and whether it is one a backtest examines: an ended
// payment dispute (not a marketplace one, which the buyer and vendor argue).
func decidedOutcome(d dispute.Dispute) (string, bool) {
	if d.IsOpen() || d.Type == dispute.Marketplace {
		return "", false
	}
	if d.Status == dispute.Lost && !d.AcceptedAt.IsZero() {
		return "accepted", true
	}
	return string(d.Status), true
}
