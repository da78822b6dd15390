// Command list measures GET /v1/disputes on a large database. It loads N disputes (default a
// million), each with its order, charge, events and timeline entries, straight into the
// migrated schema in large multi-row transactions, starts the real server on it, and reports
// the p50 and p99 latency of each filter the list offers, of deep pages by cursor and by page
// number, of the admin UI's list page (its search and its sort by amount, signed in as an
// admin), and the server's peak memory.
//
//	go run ./bench/list                                  # SQLite, 1,000,000 disputes
//	go run ./bench/list -store postgres                  # a throwaway PostgreSQL
//	go run ./bench/list -n 1000000 -keep                 # keep the database and print its name …
//	go run ./bench/list -db /tmp/bench-…/disputed.db     # … and measure it again without loading
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"strings"
	"time"

	"disputed/bench/internal/benchdb"
	"disputed/bench/internal/report"
	"disputed/bench/internal/serverproc"
)

// Targets on the 2-core machine (BENCHMARKS.md).
const (
	targetP99   = 5 * time.Millisecond
	targetUIP99 = 20 * time.Millisecond // issue 21: the admin UI's search and its sort by amount
	targetRSSMB = 150
)

type config struct {
	n        int
	requests int
	budget   time.Duration
	pages    int
	db       string
	keep     bool
	asJSON   bool
	server   *serverproc.Flags
	target   *benchdb.Target
}

func main() {
	var c config
	flag.IntVar(&c.n, "n", 1_000_000, "disputes to load")
	flag.IntVar(&c.requests, "requests", 200, "requests per filter")
	flag.DurationVar(&c.budget, "budget", 20*time.Second, "time per filter, after which it stops early (after 10 requests)")
	flag.IntVar(&c.pages, "pages", 1000, "the deepest page: the walk follows next_cursor up to it")
	flag.StringVar(&c.db, "db", "", "measure this database, loaded by an earlier run with -keep, instead of loading one")
	flag.BoolVar(&c.keep, "keep", false, "keep the loaded database")
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
	db, loading, err := c.database(ctx)
	if err != nil {
		return err
	}
	if !c.keep && c.db == "" {
		defer db.Remove()
	}
	raw, err := db.Open(ctx)
	if err != nil {
		return err
	}
	s, err := sample(ctx, raw)
	raw.Close()
	if err != nil {
		return err
	}

	bin, remove, err := c.server.Build(ctx, "list")
	if err != nil {
		return err
	}
	defer remove()
	buyerKey, err := createKey(ctx, bin, db.DSN, "buyer", s.buyer)
	if err != nil {
		return err
	}
	// One key sends every request back to back: the per-key rate limit, which stops a runaway
	// client, would measure itself instead of the list.
	env := []string{"DISPUTED_RATE_LIMIT=off"}
	srv, err := c.server.Start(bin, db.DSN, env...)
	if err != nil {
		return err
	}
	defer srv.Stop()
	cl := &client{http: srv.Client, base: srv.URL, adminKey: serverproc.AdminKey}
	if err := cl.readBack(s); err != nil {
		return fmt.Errorf("the loaded rows: %w", err)
	}

	r := report.Report{Bench: "list", Store: db.Store}
	r.Add("disputes in the database", float64(s.total), "")
	if loading > 0 {
		r.Add("load time (straight into the schema)", loading.Seconds(), "s")
	}
	qs := queries(s, buyerKey)
	// The server's CPU per page of the walk: what a page costs, which the latencies show through
	// the noise of whatever else runs on the machine.
	cpuBefore, err := srv.CPUTime()
	if err != nil {
		return err
	}
	walked, cursors, err := cl.walk(c.pages)
	if err != nil {
		return err
	}
	cpuAfter, err := srv.CPUTime()
	if err != nil {
		return err
	}
	qs = append(qs, deepPages(c.pages, cursors)...)
	for _, q := range qs {
		if err := c.time(&r, q.name, cl.apiAnswer(q), targetP99); err != nil {
			return err
		}
	}
	// The peak memory of the API's lists, read before the admin signs in to the UI: checking a
	// password fills 64 MiB (argon2id), which the peak would show instead.
	rss, err := srv.PeakRSS()
	if err != nil {
		return err
	}
	ui, err := signIn(ctx, bin, db.DSN, srv.URL)
	if err != nil {
		return fmt.Errorf("sign in to the admin UI: %w", err)
	}
	for _, q := range uiQueries(s) {
		if err := c.time(&r, q.name, ui.answer(q.path), targetUIP99); err != nil {
			return err
		}
	}
	r.Add(fmt.Sprintf("cursor walk, pages 1–%d: p50", c.pages), report.Ms(walked.Percentile(0.5)), "ms")
	r.Below(fmt.Sprintf("cursor walk, pages 1–%d: p99", c.pages), report.Ms(walked.Percentile(0.99)), "ms", report.Ms(targetP99))
	r.Add("cursor walk: server CPU per page", float64((cpuAfter-cpuBefore).Microseconds())/float64(len(walked)), "µs")
	r.Below("server peak RSS (the API's lists)", float64(rss)/(1<<20), "MB", targetRSSMB)
	if err := srv.Stop(); err != nil {
		return fmt.Errorf("stop the server: %w", err)
	}
	return r.Write(os.Stdout, c.asJSON)
}

