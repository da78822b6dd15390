package app_test

import (
	"fmt"
	"testing"
	"time"

	"disputed/internal/dispute"
	"disputed/internal/order"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

// BenchmarkRatios1M computes the ratios of a month with 1,000,000 sales and 20,000 disputes on
// SQLite, after a previous month of as many sales (Mastercard's ECP divides by them), the figure
// the issue sets under 200 ms (BENCHMARKS.md).
func BenchmarkRatios1M(b *testing.B) {
	e := testenv.New(b, "sqlite", testenv.Options{})
	const sales, disputes, perTx = 1_000_000, 20_000, 20_000
	april := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	networks := []string{"visa", "visa", "visa", "mastercard", "amex"}
	channels := []order.Channel{order.NoChannel, order.ChannelCardNotPresent, order.NoChannel, order.ChannelCardPresent}
	load := time.Now()
	for _, month := range []time.Time{april.AddDate(0, -1, 0), april} {
		step := month.AddDate(0, 1, 0).Sub(month) / sales
		for start := 0; start < sales; start += perTx {
			err := e.Store.Tx(e.Ctx, func(tx store.Tx) error {
				for i := start; i < start+perTx; i++ {
					at := month.Add(time.Duration(i) * step)
					t := order.Transaction{ID: fmt.Sprintf("txn_%s_%07d", month.Format("0601"), i), Kind: order.Charge, Amount: 1000,
						Currency: "USD", Purchase: order.PurchaseContext{CardNetwork: networks[i%len(networks)]},
						Channel: channels[i%len(channels)], CreatedAt: at, UpdatedAt: at}
					if err := tx.InsertTransaction(e.Ctx, t); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	kinds := []struct {
		typ   dispute.Type
		stage dispute.Stage
		alert dispute.AlertType
	}{{dispute.Chargeback, dispute.StageChargeback, ""}, {dispute.Alert, "", dispute.TC40}, {dispute.Inquiry, dispute.StageInquiry, ""},
		{dispute.Alert, "", dispute.RDR}, {dispute.Chargeback, dispute.StagePreArbitration, ""}}
	codes := []string{"10.4", "13.1", "4837", "4853", "13.3", "12.6.1", ""}
	err := e.Store.Tx(e.Ctx, func(tx store.Tx) error {
		for i := range disputes {
			at := april.Add(time.Duration(i) * time.Minute)
			k := kinds[i%len(kinds)]
			d := dispute.Dispute{ID: fmt.Sprintf("dsp_%06d", i), Type: k.typ, Stage: k.stage, AlertType: k.alert,
				Channel: dispute.ChannelOf(k.typ), Network: networks[i%len(networks)], NetworkReasonCode: codes[i%len(codes)],
				Reason: "fraudulent", Status: dispute.NeedsResponse, Amount: 1000, Currency: "USD", Evidence: map[string]string{},
				Tags: []string{}, Metadata: map[string]string{}, Revision: 1, HappenedAt: at, CreatedAt: at, UpdatedAt: at}
			if err := tx.InsertDispute(e.Ctx, d); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("loaded %d sales and %d disputes in %s", 2*sales, disputes, time.Since(load).Round(time.Second))
	e.Clock.Set(april.AddDate(0, 1, 3))
	cpu := cpuTime()
	for b.Loop() {
		r, err := e.App.Ratios(e.Ctx, "2026-04", "")
		if err != nil || len(r.Ratios) != 2 || r.Ratios[0].Transactions == 0 {
			b.Fatalf("ratios %+v: %v", r, err)
		}
	}
	b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
}
