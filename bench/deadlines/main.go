// Command deadlines measures the deadline path at scale: it seeds N disputes whose due date
// passes at the same moment, then lets job runners resolve them all (each lost, with its money
// recorded and its events written) and reports the time, checking that nothing ran twice.
//
//	go run ./bench/deadlines -n 100000                         # SQLite, one runner
//	go run ./bench/deadlines -n 100000 -db postgres://… -runners 2
//
// It ends with its figure in the table of the other benchmarks (-json: as JSON lines for
// bench/all, which runs them all).
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"sync"
	"syscall"
	"time"

	"disputed/bench/internal/report"
	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/deadline"
	"disputed/internal/dispute"
	"disputed/internal/gcpolicy"
	"disputed/internal/httpapi"
	"disputed/internal/id"
	"disputed/internal/jobs"
	"disputed/internal/order"
	"disputed/internal/secretbox"
	"disputed/internal/store"
	"disputed/internal/store/postgres"
	"disputed/internal/store/sqlite"
)

func main() {
	n := flag.Int("n", 100_000, "disputes due at the same moment")
	db := flag.String("db", "", "postgres:// URL; default a fresh SQLite file in a temporary folder")
	runners := flag.Int("runners", 1, "job runners working at once")
	kind := flag.String("type", "chargeback", "chargeback (lost: funds withdrawn) or manual (lost: refund recorded)")
	batch := flag.Int("batch", 100, "jobs a runner claims at once")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the resolution phase to this file")
	asJSON := flag.Bool("json", false, "print the figures as JSON lines (for bench/all)")
	flag.BoolVar(&perTable, "tables", false, "also print the ceiling of each table's rows alone (SQLite)")
	flag.BoolVar(&withCeiling, "ceiling", true, "measure the ceiling after the run (SQLite); -ceiling=false for quick comparisons")
	flag.Parse()
	// The runners work in this process, under the server's garbage collector policy.
	gcpolicy.Apply(os.Getenv)
	cpuProfile = *profile
	res, err := run(context.Background(), *n, *db, *runners, *kind, *batch)
	if err != nil {
		log.Fatal(err)
	}
	r := report.Report{Bench: "deadlines", Store: "sqlite"}
	if strings.HasPrefix(*db, "postgres") {
		r.Store = "postgres"
	}
	// The target, 100,000 in 10 s, scaled to the number of disputes.
	target := 10 * float64(*n) / 100_000
	r.Below(fmt.Sprintf("%d due at once: until all resolved, %d runner(s)", *n, *runners), res.took.Seconds(), "s", target)
	r.Add("resolved per second", float64(*n)/res.took.Seconds(), "/s")
	// CPU time stays put when other work shares the machine, which the wall time does not.
	r.Add("CPU per expiry (the runners, and on SQLite the database)", float64(res.cpu.Microseconds())/float64(*n), "µs")
	if res.rows > 0 {
		r.Add("rows written per expiry", float64(res.rows)/float64(*n), "")
		r.Add("ceiling: the same rows straight into the database, a statement per row", res.ceiling.Seconds(), "s")
		r.Below(fmt.Sprintf("ceiling with %d rows per INSERT (the floor of a set-based expiry)", setRows), res.setCeiling.Seconds(), "s", target)
		r.Add("resolution / ceiling", 100*res.ceiling.Seconds()/res.took.Seconds(), "%")
	}
	if err := r.Write(os.Stdout, *asJSON); err != nil {
		log.Fatal(err)
	}
}

// setRows is how many rows a set-based writer would insert with one statement.
const setRows = 100

// result is what a run measured: the resolution's time and, on SQLite, the rows it wrote and
// how long writing them alone takes.
type result struct {
	took, cpu           time.Duration // the resolution's wall time, and this process's CPU time meanwhile
	rows                int
	ceiling, setCeiling time.Duration
}

var (
	cpuProfile  string
	perTable    bool
	withCeiling bool
)

