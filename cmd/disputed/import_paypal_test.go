package main

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"disputed/internal/provider/paypal/paypalfake"
	"disputed/internal/store"
)

// TestImportPayPalKilledAndResumed: `disputed import` of a PayPal provider, killed with SIGKILL
// while it waits for a window of transaction search after the first, leaves its import running
// with the cursor of the last window written; run again, it resumes from there without reading
// the disputes again, draws its progress on stderr (the objects this run read, the type of the
// last), and finishes with every object read once in all and each dispute opened once; imported
// once more, nothing is new. Against the PayPal fake, on SQLite and PostgreSQL.
func TestImportPayPalKilledAndResumed(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, testImportPayPalKilledAndResumed)
}

func testImportPayPalKilledAndResumed(t *testing.T, db string) {
	fake := paypalfake.New(t, nil)
	since := time.Now().UTC().AddDate(0, 0, -100).Truncate(24 * time.Hour)
	window := func(i int) time.Time { return since.Add(time.Duration(i) * paypalfake.MaxSearchRange) }
	// Payments in four windows of transaction search (4, 3, 2 and 1), three of the first
	// disputed.
	var payments []string
	for w, n := range []int{4, 3, 2, 1} {
		for i := range n {
			at := window(w).Add(time.Duration(i+1) * 24 * time.Hour)
			id := fmt.Sprintf("7PAYMENT%d%03d", w, i)
			payments = append(payments, id)
			fake.AddTransactions(paypalfake.Transaction{ID: id, EventCode: "T0006", Status: "S",
				Amount: paypalfake.Money{CurrencyCode: "EUR", Value: "20.00"}, Initiated: at, Updated: at})
		}
	}
	const disputes = 3
	for i := range disputes {
		at := window(0).Add(time.Duration(10+i) * 24 * time.Hour)
		fake.PutDisputes(paypalfake.Dispute{ID: fmt.Sprintf("PP-D-%05d", 70000+i), Created: at, Updated: at,
			Status: "WAITING_FOR_SELLER_RESPONSE", Reason: "MERCHANDISE_OR_SERVICE_NOT_RECEIVED", Stage: "CHARGEBACK", Channel: "EXTERNAL",
			Amount: paypalfake.Money{CurrencyCode: "EUR", Value: "20.00"}, SellerTransactionID: payments[i],
			SellerResponseDue: at.Add(10 * 24 * time.Hour)})
	}
	objects := disputes + len(payments)

	env := map[string]string{secretKeyEnv: testSecretKey, "WEBHOOK_SECRET": "unused"}
	cli := func(args ...string) (stdout, stderr string) {
		t.Helper()
		var out, errOut bytes.Buffer
		if err := run(context.Background(), append(args, "--db", db), envOf(env), &out, &errOut); err != nil {
			t.Fatalf("disputed %s: %v", strings.Join(args, " "), err)
		}
		return out.String(), errOut.String()
	}
	cli("provider", "add", "--name", "my-paypal", "--type", "paypal", "--api-key", paypalfake.APIKey, "--api-base", fake.URL(),
		"--webhook-id", "WH-IMPORT", "--webhook-secret-env", "WEBHOOK_SECRET")

	// The process, killed while it waits for the second window of transaction search.
	searches := func(calls []string) (n int) {
		for _, c := range calls {
			if strings.HasPrefix(c, "GET "+paypalfake.TransactionsPath+"?") {
				n++
			}
		}
		return n
	}
	fake.SetDelay(150 * time.Millisecond)
	sinceFlag := since.Format(time.DateOnly)
	cmd := exec.Command(os.Args[0], "import", "my-paypal", "--since", sinceFlag, "--db", db)
	cmd.Env = append(os.Environ(), asMainEnv+"=1", secretKeyEnv+"="+testSecretKey)
	var childOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &childOut, &childOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for searches(fake.Calls()) < 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	fake.SetDelay(0)
	killedAt := fake.Calls()
	if n := searches(killedAt); n < 2 || n > 3 {
		t.Fatalf("the process was killed after %d searches, not during transaction search: %s", n, childOut.String())
	}

	resumed, progress := cli("import", "my-paypal", "--since", sinceFlag)
	before := regexp.MustCompile(`resuming import (imp_\S+) of my-paypal since ` + regexp.QuoteMeta(since.Format(time.RFC3339)) + `: (\d+) objects read before`).FindStringSubmatch(resumed)
	if before == nil {
		t.Fatalf("the second run did not resume the import: %q", resumed)
	}
	// The disputes and the first window written (4 payments), or the second too (3 more).
	read, _ := strconv.Atoi(before[2])
	next := map[int]int{disputes + 4: 1, disputes + 4 + 3: 2}
	w, ok := next[read]
	if !ok {
		t.Fatalf("%d objects read before the kill; want the pages written, %d or %d", read, disputes+4, disputes+4+3)
	}
	var after []string
	for _, c := range fake.Calls()[len(killedAt):] {
		if strings.HasPrefix(c, "GET ") {
			after = append(after, c)
		}
	}
	from := "start_date=" + url.QueryEscape(window(w).Format(time.RFC3339))
	if len(after) == 0 || !strings.HasPrefix(after[0], "GET "+paypalfake.TransactionsPath+"?") || !strings.Contains(after[0], from) {
		t.Errorf("resumed with %q; want transaction search from the window after the last written (%s)", after, from)
	}
	for _, c := range after {
		if strings.HasPrefix(c, "GET "+paypalfake.DisputesPath+"?") {
			t.Errorf("the resumed run read the disputes again: %s", c)
		}
	}
	want := fmt.Sprintf("import %s of my-paypal done: %d objects read, ", before[1], objects)
	if !strings.Contains(resumed, want) || !strings.Contains(resumed, " applied, 0 failed") {
		t.Errorf("resumed run: %q, want %q and nothing failed", resumed, want)
	}
	// The bar's last drawing counts what this run read, after the type of the last event.
	bar := regexp.MustCompile(`importing my-paypal: PAYMENT\.CAPTURE\.COMPLETED \((\d+)/-, \d+ objects/(s|min|hr)\)`).FindAllStringSubmatch(progress, -1)
	if len(bar) == 0 {
		t.Fatalf("no progress on stderr: %q", progress)
	}
	if n, _ := strconv.Atoi(bar[len(bar)-1][1]); n != objects-read {
		t.Errorf("the progress bar ended at %d objects, want the %d this run read: %q", n, objects-read, progress)
	}
	if again, _ := cli("import", "my-paypal"); !strings.Contains(again, fmt.Sprintf("done: %d objects read, 0 new events", objects)) {
		t.Errorf("importing again: %q, want nothing new", again)
	}

	err := withStore(context.Background(), db, envOf(env), reading, func(st store.Store) error {
		if err := eachDisputeOpenedOnce(t, st, disputes, "my-paypal"); err != nil {
			return err
		}
		txns, err := st.ListTransactions(context.Background(), store.TransactionFilter{Provider: "my-paypal", Kind: "charge", Page: store.Page{Limit: 100}})
		if err != nil {
			return err
		}
		if len(txns) != len(payments) {
			t.Errorf("%d PayPal charges recorded, want the %d imported, each once", len(txns), len(payments))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
