// Command all runs every benchmark (ingest, list, deadlines, export) on SQLite and on PostgreSQL and
// prints one Markdown table of their figures against the targets. It builds the server and the
// benchmarks once, starts a throwaway PostgreSQL (or uses -pg), gives every run a database of
// its own, and exits non-zero when a benchmark failed or a target was missed.
//
//	go run ./bench/all                       # the sizes: 30,000 events, 1,000,000 disputes, 100,000 deadlines
//	go run ./bench/all -quick                # small sizes: checks that the tools still run, in under a minute
//	go run ./bench/all -stores sqlite -out table.md
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"disputed/bench/internal/benchdb"
	"disputed/bench/internal/report"
)

// sizes are the benchmarks' sizes.
type sizes struct {
	events, clients           int // ingest: events, concurrent clients
	disputes, requests, pages int // list: disputes loaded, requests per filter, the deepest page
	deadlines, runners        int // deadlines: disputes due at once, job runners sharing PostgreSQL
}

var (
	full  = sizes{events: 30_000, clients: 16, disputes: 1_000_000, requests: 200, pages: 1000, deadlines: 100_000, runners: 2}
	quick = sizes{events: 300, clients: 4, disputes: 2_000, requests: 10, pages: 10, deadlines: 500, runners: 2}
)

func main() {
	isQuick := flag.Bool("quick", false, "small sizes: check that the tools run, not how fast")
	stores := flag.String("stores", "sqlite,postgres", "the stores to run on")
	benches := flag.String("benches", "ingest,list,deadlines,export", "the benchmarks to run")
	out := flag.String("out", "", "also write the table to this file")
	s := full
	flag.IntVar(&s.events, "ingest-n", 0, "ingest: events (default 30,000; -quick 300)")
	flag.IntVar(&s.disputes, "list-n", 0, "list: disputes (default 1,000,000; -quick 2,000)")
	flag.IntVar(&s.deadlines, "deadlines-n", 0, "deadlines: disputes due at once (default 100,000; -quick 500)")
	target := benchdb.AddFlags(flag.CommandLine)
	flag.Parse()
	base := full
	if *isQuick {
		base = quick
	}
	// A size flag left at 0 takes the default of the mode.
	for _, p := range []struct{ set, def *int }{{&s.events, &base.events}, {&s.disputes, &base.disputes}, {&s.deadlines, &base.deadlines}} {
		if *p.set == 0 {
			*p.set = *p.def
		}
	}
	s.clients, s.requests, s.pages, s.runners = base.clients, base.requests, base.pages, base.runners

	figures, err := runAll(context.Background(), s, strings.Split(*stores, ","), strings.Split(*benches, ","), target)
	target.Close()
	var table bytes.Buffer
	if terr := report.Table(&table, figures); terr != nil {
		log.Fatal(terr)
	}
	fmt.Print(table.String())
	if *out != "" {
		if werr := os.WriteFile(*out, table.Bytes(), 0o644); werr != nil {
			log.Fatal(werr)
		}
	}
	missed := 0
	for _, f := range figures {
		if f.Target != "" && !f.Met {
			missed++
		}
	}
	switch {
	case err != nil:
		log.Fatal(err)
	case missed > 0 && !*isQuick:
		log.Fatalf("%d figures missed their target", missed)
	}
}

// runAll runs each benchmark on each store, one after the other, and gathers their figures; a
// benchmark that fails is reported and the others still run.
func runAll(ctx context.Context, s sizes, stores, benches []string, target *benchdb.Target) ([]report.Figure, error) {
	tmp, err := os.MkdirTemp("", "bench-all-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	fmt.Fprintln(os.Stderr, "building the server and the benchmarks")
	build := exec.CommandContext(ctx, "go", "build", "-o", tmp+string(filepath.Separator),
		"disputed/cmd/disputed", "disputed/bench/ingest", "disputed/bench/list", "disputed/bench/deadlines", "disputed/bench/export")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return nil, fmt.Errorf("go build: %w", err)
	}
	server := filepath.Join(tmp, "disputed")

	var figures []report.Figure
	var failed []error
	for _, store := range stores {
		target.Store = store
		for _, bench := range benches {
			args := []string{"-json"}
			switch bench {
			case "ingest":
				args = append(args, "-disputed", server, "-n", strconv.Itoa(s.events), "-c", strconv.Itoa(s.clients))
				if store == benchdb.SQLite { // and a backup taken while it writes, checked
					args = append(args, "-backup")
				}
			case "list":
				args = append(args, "-disputed", server, "-n", strconv.Itoa(s.disputes), "-requests", strconv.Itoa(s.requests),
					"-pages", strconv.Itoa(s.pages))
			case "deadlines":
				args = append(args, "-n", strconv.Itoa(s.deadlines))
			case "export":
				args = append(args, "-disputed", server, "-n", strconv.Itoa(s.disputes))
			default:
				return figures, fmt.Errorf("-benches: no benchmark %q", bench)
			}
			figs, err := runOne(ctx, filepath.Join(tmp, bench), store, bench, args, s, target)
			if err != nil {
				failed = append(failed, fmt.Errorf("%s on %s: %w", bench, store, err))
				figures = append(figures, report.Figure{Bench: bench, Store: store, Name: "failed: " + err.Error(), Target: "runs", Met: false})
				continue
			}
			figures = append(figures, figs...)
		}
	}
	return figures, errors.Join(failed...)
}

// runOne runs one benchmark binary on store and reads its figures. ingest and list create their
// databases themselves, on the server -pg names; deadlines is given a fresh one with -db.
func runOne(ctx context.Context, bin, store, bench string, args []string, s sizes, target *benchdb.Target) ([]report.Figure, error) {
	switch {
	case store == benchdb.Postgres && bench == "deadlines":
		db, err := target.Fresh(ctx)
		if err != nil {
			return nil, err
		}
		defer db.Remove()
		args = append(args, "-db", db.DSN, "-runners", strconv.Itoa(s.runners))
	case store == benchdb.Postgres:
		server, err := target.Server()
		if err != nil {
			return nil, err
		}
		args = append(args, "-store", store, "-pg", server)
	case bench != "deadlines":
		args = append(args, "-store", store)
	}
	fmt.Fprintf(os.Stderr, "=== %s on %s: %s %s\n", bench, store, filepath.Base(bin), strings.Join(args, " "))
	start := time.Now()
	var stdout bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdout, cmd.Stderr = io.MultiWriter(&stdout, os.Stderr), os.Stderr
	if err := cmd.Run(); err != nil {
		return nil, err
	}
	fmt.Fprintf(os.Stderr, "=== %s on %s took %v\n", bench, store, time.Since(start).Round(time.Second))
	figs, err := report.Read(&stdout)
	for i := range figs {
		figs[i].Store = store
	}
	return figs, err
}