// time measures the requests send sends and adds their p50 and p99, the p99 against target, to r.
func (c config) time(r *report.Report, name string, send func(i int) (answer, error), target time.Duration) error {
	lat, found, stopped, err := measure(send, c.requests, c.budget)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if found == 0 && stopped == 0 {
		return fmt.Errorf("%s: the filter matched nothing, so it measures nothing", name)
	}
	p99 := lat.Percentile(0.99)
	fmt.Fprintf(os.Stderr, "%-45s p50 %6.2f ms  p99 %6.2f ms  (%d requests, %d in the first page, %d stopped at the bound)\n", name,
		report.Ms(lat.Percentile(0.5)), report.Ms(p99), len(lat), found, stopped)
	r.Add(name+": p50", report.Ms(lat.Percentile(0.5)), "ms")
	r.Below(name+": p99", report.Ms(p99), "ms", report.Ms(target))
	return nil
}

// database returns the database to measure: the one -db names, or a fresh one loaded with c.n
// disputes, with how long loading took.
func (c config) database(ctx context.Context) (*benchdb.DB, time.Duration, error) {
	if c.db != "" {
		if strings.HasPrefix(c.db, "postgres") {
			return &benchdb.DB{Store: benchdb.Postgres, DSN: c.db}, 0, nil
		}
		// A name that is no file would be opened as a new, empty SQLite database.
		if _, err := os.Stat(c.db); err != nil {
			return nil, 0, fmt.Errorf("-db %s: not a SQLite file kept by -keep, nor a postgres:// URL: %w", c.db, err)
		}
		return &benchdb.DB{Store: benchdb.SQLite, DSN: c.db}, 0, nil
	}
	db, err := c.target.Fresh(ctx)
	if err != nil {
		return nil, 0, err
	}
	start := time.Now()
	if err := load(ctx, db, c.n); err != nil {
		return nil, 0, errors.Join(fmt.Errorf("load: %w", err), db.Remove())
	}
	took := time.Since(start)
	fmt.Fprintf(os.Stderr, "loaded %d disputes with their orders, charges, events and timeline into %s in %v\n",
		c.n, db.DSN, took.Round(time.Millisecond))
	return db, took, nil
}

// load writes n disputes into db, and on PostgreSQL vacuums and analyzes it, as autovacuum does
// to a table after such a load (PostgreSQL 13 on vacuums a table its inserts alone have grown):
// its statistics, and its visibility map, without which an index-only scan reads each row's
// page too. Measured before autovacuum's pass, a due_before over 82,000 old disputes at a
// million read each one's page and took 55–66 ms instead of 5–13 (BENCHMARKS.md, session 23).
func load(ctx context.Context, db *benchdb.DB, n int) error {
	raw, err := db.Open(ctx)
	if err != nil {
		return err
	}
	defer raw.Close()
	l, err := benchdb.NewLoader(ctx, raw, db.Store)
	if err == nil {
		err = generate(ctx, l, n, time.Now().Add(-time.Hour), 1)
	}
	if err == nil && db.Store == benchdb.Postgres {
		_, err = raw.ExecContext(ctx, "VACUUM ANALYZE")
	}
	return err
}

// createKey makes an API key with the disputed command, as an operator would, and returns its
// secret. The command opens the database with the benchmark servers' secret key.
func createKey(ctx context.Context, bin, db, role, party string) (string, error) {
	cmd := exec.CommandContext(ctx, bin, "apikey", "create", "--role", role, "--party", party, "--db", db)
	cmd.Env = append(os.Environ(), "DISPUTED_SECRET_KEY="+serverproc.SecretKey)
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("disputed apikey create: %w", err)
	}
	secret, _, _ := strings.Cut(string(out), "\n")
	return strings.TrimSpace(secret), nil
}
