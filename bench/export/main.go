// Command export measures the CSV export of the dispute list: it loads N disputes (default a
// million) straight into a fresh database, starts the real server on it, downloads
// GET /v1/disputes.csv whole, checks that every dispute came, once, and reports the rows per
// second and the server's peak RSS, which must not grow with N: the export holds one page of
// rows at a time.
//
//	go run ./bench/export                    # SQLite, 1,000,000 disputes
//	go run ./bench/export -n 100000          # a smaller run, to compare the peak RSS with
//	go run ./bench/export -store postgres    # a throwaway PostgreSQL
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net/http"
	"os"
	"time"

	"disputed/bench/internal/benchdb"
	"disputed/bench/internal/report"
	"disputed/bench/internal/serverproc"
	"disputed/internal/dispute"
	"disputed/internal/id"
)

// targetRSSMB is the server's peak RSS the export must stay under, whatever N (BENCHMARKS.md:
// the same bound as the list's).
const targetRSSMB = 150

func main() {
	n := flag.Int("n", 1_000_000, "disputes to load and export")
	server := serverproc.AddFlags(flag.CommandLine)
	target := benchdb.AddFlags(flag.CommandLine)
	asJSON := flag.Bool("json", false, "print the figures as JSON lines (for bench/all)")
	flag.Parse()
	r, err := run(context.Background(), *n, server, target)
	target.Close()
	if err != nil {
		log.Fatal(err)
	}
	if err := r.Write(os.Stdout, *asJSON); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, n int, server *serverproc.Flags, target *benchdb.Target) (report.Report, error) {
	r := report.Report{Bench: "export", Store: target.Store}
	db, err := target.Fresh(ctx)
	if err != nil {
		return r, err
	}
	defer db.Remove()
	start := time.Now()
	if err := load(ctx, db, n); err != nil {
		return r, fmt.Errorf("load: %w", err)
	}
	loaded := time.Since(start)

	bin, remove, err := server.Build(ctx, "export")
	if err != nil {
		return r, err
	}
	defer remove()
	srv, err := server.Start(bin, db.DSN)
	if err != nil {
		return r, err
	}
	defer srv.Stop()
	idle, err := srv.PeakRSS()
	if err != nil {
		return r, err
	}

	// The server's CPU for the export: what it costs, through the noise of whatever else runs on
	// the machine, which moves the time.
	cpuBefore, err := srv.CPUTime()
	if err != nil {
		return r, err
	}
	start = time.Now()
	rows, err := download(ctx, srv.URL+"/v1/disputes.csv")
	if err != nil {
		return r, err
	}
	took := time.Since(start)
	cpuAfter, err := srv.CPUTime()
	if err != nil {
		return r, err
	}
	if rows != n {
		return r, fmt.Errorf("exported %d rows of %d disputes", rows, n)
	}
	peak, err := srv.PeakRSS()
	if err != nil {
		return r, err
	}
	r.Add("disputes loaded (straight into the schema)", float64(n), "")
	r.Add("load time", loaded.Seconds(), "s")
	r.Add("export: the whole file", took.Seconds(), "s")
	r.Add("export: rows per second", float64(n)/took.Seconds(), "/s")
	r.Add("export: the server's CPU", (cpuAfter - cpuBefore).Seconds(), "s")
	r.Add("server's peak RSS before the export", float64(idle)/(1<<20), "MB")
	r.Below("server's peak RSS after the export", float64(peak)/(1<<20), "MB", targetRSSMB)
	return r, nil
}

// download reads the CSV at url with the admin key, counting its rows, each id once, as a
// client that writes the file to disk would read it: a line at a time, holding none.
func download(ctx context.Context, url string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+serverproc.AdminKey)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("GET %s: %s", url, res.Status)
	}
	rd := bufio.NewReaderSize(res.Body, 64<<10)
	rows, last := -1, "" // the header row is not a dispute
	for {
		line, err := rd.ReadSlice('\n')
		if errors.Is(err, io.EOF) && len(line) == 0 {
			break
		}
		if err != nil {
			return rows, err
		}
		if !bytes.HasSuffix(line, []byte("\r\n")) {
			return rows, fmt.Errorf("line %d does not end with CRLF: %q", rows+2, line)
		}
		id, _, _ := bytes.Cut(line, []byte(","))
		if rows >= 0 {
			if last != "" && string(id) >= last {
				return rows, fmt.Errorf("row %d: %s after %s is not newest first", rows+1, id, last)
			}
			last = string(id)
		}
		rows++
	}
	if rows < 0 {
		return 0, errors.New("no header row")
	}
	return rows, nil
}

// load writes n disputes a minute apart, ending now, of every type, unmatched (the export reads
// the dispute rows alone), with a description a spreadsheet would run if it were not escaped.
func load(ctx context.Context, db *benchdb.DB, n int) error {
	raw, err := db.Open(ctx)
	if err != nil {
		return err
	}
	defer raw.Close()
	l, err := benchdb.NewLoader(ctx, raw, db.Store)
	if err != nil {
		return err
	}
	rows := l.Rows()
	rnd := rand.New(rand.NewPCG(1, 1))
	var clock time.Time
	ids := id.NewGenerator(func() time.Time { return clock })
	now := time.Now().UTC().Truncate(time.Millisecond)
	types := []dispute.Type{dispute.Chargeback, dispute.Chargeback, dispute.Chargeback, dispute.Inquiry, dispute.Manual}
	for i := range n {
		clock = now.Add(-time.Duration(n-i) * time.Minute)
		d := dispute.Dispute{ID: ids.New("dsp"), Type: types[rnd.IntN(len(types))], Status: dispute.NeedsResponse,
			Reason: "fraudulent", Amount: 500 + rnd.Int64N(20_000), Currency: "USD", Provider: "stripe",
			ProviderDisputeID: fmt.Sprintf("dp_%010d", i), CaseNumber: fmt.Sprintf("C-%08d", i),
			Description: `=HYPERLINK("http://example.com","said ""no"", then left")`,
			HappenedAt:  clock.Add(-time.Hour), DueBy: clock.Add(14 * 24 * time.Hour), Revision: 1, CreatedAt: clock, UpdatedAt: clock}
		if d.Type == dispute.Chargeback {
			d.Stage, d.NetworkReasonCode = dispute.StageChargeback, "10.4"
		}
		d.Channel = dispute.ChannelOf(d.Type)
		if err := rows.Dispute(ctx, d); err != nil {
			return fmt.Errorf("dispute %d: %w", i, err)
		}
	}
	return l.Flush(ctx)
}
