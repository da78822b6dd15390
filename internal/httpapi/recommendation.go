package httpapi

import (
	"math"

	"disputed/internal/decide"
)

// Recommendation is what fighting an open dispute is worth (internal/decide).
type Recommendation struct {
	Action               string              `json:"action" enum:"fight,accept,refund" doc:"fight: answer with evidence (for an alert: keep the sale, and answer the chargeback if one comes); accept: concede the chargeback; refund: refund the inquiry or alert before it becomes a chargeback. fight exactly when expected_value is positive"`
	PWin                 float64             `json:"p_win" minimum:"0" maximum:"1" doc:"the odds of winning if fought, 0 to 1 (4 decimals): the merchant's decided disputes of the same reason category and network, shrunk toward a published win rate, moved by the evidence completeness (see basis)"`
	ExpectedValue        int64               `json:"expected_value" doc:"what fighting is expected to gain over conceding (accepting a chargeback; refunding an inquiry or alert), in minor units of currency: p_win x amount - (1 - p_win) x counter fee - handling cost for a chargeback (a counter fee kept on a win counted then too); for an inquiry the dispute fee takes the counter fee's place; for an alert amount - 0.8 x (amount + dispute fee - what fighting the chargeback is worth)"`
	ExpectedValueDecimal string              `json:"expected_value_decimal" doc:"expected_value as a decimal string in currency's major units"`
	Currency             string              `json:"currency" doc:"the dispute's currency, the currency of every amount here"`
	Fees                 RecommendationFees  `json:"fees"`
	Basis                RecommendationBasis `json:"basis"`
}

// RecommendationFees are the fees the recommendation counts, in the dispute's currency.
type RecommendationFees struct {
	Dispute              int64   `json:"dispute" doc:"the fee for receiving the dispute (sunk: charged whether fought or not), minor units"`
	DisputeRefundedOnWin bool    `json:"dispute_refunded_on_win" doc:"whether a win gives the dispute fee back"`
	Counter              int64   `json:"counter" doc:"the fee for submitting evidence, minor units"`
	CounterRefundedOnWin bool    `json:"counter_refunded_on_win" doc:"whether a win gives the counter fee back"`
	Arbitration          int64   `json:"arbitration" doc:"the network's arbitration fee should the case go that far, borne by the loser; shown, not in expected_value"`
	Handling             int64   `json:"handling" doc:"the merchant's cost of one fight (settings handling_cost), minor units"`
	TableVersion         *string `json:"table_version" doc:"the fee table the fees come from: the shipped one's version, or settings for the merchant's own; null when the table has no row for the dispute's provider"`
	TableDate            *string `json:"table_date" doc:"the fee table's date"`
	Estimate             bool    `json:"estimate" doc:"the fee table's row is an estimate no primary source confirms"`
	Missing              *string `json:"missing" doc:"what the expected value leaves out and why (no row for the provider; a fee in another currency with no exchange rate recorded); null when nothing"`
}

// RecommendationBasis is what p_win rests on.
type RecommendationBasis struct {
	Category              *string  `json:"category" doc:"the dispute's reason category the history is drawn from (reason_category); null when none is known"`
	Network               *string  `json:"network" doc:"the network the history is drawn from; null when none is known"`
	Won                   int      `json:"won" doc:"the merchant's won disputes of the same category, network and mode"`
	Lost                  int      `json:"lost" doc:"the merchant's lost disputes of the same category, network and mode"`
	Prior                 float64  `json:"prior" doc:"the published win rate of the category (a vendor survey, see prior_source)"`
	PriorSource           string   `json:"prior_source" doc:"the prior's source tag in the priors file"`
	PriorWeight           float64  `json:"prior_weight" doc:"how many disputes the prior counts as: history = (won + prior_weight x prior) / (won + lost + prior_weight)"`
	History               float64  `json:"history" doc:"the odds from the history shrunk toward the prior, before the evidence completeness (4 decimals)"`
	Completeness          *int     `json:"completeness" doc:"the evidence completeness that raised history to p_win: each point adds 0.01504 to the log-odds, so that full evidence moves the odds as Stripe's calibrated odds move from 25 % to 60 %; null for an alert, which has no evidence"`
	ChargebackProbability *float64 `json:"chargeback_probability" doc:"for an alert: the chance it becomes a chargeback if not refunded (0.8, Stripe's figure for early fraud warnings); null for others"`
	PriorsVersion         string   `json:"priors_version" doc:"the version of the priors file"`
	Text                  string   `json:"text" doc:"the basis in words"`
}

// recommendationOut presents r; nil when it does not apply.
func recommendationOut(r decide.Recommendation, ok bool) *Recommendation {
	if !ok || !r.Applies {
		return nil
	}
	f, b := r.Fees, r.Basis
	out := &Recommendation{Action: r.Action, PWin: round4(r.PWin), ExpectedValue: r.ExpectedValue,
		ExpectedValueDecimal: decimal(r.ExpectedValue, r.Currency), Currency: r.Currency,
		Fees: RecommendationFees{Dispute: f.Dispute, DisputeRefundedOnWin: f.DisputeRefundedOnWin, Counter: f.Counter,
			CounterRefundedOnWin: f.CounterRefundedOnWin, Arbitration: f.Arbitration, Handling: f.Handling,
			TableVersion: opt(f.TableVersion), TableDate: opt(f.TableDate), Estimate: f.Estimate, Missing: opt(f.Missing)},
		Basis: RecommendationBasis{Category: opt(b.Category), Network: opt(b.Network), Won: b.Won, Lost: b.Lost, Prior: b.Prior,
			PriorSource: b.PriorSource, PriorWeight: b.PriorWeight, History: round4(b.History), PriorsVersion: b.PriorsVersion, Text: b.Text}}
	if b.HasChecklist {
		c := b.Completeness
		out.Basis.Completeness = &c
	}
	if b.ChargebackProbability > 0 {
		q := b.ChargebackProbability
		out.Basis.ChargebackProbability = &q
	}
	return out
}

func round4(p float64) float64 { return math.Round(p*1e4) / 1e4 }
