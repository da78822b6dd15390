// Command ingest measures how fast the real server takes a payment stream from Stripe: a mix of
// 90 % charge and refund events (charge.succeeded for a fresh card charge with its brand, last4,
// fingerprint and the order it pays in metadata; refund.created for an earlier charge) and 10 %
// dispute events (charge.dispute.created, …updated, …closed on those charges), sent by C
// concurrent clients over loopback to `disputed serve` (on PostgreSQL two instances on one
// database, sharing the appliers).
//
// It reports the events acknowledged per second and the p50, p95 and p99 acknowledgement
// latency; the ceiling: the same raw payloads appended to the inbox of a fresh database opened
// as the server opens it, with the appender's own statement, in as many group commits as the
// server made, and acknowledging as a fraction of it; how fast the inbox drains (every event
// applied), charges and refunds alone, then disputes alone, on a second stream of the same mix
// split in two; the server's peak memory. It then checks that every event was applied exactly
// once.
//
//	go run ./bench/ingest                          # SQLite, 30,000 events, 16 clients
//	go run ./bench/ingest -store postgres          # two instances on one database
//	go run ./bench/ingest -cpuprofile /tmp/ingest.prof   # the (first) server's CPU profile
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
	"disputed/bench/internal/report"
	"disputed/bench/internal/serverproc"
)

// Targets on the 2-core machine (BENCHMARKS.md).
const (
	targetRate         = 5000 // events acknowledged per second
	targetP99          = 20 * time.Millisecond
	targetFraction     = 50   // per cent of the ceiling
	targetChargeDrain  = 3000 // charge and refund events applied per second
	targetDisputeDrain = 1000 // dispute events applied per second
	targetRSSMB        = 150
)

// maxRate bounds -rate: far above what any machine acknowledges, and a second of its turns is
// what a paced sender keeps ready (pace).
const maxRate = 1_000_000

type config struct {
	events, clients, instances int
	rate                       float64
	asJSON, backup             bool
	server                     *serverproc.Flags
	target                     *benchdb.Target
}

func main() {
	var c config
	flag.IntVar(&c.events, "n", 30_000, "events of the mix to send (rounded down to whole blocks of 30); the split stream has as many")
	flag.IntVar(&c.clients, "c", 16, "concurrent clients")
	flag.Float64Var(&c.rate, "rate", 0, "send at this many events a second in all (a sustained stream), not as fast as answered")
	flag.IntVar(&c.instances, "instances", 0, "servers on the one database (default: 1 on SQLite, 2 on PostgreSQL)")
	c.server = serverproc.AddFlags(flag.CommandLine)
	flag.BoolVar(&c.asJSON, "json", false, "print the figures as JSON lines (for bench/all)")
	flag.BoolVar(&c.backup, "backup", false, "SQLite: take a backup (disputed backup) half-way through the mix and check it")
	c.target = benchdb.AddFlags(flag.CommandLine)
	flag.Parse()
	err := run(context.Background(), c)
	c.target.Close()
	if err != nil {
		log.Fatal(err)
	}
}

// phase is what sending one stream measured.
type phase struct {
	events        int
	lat           report.Latencies
	acked         time.Duration // from the first send to the last acknowledgement
	drained       time.Duration // from the first send to the inbox empty
	backlog       float64       // events waiting in the inbox at the last acknowledgement
	groups, group float64       // group commits made, and the events they wrote
}

