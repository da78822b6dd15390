// Command ingest measures how fast the real server takes provider webhooks. It seeds the
// orders and charges the cases dispute, starts `disputed serve` on the database, and sends N
// signed events (Stripe and the generic feed, half each; per case: opened, under review,
// decided) from C concurrent clients over loopback. It reports events per second, the p50,
// p95 and p99 acknowledgement latency and the server's peak memory; then the ceiling: the rows
// the server wrote, inserted straight into a database seeded the same way with the store's
// settings, one transaction per event, and ingest as a fraction of it.
//
//	go run ./bench/ingest                          # SQLite, 30,000 events, 16 clients
//	go run ./bench/ingest -store postgres -n 60000 -c 32
//	go run ./bench/ingest -cpuprofile /tmp/ingest.prof   # the server's CPU profile
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"time"

	"disputed/bench/internal/benchdb"
	"disputed/bench/internal/ceiling"
	"disputed/bench/internal/report"
	"disputed/bench/internal/serverproc"
)

// Targets on the 2-core machine (BENCHMARKS.md).
const (
	targetRate     = 5000 // events per second
	targetP99      = 20 * time.Millisecond
	targetFraction = 50 // per cent of the ceiling
	targetRSSMB    = 150
)

type config struct {
	events, clients int
	asJSON          bool
	server          *serverproc.Flags
	target          *benchdb.Target
}

func main() {
	var c config
	flag.IntVar(&c.events, "n", 30_000, "events to send (rounded down to whole cases of 3)")
	flag.IntVar(&c.clients, "c", 16, "concurrent clients")
	c.server = serverproc.AddFlags(flag.CommandLine)
	flag.BoolVar(&c.asJSON, "json", false, "print the figures as JSON lines (for bench/all)")
	c.target = benchdb.AddFlags(flag.CommandLine)
	flag.Parse()
	err := run(context.Background(), c)
	c.target.Close()
	if err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, c config) error {
	cases := c.events / eventsPerCase
	if cases < 1 || c.clients < 1 {
		return errors.New("-n must be at least 3 and -c at least 1")
	}
	events := cases * eventsPerCase
	db, err := c.target.Fresh(ctx)
	if err != nil {
		return err
	}
	defer db.Remove()
	ceilingDB, err := c.target.Fresh(ctx)
	if err != nil {
		return err
	}
	defer ceilingDB.Remove()
	for _, d := range []*benchdb.DB{db, ceilingDB} {
		if err := seed(ctx, d, cases); err != nil {
			return fmt.Errorf("seed: %w", err)
		}
	}
	start := time.Now()
	webhooks := make([][]webhook, cases)
	for k := range webhooks {
		if webhooks[k], err = caseEvents(k, start); err != nil {
			return err
		}
	}

	tmp, err := os.MkdirTemp("", "bench-ingest-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin, err := c.server.Build(ctx, tmp)
	if err != nil {
		return err
	}
	srv, err := c.server.Start(bin, db.DSN)
	if err != nil {
		return err
	}
	defer srv.Stop()
	for _, p := range []map[string]any{
		{"name": stripeName, "type": "stripe", "webhook_secret": stripeSecret},
		{"name": feedName, "type": "generic", "webhook_secret": feedSecret},
	} {
		if err := srv.Post(ctx, "/v1/providers", p); err != nil {
			return err
		}
	}
	if err := srv.Post(ctx, "/v1/settings", map[string]any{"block_on_dispute": true}); err != nil {
		return err
	}

	since := time.Now().Truncate(time.Millisecond)
	cpuBefore, err := srv.CPUTime()
	if err != nil {
		return err
	}
	lat, took, err := send(ctx, srv.Client, srv.URL, webhooks, c.clients)
	if err != nil {
		return err
	}
	cpuAfter, err := srv.CPUTime()
	if err != nil {
		return err
	}
	rss, err := srv.PeakRSS()
	if err != nil {
		return err
	}
	if err := srv.Stop(); err != nil {
		return fmt.Errorf("stop the server: %w", err)
	}

	w, err := check(ctx, db, cases, events, since)
	if err != nil {
		return err
	}
	raw, err := ceilingDB.Open(ctx)
	if err != nil {
		return err
	}
	defer raw.Close()
	ceilingTook, err := ceiling.Write(ctx, raw, ceilingDB.Store, w, events, 1)
	if err != nil {
		return fmt.Errorf("ceiling: %w", err)
	}

	rate := float64(events) / took.Seconds()
	ceilingRate := float64(events) / ceilingTook.Seconds()
	r := report.Report{Bench: "ingest", Store: db.Store}
	r.Add(fmt.Sprintf("events sent (%d cases, %d clients)", cases, c.clients), float64(events), "")
	r.AtLeast("events/s", rate, "/s", targetRate)
	r.Add("ack latency p50", report.Ms(lat.Percentile(0.5)), "ms")
	r.Add("ack latency p95", report.Ms(lat.Percentile(0.95)), "ms")
	r.Below("ack latency p99", report.Ms(lat.Percentile(0.99)), "ms", report.Ms(targetP99))
	r.Add("server CPU per event", float64((cpuAfter-cpuBefore).Microseconds())/float64(events), "µs")
	r.Add("rows written per event", float64(w.Count())/float64(events), "")
	r.Add("ceiling: the same rows straight into the database", ceilingRate, "/s")
	r.AtLeast("ingest / ceiling", 100*rate/ceilingRate, "%", targetFraction)
	r.Below("server peak RSS", float64(rss)/(1<<20), "MB", targetRSSMB)
	return r.Write(os.Stdout, c.asJSON)
}

// check reads back what the run did: every event stored once, every case a dispute that was
// decided, and returns the rows written since since, for the ceiling.
func check(ctx context.Context, db *benchdb.DB, cases, events int, since time.Time) (ceiling.Changes, error) {
	raw, err := db.Open(ctx)
	if err != nil {
		return ceiling.Changes{}, err
	}
	defer raw.Close()
	var stored, disputes, decided int
	err = raw.QueryRowContext(ctx, "SELECT COUNT(*) FROM provider_events").Scan(&stored)
	if err == nil {
		err = raw.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN status IN ('won', 'lost') THEN 1 ELSE 0 END), 0)
			FROM disputes WHERE provider <> '' AND transaction_id <> ''`).Scan(&disputes, &decided)
	}
	if err != nil {
		return ceiling.Changes{}, err
	}
	fmt.Fprintf(os.Stderr, "check: %d events stored, %d disputes matched to their charge, %d decided\n", stored, disputes, decided)
	if stored != events || disputes != cases || decided != cases {
		return ceiling.Changes{}, fmt.Errorf("expected %d events stored and %d disputes, each matched and decided", events, cases)
	}
	return readWritten(ctx, raw, db.Store, since)
}
