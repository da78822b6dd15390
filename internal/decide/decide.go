// Package decide says what a dispute is worth fighting: the odds of winning it, from the
// merchant's own decided disputes of the same kind shrunk toward a published win rate and raised
// by the evidence in hand, and the expected value of fighting against conceding, counting the
// amount, the provider's fees and the merchant's handling cost. The published figures ship as
// data (priors.json) with their sources; the model follows the research's "fight or accept"
// logic (§4.4). It is pure: the caller gathers the history, the fees and the completeness.
package decide

import (
	"math"
)

// Actions.
const (
	Fight  = "fight"  // answer with evidence (for an alert: keep the sale, answer the chargeback if one comes)
	Accept = "accept" // concede the chargeback
	Refund = "refund" // refund an inquiry or alert before it becomes a chargeback
)

// Input is what Recommend needs of one dispute.
type Input struct {
	Type      string // chargeback, inquiry, alert, manual, marketplace
	AlertType string
	Open      bool
	Amount    int64 // minor units of Currency
	Currency  string
	// Category and Network are the dispute's reason category and network (reasoncode.Classify).
	Category string
	Network  string
	// Won and Lost count the merchant's decided disputes of the same category and network.
	Won, Lost int
	// Completeness is the evidence checklist's completeness, 0 to 100; HasChecklist says whether
	// the dispute has one (alerts do not: their odds are the chargeback's that may follow).
	Completeness int
	HasChecklist bool
	// Fees are the fees in the dispute's currency, with the handling cost.
	Fees Fees
}

// Fees are what a fight and a loss cost, in the dispute's currency.
type Fees struct {
	Currency             string
	Dispute              int64 // charged when the dispute is received
	DisputeRefundedOnWin bool
	Counter              int64 // charged when evidence is submitted
	CounterRefundedOnWin bool
	Arbitration          int64 // the network's, should the case go that far; not in the expected value
	Handling             int64 // the merchant's cost of one fight
	// TableVersion and TableDate identify the fee table row; "" when no row applies.
	TableVersion string
	TableDate    string
	// Estimate marks a row no primary source confirms.
	Estimate bool
	// Missing says what the expected value leaves out and why ("" when nothing): a fee table in
	// another currency with no exchange rate recorded, no row for the provider.
	Missing string
}

// Basis is what the odds rest on.
type Basis struct {
	Category    string
	Network     string
	Won, Lost   int
	Prior       float64 // the published win rate
	PriorSource string  // its source, with its year
	PriorWeight float64 // how many disputes of its own the prior counts as
	// History is the odds from the merchant's decided disputes shrunk toward the prior.
	History float64
	// Completeness is the evidence completeness that moved History to PWin (0 with none).
	Completeness int
	HasChecklist bool
	// ChargebackProbability is, for an alert, the chance it becomes a chargeback if not refunded.
	ChargebackProbability float64
	PriorsVersion         string
	Text                  string // the basis in words
}

// Recommendation is what fighting a dispute is worth.
type Recommendation struct {
	Action string // fight, accept, refund; "" when nothing is to be decided
	PWin   float64
	// ExpectedValue is what fighting is expected to gain over conceding (accepting a
	// chargeback; refunding an inquiry or alert), in minor units of Currency: positive, fight.
	ExpectedValue int64
	Currency      string
	Fees          Fees
	Basis         Basis
	// Applies is false for a dispute with nothing to decide: ended, or between a buyer and a
	// vendor (marketplace).
	Applies bool
}

// Recommend says what fighting the dispute is worth.
func Recommend(in Input) Recommendation {
	if !in.Open || in.Type == "marketplace" {
		return Recommendation{}
	}
	f := loadPriors()
	pr := f.priorFor(in.Category)
	k := f.PriorWeight
	b := Basis{Category: in.Category, Network: in.Network, Won: in.Won, Lost: in.Lost, Prior: pr.PWin,
		PriorSource: pr.Source, PriorWeight: k, HasChecklist: in.HasChecklist, PriorsVersion: f.Version}
	b.History = (float64(in.Won) + k*pr.PWin) / (float64(in.Won+in.Lost) + k)
	p := b.History
	if in.HasChecklist {
		b.Completeness = in.Completeness
		shift := f.Completeness.LogitSlope * (float64(in.Completeness) - f.Completeness.Reference) / 100
		p = logistic(logit(p) + shift)
	}
	r := Recommendation{PWin: p, Currency: in.Currency, Fees: in.Fees, Applies: true}
	a := float64(in.Amount)
	fe := in.Fees
	fight := fightValue(p, a, fe)
	var ev float64
	switch in.Type {
	case "inquiry":
		// Answered and lost, an inquiry becomes a chargeback and its fee; refunded, it costs the
		// amount and no fee (S-HDW).
		ev = p*a - (1-p)*float64(fe.Dispute) - float64(fe.Handling)
	case "alert":
		// Not refunded, an alert becomes a chargeback with probability q, which then costs the
		// amount and its fee less what fighting it is worth.
		q := f.AlertToChargeback.Probability
		b.ChargebackProbability = q
		chargeback := a + float64(fe.Dispute) - math.Max(0, fight)
		ev = a - q*chargeback
	default:
		ev = fight
	}
	r.ExpectedValue = int64(math.Round(ev))
	switch {
	case r.ExpectedValue > 0:
		r.Action = Fight
	case in.Type == "inquiry" || in.Type == "alert":
		r.Action = Refund
	default:
		r.Action = Accept
	}
	b.Text = basisText(in, b, pr, r)
	r.Basis = b
	return r
}

// fightValue is what fighting a chargeback is expected to gain over accepting it (§4.4):
// p·A − (1−p)·fc − h, where a win also gives back what the table says it gives back and a
// counter fee kept on a win costs in both cases. The received fee is sunk either way.
func fightValue(p, amount float64, fe Fees) float64 {
	won := amount
	if !fe.CounterRefundedOnWin {
		won -= float64(fe.Counter)
	}
	if fe.DisputeRefundedOnWin {
		won += float64(fe.Dispute)
	}
	return p*won - (1-p)*float64(fe.Counter) - float64(fe.Handling)
}

func logit(p float64) float64    { return math.Log(p / (1 - p)) }
func logistic(x float64) float64 { return 1 / (1 + math.Exp(-x)) }