func run(ctx context.Context, c config) error {
	blocks := c.events / eventsPerBlock
	if blocks < 1 || c.clients < 1 {
		return fmt.Errorf("-n must be at least %d and -c at least 1", eventsPerBlock)
	}
	if !(c.rate >= 0 && c.rate <= maxRate) { // NaN fails both
		return fmt.Errorf("-rate must be between 0 (as fast as answered) and %d events a second, not %v", maxRate, c.rate)
	}
	if c.backup && c.target.Store != benchdb.SQLite {
		return fmt.Errorf("-backup is for SQLite: a PostgreSQL database is backed up with pg_dump")
	}
	if c.instances == 0 {
		c.instances = map[string]int{benchdb.Postgres: 2}[c.target.Store]
		c.instances = max(c.instances, 1)
	}
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
	start := time.Now()
	var streams []stream
	for _, name := range []string{"mix", "split"} {
		orders, err := seed(ctx, db, name, blocks)
		if err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		s, err := newStream(name, orders, start)
		if err != nil {
			return err
		}
		streams = append(streams, s)
	}
	mix, split := streams[0], streams[1]

	bin, remove, err := c.server.Build(ctx, "ingest")
	if err != nil {
		return err
	}
	defer remove()
	servers, stop, err := startServers(ctx, c, bin, db)
	if err != nil {
		return err
	}
	defer stop()
	cpuBefore, err := cpuTime(servers)
	if err != nil {
		return err
	}
	var backup *backupRun
	if c.backup {
		var removeBackup func()
		if backup, removeBackup, err = newBackupRun(bin, db.DSN, len(mix.blocks)*eventsPerBlock); err != nil {
			return err
		}
		defer removeBackup()
		go backup.run(ctx)
	}
	var measured []phase
	for i, blocks := range [][][]webhook{mix.blocks, split.payments(), split.disputes()} {
		var acked func(webhook)
		if i == 0 && backup != nil {
			acked = backup.acknowledged
		}
		p, err := sendPhase(ctx, servers, blocks, c.clients, c.rate, acked)
		if err != nil {
			return err
		}
		measured = append(measured, p)
	}
	inCopy := 0
	if backup != nil {
		if inCopy, err = backup.check(ctx); err != nil {
			return err
		}
	}
	cpuAfter, err := cpuTime(servers)
	if err != nil {
		return err
	}
	var rss int64
	for _, s := range servers {
		r, err := s.PeakRSS()
		if err != nil {
			return err
		}
		rss = max(rss, r)
	}
	if err := stop(); err != nil {
		return fmt.Errorf("stop the servers: %w", err)
	}

	f, err := readEffects(ctx, db)
	if err != nil {
		return err
	}
	if err := f.check(mix, split); err != nil {
		return err
	}
	m := measured[0]
	stored, err := storedEvents(ctx, db, mix.phase)
	if err != nil {
		return err
	}
	ceilingTook, err := appendCeiling(ctx, ceilingDB, stored, int(m.groups))
	if err != nil {
		return fmt.Errorf("ceiling: %w", err)
	}

	rate := float64(m.events) / m.acked.Seconds()
	ceilingRate := float64(m.events) / ceilingTook.Seconds()
	all := 0
	for _, p := range measured {
		all += p.events
	}
	r := report.Report{Bench: "ingest", Store: db.Store}
	sent := fmt.Sprintf("events sent (the mix: %d blocks, %d clients, %d servers)", blocks, c.clients, c.instances)
	if c.rate > 0 {
		sent = fmt.Sprintf("events sent (the mix: %d blocks, %d clients at %.0f events/s in all, %d servers)", blocks, c.clients, c.rate, c.instances)
	}
	r.Add(sent, float64(m.events), "")
	r.AtLeast("events acknowledged/s", rate, "/s", targetRate)
	r.Add("ack latency p50", report.Ms(m.lat.Percentile(0.5)), "ms")
	r.Add("ack latency p95", report.Ms(m.lat.Percentile(0.95)), "ms")
	r.Below("ack latency p99", report.Ms(m.lat.Percentile(0.99)), "ms", report.Ms(targetP99))
	r.Add("group commits", m.groups, "")
	r.Add("events per group commit", m.group/m.groups, "")
	r.Add("ceiling: the same payloads appended in as many groups", ceilingRate, "/s")
	r.AtLeast("acknowledged / ceiling", 100*rate/ceilingRate, "%", targetFraction)
	r.Add("the mix drained (all applied)", float64(m.events)/m.drained.Seconds(), "/s")
	r.Add("inbox backlog at the last ack", m.backlog, "")
	r.Add("the last event applied, after the last ack", report.Ms(m.drained-m.acked), "ms")
	r.AtLeast("charge and refund events drained", float64(measured[1].events)/measured[1].drained.Seconds(), "/s", targetChargeDrain)
	r.AtLeast("dispute events drained", float64(measured[2].events)/measured[2].drained.Seconds(), "/s", targetDisputeDrain)
	r.Add("server CPU per event, acknowledged and applied", float64((cpuAfter-cpuBefore).Microseconds())/float64(all), "µs")
	r.Add("charges recorded as transactions", float64(f.charges), "")
	r.Add("disputes matched to their charge", float64(f.matched), "")
	r.Below("server peak RSS", float64(rss)/(1<<20), "MB", targetRSSMB)
	if backup != nil {
		r.Add("backup taken half-way through the mix (disputed backup)", report.Ms(backup.took), "ms")
		r.Add("events acknowledged before it, all in the copy (integrity_check ok)", float64(inCopy), "")
		r.Add("the copy restored (disputed restore; integrity and search index ok, every event)", report.Ms(backup.restoredTook), "ms")
	}
	return r.Write(os.Stdout, c.asJSON)
}

