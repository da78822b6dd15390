package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"disputed/internal/provider/stripe/stripefake"
	"disputed/internal/store"
)

// TestImportKilledAndResumed: `disputed import` killed with SIGKILL while it pages through
// Stripe's charges leaves its import running with the cursor of its last page written; run
// again, it resumes from there, draws its progress on stderr (the objects this run read, the type
// of the last), and finishes, with every object read once in all and each dispute opened once;
// imported once more, nothing is new. On SQLite and PostgreSQL.
func TestImportKilledAndResumed(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, testImportKilledAndResumed)
}

func testImportKilledAndResumed(t *testing.T, db string) {
	const charges, disputes = 450, 3
	lists := &stripefake.Lists{APIKey: "sk_test_import", Delay: 150 * time.Millisecond}
	created := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC).Unix()
	for i := range charges {
		lists.Add(stripefake.Charges, stripefake.Charge(fmt.Sprintf("ch_%04d", i), created+int64(i), 1000))
	}
	for i := range disputes {
		lists.Add(stripefake.Disputes, stripefake.Dispute(fmt.Sprintf("dp_%d", i), fmt.Sprintf("ch_%04d", i), created+int64(i), 1000))
	}
	srv := httptest.NewServer(lists)
	t.Cleanup(srv.Close)
	env := map[string]string{secretKeyEnv: testSecretKey, "WEBHOOK_SECRET": "whsec_import"}
	var progress bytes.Buffer // the last run's stderr
	cli := func(args ...string) string {
		t.Helper()
		var out bytes.Buffer
		progress.Reset()
		if err := run(context.Background(), append(args, "--db", db), envOf(env), &out, &progress); err != nil {
			t.Fatalf("disputed %s: %v", strings.Join(args, " "), err)
		}
		return out.String()
	}
	cli("provider", "add", "--name", "my-stripe", "--type", "stripe", "--api-key", "sk_test_import", "--api-base", srv.URL,
		"--webhook-secret-env", "WEBHOOK_SECRET")

	// The process, killed while it waits for its third page of charges.
	cmd := exec.Command(os.Args[0], "import", "my-stripe", "--since", "2025-01-01", "--db", db)
	cmd.Env = append(os.Environ(), asMainEnv+"=1", secretKeyEnv+"="+testSecretKey)
	var childOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &childOut, &childOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for len(lists.Asked()) < 3 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if n := len(lists.Asked()); n < 3 || n > 4 {
		t.Fatalf("the process was killed after %d requests, not during the charges: %s", n, childOut.String())
	}

	resumed := cli("import", "my-stripe", "--since", "2025-01-01")
	before := regexp.MustCompile(`resuming import (imp_\S+) of my-stripe since 2025-01-01T00:00:00Z: (\d+) objects read before`).FindStringSubmatch(resumed)
	if before == nil {
		t.Fatalf("the second run did not resume the import: %q", resumed)
	}
	read, _ := strconv.Atoi(before[2])
	if read != 100 && read != 200 {
		t.Errorf("%d objects read before the kill; want the pages written, 100 or 200", read)
	}
	want := fmt.Sprintf("import %s of my-stripe done: %d objects read, ", before[1], charges+disputes)
	if !strings.Contains(resumed, want) {
		t.Errorf("resumed run: %q, want %q", resumed, want)
	}
	// The progress bar on stderr: its last drawing counts what this run read, after the type of
	// the last event read (the disputes'; the warnings' page is empty).
	bar := regexp.MustCompile(`importing my-stripe: charge\.dispute\.created \((\d+)/-, \d+ objects/(s|min|hr)\)`).FindAllStringSubmatch(progress.String(), -1)
	if len(bar) == 0 {
		t.Fatalf("no progress on stderr: %q", progress.String())
	}
	if n, _ := strconv.Atoi(bar[len(bar)-1][1]); n != charges+disputes-read {
		t.Errorf("the progress bar ended at %d objects, want the %d this run read: %q", n, charges+disputes-read, progress.String())
	}
	if again := cli("import", "my-stripe"); !strings.Contains(again, fmt.Sprintf("done: %d objects read, 0 new events", charges+disputes)) {
		t.Errorf("importing again: %q, want nothing new", again)
	}

	err := withStore(context.Background(), db, envOf(env), reading, func(st store.Store) error {
		return eachDisputeOpenedOnce(t, st, disputes, "my-stripe")
	})
	if err != nil {
		t.Fatal(err)
	}
}

// eachDisputeOpenedOnce checks, in st, that the import left want disputes, each of provider and
// opened once (one "created" entry on its timeline): a case imported and also reported by
// webhook, or read again on resuming, is not opened twice.
func eachDisputeOpenedOnce(t *testing.T, st store.Store, want int, provider string) error {
	t.Helper()
	ds, err := st.ListDisputes(context.Background(), store.DisputeFilter{Page: store.Page{Limit: 100}})
	if err != nil {
		return err
	}
	if len(ds) != want {
		t.Errorf("%d disputes, want %d", len(ds), want)
	}
	for _, d := range ds {
		tl, err := st.ListTimeline(context.Background(), store.TimelineFilter{DisputeID: d.ID})
		if err != nil {
			return err
		}
		opened := 0
		for _, e := range tl {
			if e.Action == "created" {
				opened++
			}
		}
		if opened != 1 || d.Provider != provider {
			t.Errorf("dispute %s of %s opened %d times, want of %s once", d.ProviderDisputeID, d.Provider, opened, provider)
		}
	}
	return nil
}
