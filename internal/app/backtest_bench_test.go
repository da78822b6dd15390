package app_test

import (
	"fmt"
	"syscall"
	"testing"
	"time"

	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

// BenchmarkBacktest100k backtests a rule over 100,000 decided disputes on SQLite, the figure the
// issue sets under 2 s (BENCHMARKS.md).
func BenchmarkBacktest100k(b *testing.B) {
	e := testenv.New(b, "sqlite", testenv.Options{})
	const total, perTx = 100_000, 10_000
	statuses := []dispute.Status{dispute.Won, dispute.Lost, dispute.Lost}
	for start := 0; start < total; start += perTx {
		err := e.Store.Tx(e.Ctx, func(tx store.Tx) error {
			for i := start; i < start+perTx; i++ {
				at := testenv.Start.Add(-time.Duration(total-i) * time.Minute)
				d := dispute.Dispute{ID: fmt.Sprintf("dsp_%08d", i), Type: dispute.Chargeback, Status: statuses[i%3],
					Reason: "fraudulent", NetworkReasonCode: "10.4", Network: "visa", Amount: int64(500 + i%5000), Currency: "USD",
					CustomerID: fmt.Sprintf("cus_%05d", i%20_000), Provider: "stripe", Evidence: map[string]string{"customer_name": "Ada"},
					Metadata: map[string]string{}, Tags: []string{"eu"}, Fees: []dispute.Fee{{Amount: 1500, Currency: "USD", Description: "Dispute fee"}},
					DefendedAt: at, Revision: 1, CreatedAt: at, UpdatedAt: at}
				if err := tx.InsertDispute(e.Ctx, d); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	name, when, action := "bench", "reason_category == 'fraud' && amount_reporting != nil && amount_reporting <= 2500 && customer_disputes < 3", "accept"
	p := app.BacktestParams{Rule: &app.RuleParams{Name: &name, When: &when, Action: &action}}
	cpu := cpuTime()
	for b.Loop() {
		bt, err := e.App.BacktestRule(e.Ctx, testenv.Admin, p)
		if err != nil || bt.Decided != total {
			b.Fatalf("decided %d: %v", bt.Decided, err)
		}
	}
	// The process's CPU time per backtest, beside the wall time: on a shared machine the wall
	// time measures the neighbours too.
	b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
