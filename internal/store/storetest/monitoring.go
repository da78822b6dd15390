package storetest

import (
	"cmp"
	"errors"
	"slices"
	"testing"
	"time"

	"disputed/internal/dispute"
	"disputed/internal/order"
	"disputed/internal/store"
)

// testMonitoringCounts: the sales of a month counted per card network and channel (charges and
// captures only, by the UTC day of created_at), and the disputes a program may count by what classifies them
// (chargebacks past the inquiry stage and TC40/SAFE alerts, by happened_at).
func testMonitoringCounts(t *testing.T, s store.Store) {
	ctx := t.Context()
	april := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	sale := func(id string, kind order.Kind, network string, channel order.Channel, hours int) order.Transaction {
		tr := charge(id, "", 1000, april.Add(time.Duration(hours)*time.Hour))
		tr.Kind, tr.Purchase.CardNetwork, tr.Channel = kind, network, channel
		return tr
	}
	mk := func(id string, typ dispute.Type, stage dispute.Stage, alert dispute.AlertType, network string, ms int64) dispute.Dispute {
		d := openDispute(id, "", at(0))
		d.Type, d.Stage, d.AlertType, d.Network, d.Reason, d.HappenedAt = typ, stage, alert, network, "fraudulent", at(ms)
		return d
	}
	write(t, s, func(tx store.Tx) error {
		for _, tr := range []order.Transaction{
			sale("txn_1", order.Charge, "visa", order.NoChannel, 0),
			sale("txn_2", order.Charge, "visa", order.ChannelCardNotPresent, 1),
			sale("txn_3", order.Capture, "visa", order.ChannelCardNotPresent, 30*24-1),
			sale("txn_4", order.Charge, "visa", order.ChannelCardPresent, 40),
			sale("txn_5", order.Refund, "visa", order.NoChannel, 50),
			sale("txn_6", order.Authorization, "visa", order.NoChannel, 60),
			sale("txn_7", order.Charge, "mastercard", order.NoChannel, 70),
			sale("txn_8", order.Charge, "visa", order.NoChannel, 30*24), // May: out
			sale("txn_9", order.Charge, "visa", order.NoChannel, -1),    // March: out
		} {
			if err := tx.InsertTransaction(ctx, tr); err != nil {
				return err
			}
		}
		for _, d := range []dispute.Dispute{
			mk("dsp_1", dispute.Chargeback, dispute.StageChargeback, "", "visa", 10),
			mk("dsp_2", dispute.Chargeback, dispute.StageChargeback, "", "visa", 20),
			mk("dsp_3", dispute.Chargeback, dispute.StagePreArbitration, "", "visa", 30),
			mk("dsp_4", dispute.Alert, "", dispute.TC40, "", 40),
			mk("dsp_5", dispute.Alert, "", dispute.RDR, "", 40),
			mk("dsp_6", dispute.Inquiry, dispute.StageInquiry, "", "visa", 50),
			mk("dsp_7", dispute.Chargeback, dispute.StageInquiry, "", "visa", 50),
			mk("dsp_8", dispute.Manual, "", "", "", 50),
			mk("dsp_9", dispute.Chargeback, dispute.StageChargeback, "", "visa", 100),
		} {
			if err := tx.InsertDispute(ctx, d); err != nil {
				return err
			}
		}
		return nil
	})
	sales, err := s.SalesCounts(ctx, april, april.AddDate(0, 1, 0))
	noErr(t, "SalesCounts", err)
	slices.SortFunc(sales, func(a, b store.SalesCount) int {
		return cmp.Or(cmp.Compare(a.CardNetwork, b.CardNetwork), cmp.Compare(a.Channel, b.Channel))
	})
	same(t, "sales counts", sales, []store.SalesCount{
		{CardNetwork: "mastercard", N: 1},
		{CardNetwork: "visa", N: 1}, {CardNetwork: "visa", Channel: "card_not_present", N: 2},
		{CardNetwork: "visa", Channel: "card_present", N: 1},
	})
	disputes, err := s.MonitoredDisputeCounts(ctx, at(10), at(100))
	noErr(t, "MonitoredDisputeCounts", err)
	slices.SortFunc(disputes, func(a, b store.MonitoredDisputeCount) int {
		return cmp.Or(cmp.Compare(a.Type, b.Type), cmp.Compare(a.Stage, b.Stage))
	})
	cb := func(stage dispute.Stage, n int64) store.MonitoredDisputeCount {
		return store.MonitoredDisputeCount{Type: "chargeback", Stage: string(stage), Network: "visa", Reason: "fraudulent", N: n}
	}
	same(t, "dispute counts", disputes, []store.MonitoredDisputeCount{
		{Type: "alert", AlertType: "tc40", Reason: "fraudulent", N: 1},
		cb(dispute.StageChargeback, 2), cb(dispute.StagePreArbitration, 1),
	})

	n := store.MonitoringNotice{Month: "2026-04", Network: "visa", Program: "vamp", Level: "approaching", CreatedAt: at(1)}
	sent, err := s.MonitoringNoticeSent(ctx, n)
	noErr(t, "MonitoringNoticeSent", err)
	if sent {
		t.Fatal("a notice is sent before any was recorded")
	}
	write(t, s, func(tx store.Tx) error { return tx.InsertMonitoringNotice(ctx, n) })
	if sent, err = s.MonitoringNoticeSent(ctx, n); err != nil || !sent {
		t.Errorf("MonitoringNoticeSent after recording = %v, %v", sent, err)
	}
	other := n
	other.Level = "excessive"
	if sent, err = s.MonitoringNoticeSent(ctx, other); err != nil || sent {
		t.Errorf("another level's notice sent = %v, %v", sent, err)
	}
	err = s.Tx(ctx, func(tx store.Tx) error { return tx.InsertMonitoringNotice(ctx, n) })
	if !errors.Is(err, store.ErrConflict) {
		t.Errorf("the same notice twice: %v, want ErrConflict", err)
	}
}
