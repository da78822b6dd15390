package dispute

import (
	"slices"

	"disputed/internal/fees"
)

// FeesDue are the kinds of fee the dispute has incurred by now that it has no record of, which
// the fee table could estimate: the fee for receiving a chargeback, the counter fee once evidence
// was submitted and, on a win, the fees given back. Only chargebacks (and those entered by
// staff) incur them: inquiries resolved by evidence or refund and alerts incur none (S-HDW), and
// a marketplace case is between a buyer and a vendor. Nothing is due when every kind is recorded,
// so the caller looks the table up only when something is.
func (d *Dispute) FeesDue() []FeeKind {
	if d.Type != Chargeback && d.Type != Manual {
		return nil
	}
	due := []FeeKind{FeeReceived}
	if d.countered() {
		due = append(due, FeeCounter)
	}
	if d.Status == Won {
		due = append(due, FeeReturned)
	}
	return slices.DeleteFunc(due, func(k FeeKind) bool {
		return slices.ContainsFunc(d.Fees, func(f Fee) bool { return f.Purpose() == k })
	})
}

// EstimateFees records the fee table's estimate of the fees due (FeesDue), from s, the row in
// force when the dispute was raised (so a counter fee applies only to disputes opened after its
// effective date). An estimate once recorded stays as it was, whatever later edits of the table
// say; a fee the provider reports replaces it (addFees). It reports whether it added any.
func (d *Dispute) EstimateFees(s fees.Schedule) bool {
	added := false
	for _, k := range d.FeesDue() {
		amount, words := int64(0), ""
		switch k {
		case FeeReceived:
			amount, words = s.DisputeFee, "Dispute fee"
		case FeeCounter:
			amount, words = s.CounterFee, "Dispute counter fee"
		case FeeReturned:
			if s.CounterFeeRefundedOnWin && d.countered() {
				amount -= s.CounterFee
			}
			if s.DisputeFeeRefundedOnWin {
				amount -= s.DisputeFee
			}
			words = "Fees returned on the win"
		}
		if amount == 0 {
			continue
		}
		d.Fees = append(slices.Clip(d.Fees), Fee{Amount: amount, Currency: s.Currency, Description: words + " (fee table)",
			Source: FeeFromTable, Kind: k, TableVersion: s.Version, TableDate: s.Date, Estimate: s.Estimate})
		added = true
	}
	return added
}

// countered reports whether the merchant's evidence was submitted, by us or at the provider,
// which is when a counter fee is charged.
func (d *Dispute) countered() bool { return d.SubmissionCount > 0 || !d.DefendedAt.IsZero() }
