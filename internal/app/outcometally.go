package app

import (
	"cmp"
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"time"

	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/fx"
	"disputed/internal/money"
	"disputed/internal/store"
)

// outcomeTally adds up an outcome report's disputes, one at a time, into their group and the
// total. Amounts are summed per currency and, for the reporting currency, per conversion in force
// when each dispute happened: each sum is converted once at the end, with its own rate, so that
// a report of many disputes makes a few conversions, not one per amount.
type outcomeTally struct {
	reporting string
	rates     *rateBook
	groups    map[string]*groupTally // by the key's values joined with keySep
	total     *groupTally
}

// keySep joins a key's values: no value holds it.
const keySep = "\x00"

// groupTally is one group being added up.
type groupTally struct {
	key                           []string
	disputes, won, lost, accepted int64
	native                        map[string]*OutcomeMoney // by currency
	converted                     map[conversionKey]*convertedSum
	missing                       map[string]bool
	responses                     []time.Duration
}

func newOutcomeTally(reporting string, rates *rateBook) *outcomeTally {
	return &outcomeTally{reporting: reporting, rates: rates, groups: map[string]*groupTally{}, total: newGroupTally(nil)}
}

func newGroupTally(key []string) *groupTally {
	return &groupTally{key: key, native: map[string]*OutcomeMoney{}, converted: map[conversionKey]*convertedSum{}, missing: map[string]bool{}}
}

// conversionKey tells conversions apart: the currency converted, the rate, which way.
type conversionKey struct {
	from, rateID string
	inverse      bool
}

// convertedSum is what a group holds in one currency under one conversion, not yet converted.
type convertedSum struct {
	conv conversion
	sum  OutcomeMoney
}

// outcomeAmounts is one dispute's money: in its currency, and its fees in theirs.
type outcomeAmounts struct {
	currency                  string
	disputed, recovered, lost int64
	fees                      []dispute.Fee
	happened                  time.Time
}

// add counts the dispute f in the group of key and in the total.
func (t *outcomeTally) add(ctx context.Context, key []string, f store.OutcomeFacts) error {
	joined := strings.Join(key, keySep)
	g, ok := t.groups[joined]
	if !ok {
		g = newGroupTally(key)
		t.groups[joined] = g
	}
	d := &f.Dispute
	m := outcomeAmounts{currency: d.Currency, disputed: d.Amount, fees: d.Fees, happened: d.HappenedAt}
	won, lost, accepted := false, false, false
	switch d.Outcome() {
	case dispute.OutcomeMerchant:
		won, m.recovered = true, d.Amount
	case dispute.OutcomeCustomer:
		accepted = !d.AcceptedAt.IsZero()
		lost, m.lost = !accepted, d.Amount
	case dispute.OutcomeCompromise:
		refunded := min(max(f.Refunded, 0), d.Amount)
		m.recovered, m.lost = d.Amount-refunded, refunded
	}
	response, answered := responseTime(d)
	for _, g := range []*groupTally{g, t.total} {
		g.disputes++
		g.won += boolCount(won)
		g.lost += boolCount(lost)
		g.accepted += boolCount(accepted)
		if answered {
			g.responses = append(g.responses, response)
		}
		if err := t.addMoney(ctx, g, m); err != nil {
			return err
		}
	}
	return nil
}

// responseTime is how long the merchant took to answer d: from when it happened to its evidence
// submitted or its concession, whichever came first. DefendedAt is the latest submission: a
// dispute answered again at a later stage counts to that answer.
func responseTime(d *dispute.Dispute) (time.Duration, bool) {
	answered := d.DefendedAt
	if answered.IsZero() || (!d.AcceptedAt.IsZero() && d.AcceptedAt.Before(answered)) {
		answered = d.AcceptedAt
	}
	if answered.IsZero() || d.HappenedAt.IsZero() {
		return 0, false
	}
	return max(answered.Sub(d.HappenedAt), 0), true
}

func boolCompare(a, b bool) int { return cmp.Compare(boolCount(a), boolCount(b)) }