// startServers starts c.instances servers of bin on db (the first profiled when asked) and
// configures the provider and the settings through the first; stop stops those still running.
func startServers(ctx context.Context, c config, bin string, db *benchdb.DB) (servers []*serverproc.Server, stop func() error, err error) {
	stop = func() error {
		var errs []error
		for _, s := range servers {
			errs = append(errs, s.Stop())
		}
		servers = nil
		return errors.Join(errs...)
	}
	for i := range c.instances {
		var s *serverproc.Server
		if i == 0 {
			s, err = c.server.Start(bin, db.DSN)
		} else {
			s, err = serverproc.Start(bin, db.DSN)
		}
		if err != nil {
			return nil, stop, errors.Join(err, stop())
		}
		servers = append(servers, s)
	}
	for _, p := range []struct {
		path string
		body map[string]any
	}{
		{"/v1/providers", map[string]any{"name": stripeName, "type": "stripe", "webhook_secret": stripeSecret}},
		{"/v1/settings", map[string]any{"block_on_dispute": true}},
	} {
		if err := servers[0].Post(ctx, p.path, p.body); err != nil {
			return nil, stop, errors.Join(err, stop())
		}
	}
	return servers, stop, nil
}

// sendPhase sends blocks to the servers and waits until the inbox is empty.
func sendPhase(ctx context.Context, servers []*serverproc.Server, blocks [][]webhook, clients int, rate float64, acked func(webhook)) (phase, error) {
	p := phase{}
	for _, b := range blocks {
		p.events += len(b)
	}
	groups, group, err := groupCommits(ctx, servers)
	if err != nil {
		return p, err
	}
	bases := make([]string, len(servers))
	for i, s := range servers {
		bases[i] = s.URL
	}
	start := time.Now()
	if p.lat, p.acked, err = send(ctx, servers[0].Client, bases, blocks, clients, rate, acked); err != nil {
		return p, err
	}
	drained, backlog, err := waitDrained(ctx, servers[0])
	if err != nil {
		return p, err
	}
	p.drained, p.backlog = drained.Sub(start), backlog
	after, afterEvents, err := groupCommits(ctx, servers)
	p.groups, p.group = after-groups, afterEvents-group
	return p, err
}

// cpuTime is the processor time the servers have used so far.
func cpuTime(servers []*serverproc.Server) (time.Duration, error) {
	var total time.Duration
	for _, s := range servers {
		t, err := s.CPUTime()
		if err != nil {
			return 0, err
		}
		total += t
	}
	return total, nil
}