// run seeds, resolves and checks, and returns how long the resolution took; on SQLite also
// how long the rows it wrote take to write alone.
func run(ctx context.Context, n int, dsn string, runners int, kind string, batch int) (result, error) {
	var st store.Store
	var err error
	keys := secretbox.Fresh() // the run's database is new and keeps no secret
	path := ""
	if strings.HasPrefix(dsn, "postgres") {
		st, err = postgres.Open(ctx, dsn, keys)
	} else {
		dir, derr := os.MkdirTemp("", "bench-deadlines-")
		if derr != nil {
			return result{}, derr
		}
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, "bench.db")
		st, err = sqlite.Open(ctx, path, keys)
	}
	if err != nil {
		return result{}, err
	}
	defer st.Close()

	start := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	due := start.Add(24 * time.Hour)
	t := time.Now()
	if err := seed(ctx, st, n, kind, start, due); err != nil {
		return result{}, fmt.Errorf("seed: %w", err)
	}
	fmt.Printf("seeded %d %s disputes due at %s in %v\n", n, kind, due.Format(time.RFC3339), time.Since(t).Round(time.Millisecond))
	var ceil *ceilingRun
	if path != "" && withCeiling {
		if ceil, err = prepareCeiling(ctx, path); err != nil {
			return result{}, fmt.Errorf("ceiling: %w", err)
		}
	}

	after := due.Add(time.Second)
	clock := func() time.Time { return after }
	a := app.New(st, app.Options{Now: clock, Presenter: httpapi.Presenter{Now: clock}})
	if cpuProfile != "" {
		f, err := os.Create(cpuProfile)
		if err != nil {
			return result{}, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return result{}, err
		}
		defer pprof.StopCPUProfile()
	}
	// The server's own kind of job, with its read ahead.
	var expiry jobs.Kind
	for _, k := range a.JobKinds() {
		if k.Name == deadline.KindExpire {
			expiry = k
		}
	}
	cpuBefore := cpuTime()
	t = time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, runners)
	for i := range runners {
		r := jobs.New(st, jobs.Config{Now: clock, Batch: batch, ID: fmt.Sprintf("bench-%d", i)}, expiry)
		wg.Go(func() {
			for {
				k, err := r.RunOnce(ctx)
				if err != nil {
					errs <- err
					return
				}
				if k == 0 {
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		return result{}, err
	}
	took, cpu := time.Since(t), cpuTime()-cpuBefore
	fmt.Printf("resolved in %v with %d runner(s): %.0f disputes/s, %.1f µs each, %.1f µs of CPU each\n", took.Round(time.Millisecond), runners,
		float64(n)/took.Seconds(), float64(took.Microseconds())/float64(n), float64(cpu.Microseconds())/float64(n))
	if err := verify(ctx, st, n, kind); err != nil {
		return result{}, err
	}
	res := result{took: took, cpu: cpu}
	if ceil != nil {
		if err := ceil.measure(ctx, path, (n+batch-1)/batch, &res); err != nil {
			return result{}, fmt.Errorf("ceiling: %w", err)
		}
	}
	return res, nil
}

// seed writes n completed orders, each with a charge and an open dispute due at due, and the
// dispute's deadline job, in large transactions.
func seed(ctx context.Context, st store.Store, n int, kind string, now, due time.Time) error {
	ids := id.NewGenerator(func() time.Time { return now })
	const per = 2000
	for first := 0; first < n; first += per {
		err := st.Tx(ctx, func(tx store.Tx) error {
			for i := first; i < min(first+per, n); i++ {
				if err := seedOne(ctx, tx, ids, kind, now, due); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func seedOne(ctx context.Context, tx store.Tx, ids *id.Generator, kind string, now, due time.Time) error {
	cus := store.Customer{ID: ids.New("cus"), Email: "buyer@example.com", Metadata: map[string]string{}, CreatedAt: now, UpdatedAt: now}
	if err := tx.InsertCustomer(ctx, cus); err != nil {
		return err
	}
	o, _, err := order.New(order.NewParams{ID: ids.New("ord"), CustomerID: cus.ID, Currency: "USD",
		Items: []order.Item{{Description: "plan", Amount: 1999, Quantity: 1}}, Now: now})
	if err != nil {
		return err
	}
	if err := o.Complete(nil, order.Payments{}, now); err != nil {
		return err
	}
	o.Revision = 1
	if err := tx.InsertOrder(ctx, o); err != nil {
		return err
	}
	ch := order.Transaction{ID: ids.New("txn"), Kind: order.Charge, Amount: 1999, Currency: "USD", OrderID: o.ID,
		CustomerID: cus.ID, Provider: "stripe", CreatedAt: now}
	if err := tx.InsertTransaction(ctx, ch); err != nil {
		return err
	}
	d, _, err := dispute.New(dispute.NewParams{ID: ids.New("dsp"), Type: dispute.Type(kind), Reason: "fraudulent",
		Charge: &dispute.Charge{ID: ch.ID, OrderID: o.ID, CustomerID: cus.ID, Amount: ch.Amount, Currency: ch.Currency},
		DueBy:  due, Now: now})
	if err != nil {
		return err
	}
	if err := tx.InsertDispute(ctx, d); err != nil {
		return err
	}
	j := deadline.Expiry(d)
	_, err = tx.ScheduleJob(ctx, store.Job{ID: ids.New("job"), Kind: j.Kind, Key: j.Key, Subject: j.Subject, Args: j.Args,
		RunAt: j.RunAt, MaxAttempts: app.JobAttempts(j.Kind), CreatedAt: now, UpdatedAt: now})
	return err
}

// verify checks that every dispute was resolved once: lost, with one money record and one
// dispute.resolved event each, and every job done.
func verify(ctx context.Context, st store.Store, n int, kind string) error {
	want := order.Chargeback
	if kind == string(dispute.Manual) {
		want = order.Refund
	}
	lost, events, money := 0, 0, 0
	err := walk(func(p store.Page) ([]dispute.Dispute, error) {
		return st.ListDisputes(ctx, store.DisputeFilter{Page: p})
	},
		func(d dispute.Dispute) (time.Time, string) { return d.CreatedAt, d.ID },
		func(d dispute.Dispute) error {
			if d.Status == dispute.Lost && d.ResolvedBy == actor.System.String() {
				lost++
			}
			return nil
		})
	if err == nil {
		err = walk(func(p store.Page) ([]store.Event, error) {
			return st.ListEvents(ctx, store.EventFilter{Page: p, Type: "dispute.resolved"})
		}, func(e store.Event) (time.Time, string) { return e.CreatedAt, e.ID }, func(store.Event) error { events++; return nil })
	}
	if err == nil {
		err = walk(func(p store.Page) ([]order.Order, error) { return st.ListOrders(ctx, store.OrderFilter{Page: p}) },
			func(o order.Order) (time.Time, string) { return o.CreatedAt, o.ID },
			func(o order.Order) error {
				txns, err := st.TransactionsOfOrder(ctx, o.ID)
				for _, t := range txns {
					if t.Kind == want {
						money++
					}
				}
				return err
			})
	}
	if err != nil {
		return err
	}
	left, err := st.ListJobs(ctx, store.JobFilter{Page: store.Page{Limit: 1}, State: store.JobScheduled})
	if err != nil {
		return err
	}
	dead, err := st.ListJobs(ctx, store.JobFilter{Page: store.Page{Limit: 1}, State: store.JobDead})
	if err != nil {
		return err
	}
	fmt.Printf("check: %d lost by the system, %d %s records, %d dispute.resolved events, jobs left %d, dead %d\n",
		lost, money, want, events, len(left), len(dead))
	if lost != n || money != n || events != n || len(left) != 0 || len(dead) != 0 {
		return fmt.Errorf("expected exactly %d of each and no jobs left", n)
	}
	return nil
}

// walk visits every row of a keyset-paginated list.
func walk[T any](fetch func(store.Page) ([]T, error), key func(T) (time.Time, string), visit func(T) error) error {
	page := store.Page{Limit: 5000}
	for {
		rows, err := fetch(page)
		if err != nil {
			return err
		}
		more := len(rows) > page.Limit
		if more {
			rows = rows[:page.Limit]
		}
		for _, r := range rows {
			if err := visit(r); err != nil {
				return err
			}
		}
		if !more {
			return nil
		}
		page.AfterCreated, page.AfterID = key(rows[len(rows)-1])
	}
}

// cpuTime is the CPU time this process has used so far: on SQLite, the database's work too.
func cpuTime() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