func boolCount(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// addMoney adds a dispute's amounts to g, in their currencies and under the conversion to the
// reporting currency in force when it happened.
func (t *outcomeTally) addMoney(ctx context.Context, g *groupTally, m outcomeAmounts) error {
	if err := t.addIn(ctx, g, m.currency, m.happened, OutcomeMoney{Disputed: m.disputed, Recovered: m.recovered, Lost: m.lost}); err != nil {
		return err
	}
	for _, fee := range m.fees {
		if err := t.addIn(ctx, g, fee.Currency, m.happened, OutcomeMoney{Fees: fee.Amount}); err != nil {
			return err
		}
	}
	return nil
}

// addIn adds v, in currency, to g's sums of currency and of the conversion in force at at.
func (t *outcomeTally) addIn(ctx context.Context, g *groupTally, currency string, at time.Time, v OutcomeMoney) error {
	sum, ok := g.native[currency]
	if !ok {
		sum = &OutcomeMoney{Currency: currency}
		g.native[currency] = sum
	}
	if err := sum.add(v); err != nil {
		return err
	}
	c, ok, err := conversionAt(ctx, t.rates, currency, t.reporting, at)
	if err != nil {
		return err
	}
	if !ok {
		g.missing[currency] = true
		return nil
	}
	k := conversionKey{from: currency, rateID: c.Rate.ID, inverse: c.Inverse}
	conv, seen := g.converted[k]
	if !seen {
		conv = &convertedSum{conv: c, sum: OutcomeMoney{Currency: currency}}
		g.converted[k] = conv
	}
	return conv.sum.add(v)
}

// add adds v's amounts to m's, refusing a sum past int64.
func (m *OutcomeMoney) add(v OutcomeMoney) error {
	for _, p := range []struct {
		sum *int64
		v   int64
	}{{&m.Disputed, v.Disputed}, {&m.Recovered, v.Recovered}, {&m.Lost, v.Lost}, {&m.Fees, v.Fees}} {
		s, err := money.Add(*p.sum, p.v)
		if err != nil {
			return overflowFault(err)
		}
		*p.sum = s
	}
	return nil
}

// overflowFault refuses a report whose sums pass int64: a shorter period sums less.
func overflowFault(err error) error {
	if errors.Is(err, money.ErrOverflow) || errors.Is(err, fx.ErrOverflow) {
		return fault.Invalidf(fault.CodeAmountTooLarge, "from", "the period's amounts add up past what can be counted: ask for a shorter period")
	}
	return err
}

// report is the groups, ordered by key, and the total.
func (t *outcomeTally) report() ([]OutcomeGroup, OutcomeGroup, error) {
	groups := make([]OutcomeGroup, 0, len(t.groups))
	for _, g := range t.groups {
		out, err := g.result(t.reporting)
		if err != nil {
			return nil, OutcomeGroup{}, err
		}
		groups = append(groups, out)
	}
	slices.SortFunc(groups, func(a, b OutcomeGroup) int { return slices.Compare(a.Key, b.Key) })
	total, err := t.total.result(t.reporting)
	return groups, total, err
}

// result is the group's figures: sums sorted by currency, the converted sums added up, the
// median response.
func (g *groupTally) result(reporting string) (OutcomeGroup, error) {
	out := OutcomeGroup{Key: g.key, Disputes: g.disputes, Won: g.won, Lost: g.lost, Accepted: g.accepted,
		Reporting: OutcomeMoney{Currency: reporting}, MissingRates: slices.Sorted(maps.Keys(g.missing))}
	if out.Key == nil {
		out.Key = []string{}
	}
	if decided := g.won + g.lost; decided > 0 {
		out.WinRate = float64(g.won) / float64(decided)
	}
	for _, cur := range slices.Sorted(maps.Keys(g.native)) {
		m := *g.native[cur]
		if err := m.settle(); err != nil {
			return OutcomeGroup{}, err
		}
		out.ByCurrency = append(out.ByCurrency, m)
	}
	// In a fixed order, so that the same report converts the same sums the same way every time.
	convs := slices.SortedFunc(maps.Values(g.converted), func(a, b *convertedSum) int {
		return cmp.Or(cmp.Compare(a.conv.From, b.conv.From), a.conv.Rate.EffectiveFrom.Compare(b.conv.Rate.EffectiveFrom),
			cmp.Compare(a.conv.Rate.ID, b.conv.Rate.ID), boolCompare(a.conv.Inverse, b.conv.Inverse))
	})
	for _, cs := range convs {
		var v OutcomeMoney
		c, sum := cs.conv, cs.sum
		for _, p := range []struct {
			to   *int64
			from int64
		}{
			{&v.Disputed, sum.Disputed}, {&v.Recovered, sum.Recovered}, {&v.Lost, sum.Lost}, {&v.Fees, sum.Fees},
		} {
			amount, err := c.apply(p.from)
			if err != nil {
				return OutcomeGroup{}, overflowFault(err)
			}
			*p.to = amount
		}
		if err := out.Reporting.add(v); err != nil {
			return OutcomeGroup{}, err
		}
	}
	if err := out.Reporting.settle(); err != nil {
		return OutcomeGroup{}, err
	}
	if len(g.responses) > 0 {
		out.MedianResponse, out.HasMedianResponse = median(g.responses), true
	}
	return out, nil
}

// settle computes Net from the sums.
func (m *OutcomeMoney) settle() error {
	net, err := money.Sub(m.Recovered, m.Fees)
	if err != nil {
		return overflowFault(err)
	}
	m.Net = net
	return nil
}

// median is the middle duration, or the mean of the two middle ones; it sorts ds.
func median(ds []time.Duration) time.Duration {
	slices.Sort(ds)
	n := len(ds)
	if n%2 == 1 {
		return ds[n/2]
	}
	return ds[n/2-1] + (ds[n/2]-ds[n/2-1])/2
}
