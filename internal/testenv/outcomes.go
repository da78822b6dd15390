package testenv

import (
	"fmt"
	"time"

	"disputed/internal/dispute"
	"disputed/internal/store"
)

// OutcomeMonth is February 2026 as the outcome tests compute it by hand: five disputes opened in
// it, and one just before and one just after, written straight into the store with their
// outcomes, fees and answers. Weeks (ISO, Mondays): 2026-02-02, 2026-02-09, 2026-02-16.
//
//	dsp_won1      chargeback visa 10.4 (fraud)              stripe  USD 100.00  won, answered after 48 h; fee 15.00 given back
//	dsp_won2      chargeback visa 13.1 (consumer_dispute)   stripe  USD 100.00  won, answered after 24 h; fee 15.00
//	dsp_lost      chargeback visa 10.4 (fraud)              stripe  USD  50.00  lost, answered after 72 h; fee 15.00
//	dsp_accepted  chargeback mastercard 4837 (fraud)        by hand EUR  20.00  conceded after 12 h; fee EUR 15.00
//	dsp_open      inquiry    visa 13.1 (consumer_dispute)   stripe  USD  30.00  waiting for an answer
var OutcomeMonth = struct{ From, To time.Time }{
	From: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC),
	To:   time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
}

// OutcomeDisputes writes the disputes of OutcomeMonth.
func (e *Env) OutcomeDisputes() {
	e.T.Helper()
	day := func(d, h int) time.Time { return time.Date(2026, 2, d, h, 0, 0, 0, time.UTC) }
	fee := func(amount int64, currency string) dispute.Fee {
		return dispute.Fee{Amount: amount, Currency: currency, Description: "Dispute fee"}
	}
	mk := func(id string, happened time.Time, amount int64, currency, network, code string) dispute.Dispute {
		return dispute.Dispute{ID: id, Type: dispute.Chargeback, Status: dispute.NeedsResponse, Stage: dispute.StageChargeback,
			Amount: amount, Currency: currency, Network: network, NetworkReasonCode: code, Reason: "general", Provider: "stripe",
			ProviderDisputeID: "dp_" + id, Channel: dispute.ChannelNetwork, HappenedAt: happened, Evidence: map[string]string{},
			Metadata: map[string]string{}, Tags: []string{}, Livemode: true, Revision: 1, CreatedAt: happened, UpdatedAt: happened}
	}
	won := func(d dispute.Dispute, answered time.Duration) dispute.Dispute {
		d.Status, d.Resolution, d.DefendedAt = dispute.Won, dispute.ResolutionWon, d.HappenedAt.Add(answered)
		return d
	}
	won1 := won(mk("dsp_won1", day(2, 10), 10000, "USD", "visa", "10.4"), 48*time.Hour)
	won1.Fees = []dispute.Fee{fee(1500, "USD"), {Amount: -1500, Currency: "USD", Description: "Dispute fee refund"}}
	won2 := won(mk("dsp_won2", day(10, 10), 10000, "USD", "visa", "13.1"), 24*time.Hour)
	won2.Fees = []dispute.Fee{fee(1500, "USD")}
	lost := mk("dsp_lost", day(11, 10), 5000, "USD", "visa", "10.4")
	lost.Status, lost.Resolution, lost.DefendedAt, lost.Fees = dispute.Lost, dispute.ResolutionLost, lost.HappenedAt.Add(72*time.Hour), []dispute.Fee{fee(1500, "USD")}
	accepted := mk("dsp_accepted", day(12, 10), 2000, "EUR", "mastercard", "4837")
	accepted.Provider, accepted.ProviderDisputeID, accepted.Type, accepted.Channel = "", "", dispute.Manual, dispute.ChannelManual
	accepted.Status, accepted.Resolution, accepted.AcceptedAt = dispute.Lost, dispute.ResolutionLost, accepted.HappenedAt.Add(12*time.Hour)
	accepted.Fees = []dispute.Fee{fee(1500, "EUR")}
	open := mk("dsp_open", day(20, 10), 3000, "USD", "visa", "13.1")
	open.Type, open.Status, open.Stage = dispute.Inquiry, dispute.WarningNeedsResponse, dispute.StageInquiry
	before := won(mk("dsp_before", OutcomeMonth.From.Add(-time.Millisecond), 70000, "USD", "visa", "10.4"), time.Hour)
	after := won(mk("dsp_after", OutcomeMonth.To, 70000, "USD", "visa", "10.4"), time.Hour)
	err := e.Store.Tx(e.Ctx, func(tx store.Tx) error {
		for _, d := range []dispute.Dispute{won1, won2, lost, accepted, open, before, after} {
			if err := tx.InsertDispute(e.Ctx, d); err != nil {
				return fmt.Errorf("%s: %w", d.ID, err)
			}
		}
		return nil
	})
	if err != nil {
		e.T.Fatalf("outcome disputes: %v", err)
	}
}
