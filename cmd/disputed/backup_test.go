package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"disputed/internal/provider/stripe/stripefake"
	"disputed/internal/secretbox"
	"disputed/internal/store/migrations"
	"disputed/internal/store/sqlitetest"
	"disputed/internal/testenv"
)

// TestBackupWhileWebhooksArrive backs up the database of a running `disputed serve` while four
// senders deliver signed Stripe charges and disputes to it, then restores the copy into a new
// folder and starts a server there. The copy passes integrity_check and holds every event
// acknowledged before the backup began; the live database holds every event acknowledged at
// all; the restored database holds the copy's events, and its server starts and answers.
func TestBackupWhileWebhooksArrive(t *testing.T) {
	db := sqliteTemplate.Database(t)
	live := startServeProcess(t, db)
	s := newTestServer(t, live.base, testAdminKey, nil)
	want(t, s.post("/v1/providers", map[string]any{"name": "stripe", "type": "stripe", "webhook_secret": stripeSecret}), 201)

	acks := &ackLog{}
	stop := make(chan struct{})
	var senders sync.WaitGroup
	for sender := range 4 {
		senders.Go(func() { sendStripeEvents(t, s, sender, stop, acks) })
	}
	// The backup begins once the senders have had their events acknowledged for a while.
	for deadline := time.Now().Add(10 * time.Second); acks.count() < 150 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	copyPath := filepath.Join(t.TempDir(), "backup.db")
	var out bytes.Buffer
	began := time.Now()
	err := run(context.Background(), []string{"backup", copyPath, "--db", db}, envOf(nil), &out, io.Discard)
	ended := time.Now()
	time.Sleep(200 * time.Millisecond) // the senders go on after it
	close(stop)
	senders.Wait()
	if err != nil {
		t.Fatalf("backup: %v", err)
	}
	if !regexp.MustCompile(`^backed up .+ to .+backup\.db: [\d.]+ (KiB|MiB), schema version \d+, \d+ disputes, \d+ provider events, in \S+\n$`).MatchString(out.String()) {
		t.Errorf("backup said %q", out.String())
	}

	if got := integrityCheck(t, copyPath); got != "ok" {
		t.Errorf("the copy's integrity_check: %s", got)
	}
	copied := stripeEventIDs(t, copyPath)
	before, during := 0, 0
	for _, a := range acks.all() {
		switch {
		case a.at.Before(began):
			before++
			if !copied[a.id] {
				t.Errorf("event %s, acknowledged before the backup began, is not in the copy", a.id)
			}
		case a.at.Before(ended):
			during++
		}
	}
	t.Logf("%d events acknowledged before the backup, %d while it ran (%v), %d in all; %d in the copy", before, during,
		ended.Sub(began).Round(time.Millisecond), acks.count(), len(copied))
	if before == 0 || len(copied) >= acks.count() {
		t.Errorf("%d events acknowledged before the backup, %d copied of %d: the backup did not run while the webhooks arrived",
			before, len(copied), acks.count())
	}

	live.stop(t)
	stored := stripeEventIDs(t, db)
	for _, a := range acks.all() {
		if !stored[a.id] {
			t.Errorf("event %s was acknowledged and is not in the live database", a.id)
		}
	}

	restored := filepath.Join(t.TempDir(), "disputed.db")
	out.Reset()
	env := envOf(map[string]string{secretKeyEnv: testSecretKey})
	if err := run(context.Background(), []string{"restore", copyPath, "--db", restored}, env, &out, io.Discard); err != nil {
		t.Fatalf("restore: %v", err)
	}
	if !strings.HasPrefix(out.String(), "restored "+copyPath+" to "+restored+": ") || strings.Contains(out.String(), "no secret key") {
		t.Errorf("restore said %q", out.String())
	}
	// Under another key the copy's secrets (the provider's webhook secret) would not open.
	elsewhere := filepath.Join(t.TempDir(), "disputed.db")
	err = run(context.Background(), []string{"restore", copyPath, "--db", elsewhere}, envOf(map[string]string{secretKeyEnv: secretbox.NewKey()}),
		io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "sealed under another key") {
		t.Errorf("restore with another key: %v, want refused", err)
	}
	if _, statErr := os.Stat(elsewhere); statErr == nil {
		t.Error("the restore refused for its key left a database")
	}
	if got := stripeEventIDs(t, restored); len(got) != len(copied) {
		t.Errorf("the restored database holds %d events, the copy %d", len(got), len(copied))
	}
	back := startServerOn(t, restored, map[string]string{secretKeyEnv: testSecretKey})
	want(t, back.get("/readyz"), 200)
	events := back.get("/v1/provider_events?limit=5")
	want(t, events, 200)
	if len(events.list()) == 0 {
		t.Errorf("the restored server lists no provider events: %s", events.raw)
	}
}

// TestRestoreRefusesADatabaseInUse: a restore onto the database of a running `disputed serve`
// process is refused and changes nothing. Once the server was killed, which leaves its WAL and
// shared memory, the restore replaces the database and removes them.
func TestRestoreRefusesADatabaseInUse(t *testing.T) {
	t.Parallel()
	backupPath := sqliteTemplate.Database(t)
	db := sqliteTemplate.Database(t)
	p := startServeProcess(t, db)
	s := newTestServer(t, p.base, testAdminKey, nil)
	want(t, s.post("/v1/customers", map[string]any{"email": "ada@example.com", "name": "Ada"}), 201)

	err := run(context.Background(), []string{"restore", backupPath, "--db", db}, envOf(nil), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "is in use by a running server") {
		t.Fatalf("restore onto a served database: %v, want in use", err)
	}
	want(t, s.get("/readyz"), 200)
	if got := s.get("/v1/customers"); len(got.list()) != 1 {
		t.Fatalf("after the refused restore the server lists %d customers, want its 1", len(got.list()))
	}

	p.kill(t)
	for _, f := range []string{db + "-wal", db + "-shm"} {
		if _, err := os.Stat(f); err != nil {
			t.Fatalf("the killed server left no %s: %v", filepath.Base(f), err)
		}
	}
	env := envOf(map[string]string{secretKeyEnv: testSecretKey})
	if err := run(context.Background(), []string{"restore", backupPath, "--db", db}, env, io.Discard, io.Discard); err != nil {
		t.Fatalf("restore once the server is gone: %v", err)
	}
	if entries := dirNames(t, filepath.Dir(db)); strings.Join(entries, " ") != "disputed.db" {
		t.Errorf("beside the restored database: %v, want it alone", entries)
	}
	back := startServerOn(t, db, map[string]string{secretKeyEnv: testSecretKey})
	if got := back.get("/v1/customers"); len(got.list()) != 0 {
		t.Errorf("the restored server lists %d customers, want the backup's none", len(got.list()))
	}
}

// TestBackupRefusesAnExistingFile: a backup never replaces a file unless told to (--force), nor
// the database itself.
func TestBackupRefusesAnExistingFile(t *testing.T) {
	t.Parallel()
	db := sqliteTemplate.Database(t)
	dest := filepath.Join(t.TempDir(), "backup.db")
	if err := os.WriteFile(dest, []byte("last week's backup"), 0o600); err != nil {
		t.Fatal(err)
	}
	backup := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(context.Background(), append([]string{"backup"}, args...), envOf(nil), &out, io.Discard)
		return out.String(), err
	}
	if _, err := backup(dest, "--db", db); err == nil || !strings.Contains(err.Error(), dest+" exists") || !strings.Contains(err.Error(), "--force") {
		t.Errorf("backup onto an existing file: %v, want it exists, and --force", err)
	}
	if b, _ := os.ReadFile(dest); string(b) != "last week's backup" {
		t.Errorf("the refused backup changed the file: %q", b)
	}
	if _, err := backup(db, "--force", "--db", db); err == nil || !strings.Contains(err.Error(), "is the database itself") {
		t.Errorf("backup onto the database: %v, want refused", err)
	}
	if _, err := backup(dest, "--db", filepath.Join(t.TempDir(), "disputed.db")); err == nil || !strings.Contains(err.Error(), "no database at") {
		t.Errorf("backup of no database: %v, want no database at", err)
	}
	out, err := backup("--force", "--db", db, dest)
	if err != nil || !strings.Contains(out, fmt.Sprintf("schema version %d, 0 disputes, 0 provider events", migrations.Newest())) {
		t.Fatalf("backup --force: %v %q", err, out)
	}
	if got := integrityCheck(t, dest); got != "ok" {
		t.Errorf("the copy's integrity_check: %s", got)
	}
	if entries := dirNames(t, filepath.Dir(dest)); strings.Join(entries, " ") != "backup.db" {
		t.Errorf("beside the backup: %v, want it alone", entries)
	}
}

// TestRestoreRefusesWhatIsNotADisputedDatabase: restore takes a disputed database and nothing
// else, and a refusal leaves the database as it was.
func TestRestoreRefusesWhatIsNotADisputedDatabase(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.db")
	if err := os.WriteFile(garbage, bytes.Repeat([]byte("not a database "), 100), 0o600); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "other.db")
	sqlExec(t, other, "CREATE TABLE notes (x TEXT)")
	damaged := sqliteTemplate.Database(t)
	sqlitetest.Damage(t, damaged)

	db := sqliteTemplate.Database(t)
	before, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ file, want string }{
		{garbage, "the file is not a SQLite database"},
		{other, "it has no schema version"},
		{damaged, "it is damaged"},
		{filepath.Join(dir, "missing.db"), "no such file"},
		{dir, "is not a file"},
	} {
		err := run(context.Background(), []string{"restore", tt.file, "--db", db}, envOf(nil), io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "nothing was changed") {
			t.Errorf("restore %s: %v, want %q", filepath.Base(tt.file), err, tt.want)
		}
	}
	if after, _ := os.ReadFile(db); !bytes.Equal(before, after) {
		t.Error("a refused restore changed the database")
	}
	if entries := dirNames(t, filepath.Dir(db)); strings.Join(entries, " ") != "disputed.db" {
		t.Errorf("beside the database: %v, want it alone", entries)
	}
}

// TestBackupAndRestoreOnPostgresAdvisePgDump: on PostgreSQL neither command copies anything;
// both fail with the pg_dump and pg_restore commands, the URL's password hidden.
func TestBackupAndRestoreOnPostgresAdvisePgDump(t *testing.T) {
	t.Parallel()
	url := "postgres://disputed:hunter2@db.example:5432/disputed"
	for _, command := range []string{"backup", "restore"} {
		err := run(context.Background(), []string{command, "disputed.dump", "--db", url}, envOf(nil), io.Discard, io.Discard)
		if err == nil {
			t.Fatalf("%s on PostgreSQL succeeded", command)
		}
		for _, want := range []string{command + " works on SQLite only", `pg_dump --format=custom --file=disputed.dump "$URL"`,
			`pg_restore --clean --if-exists --dbname="$URL" disputed.dump`, "postgres://disputed:xxxxx@db.example:5432/disputed"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s on PostgreSQL: %v\nwant %q", command, err, want)
			}
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%s on PostgreSQL shows the password: %v", command, err)
		}
	}
	if _, err := os.Stat("disputed.dump"); err == nil {
		t.Error("a command on PostgreSQL wrote disputed.dump")
	}
}

// TestBackupAndRestoreHelp: both commands are in the usage, and --help prints each one's.
func TestBackupAndRestoreHelp(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"--help"}, {"backup", "--help"}, {"restore", "--help"}} {
		var out bytes.Buffer
		if err := run(context.Background(), args, envOf(nil), &out, io.Discard); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		for _, want := range []string{"disputed backup FILE", "disputed restore FILE"} {
			if args[0] != "--help" && !strings.Contains(want, args[0]) {
				continue
			}
			if !strings.Contains(out.String(), want) {
				t.Errorf("%v does not show %q:\n%s", args, want, out.String())
			}
		}
	}
	err := run(context.Background(), []string{"backup"}, envOf(nil), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "usage:") {
		t.Errorf("backup without FILE: %v, want its usage", err)
	}
}

// ack is an event the server acknowledged, and when the sender had the answer.
type ack struct {
	id string
	at time.Time
}

type ackLog struct {
	mu   sync.Mutex
	acks []ack
}

func (l *ackLog) add(id string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.acks = append(l.acks, ack{id: id, at: time.Now()})
}

func (l *ackLog) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.acks)
}

func (l *ackLog) all() []ack {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]ack(nil), l.acks...)
}

// sendStripeEvents delivers signed Stripe events until stop closes: charges (charge.succeeded),
// and every fourth charge disputed (charge.dispute.created). Each acknowledged one goes to acks.
func sendStripeEvents(t *testing.T, s *testServer, sender int, stop <-chan struct{}, acks *ackLog) {
	for n := 0; ; n++ {
		select {
		case <-stop:
			return
		default:
		}
		created := time.Now().Unix()
		charge := fmt.Sprintf("ch_backup_%d_%05d", sender, n/2)
		typ, object := "charge.succeeded", stripefake.Charge(charge, created, 1000+int64(n))
		if n%2 == 1 {
			if n%8 != 7 {
				continue
			}
			typ, object = "charge.dispute.created", stripefake.Dispute(fmt.Sprintf("dp_backup_%d_%05d", sender, n/2), charge, created, 1000+int64(n-1))
		}
		id := fmt.Sprintf("evt_backup_%d_%05d", sender, n)
		body, _ := json.Marshal(map[string]any{"id": id, "object": "event", "api_version": "2024-06-20", "created": created,
			"livemode": false, "type": typ, "data": map[string]any{"object": object}})
		req, _ := http.NewRequest(http.MethodPost, s.base+"/v1/providers/stripe/webhook", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Stripe-Signature", testenv.StripeSignature(stripeSecret, time.Now(), body))
		res, err := s.client.Do(req)
		if err != nil {
			t.Errorf("sender %d: %v", sender, err)
			return
		}
		answer, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode/100 != 2 {
			t.Errorf("sender %d, event %s: %d %s", sender, id, res.StatusCode, answer)
			return
		}
		acks.add(id)
	}
}

// serveProcess is `disputed serve` as a process of its own (this test binary run as disputed,
// see TestMain) on a loopback port and a SQLite database, stopped when the test ends.
type serveProcess struct {
	base   string
	cmd    *exec.Cmd
	exited chan struct{}
	log    string
}

func startServeProcess(t *testing.T, db string) *serveProcess {
	t.Helper()
	addr := freePort(t)
	p := &serveProcess{base: "http://" + addr, exited: make(chan struct{}), log: filepath.Join(t.TempDir(), "disputed.log")}
	log, err := os.Create(p.log)
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close() // the process has its own descriptor
	p.cmd = exec.Command(os.Args[0], "serve")
	// The server's configuration is the test's alone: none of the developer's DISPUTED_ variables.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DISPUTED_") {
			p.cmd.Env = append(p.cmd.Env, kv)
		}
	}
	p.cmd.Env = append(p.cmd.Env, asMainEnv+"=1", "DISPUTED_DATABASE_URL="+db, "DISPUTED_ADDR="+addr, "DISPUTED_LOG_LEVEL=warn",
		"DISPUTED_ADMIN_KEY="+testAdminKey, secretKeyEnv+"="+testSecretKey)
	p.cmd.Stdout, p.cmd.Stderr = log, log
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		_ = p.cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() { p.stop(t) })

	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: time.Second}
	for deadline := time.Now().Add(20 * time.Second); ; {
		if res, err := client.Get(p.base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return p
			}
		}
		select {
		case <-p.exited:
			t.Fatalf("disputed serve exited while starting:\n%s", p.logText())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("disputed serve was not ready within 20 s:\n%s", p.logText())
		}
	}
}

// stop ends the server as an operator does (SIGTERM: it finishes and closes the database), and
// waits until it is gone.
func (p *serveProcess) stop(t *testing.T) {
	t.Helper()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(15 * time.Second):
		p.kill(t)
		t.Errorf("disputed serve did not stop within 15 s of SIGTERM:\n%s", p.logText())
	}
}

// kill ends the server as a crash would (SIGKILL), and waits until it is gone.
func (p *serveProcess) kill(t *testing.T) {
	t.Helper()
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.exited
}

func (p *serveProcess) logText() string {
	b, _ := os.ReadFile(p.log)
	return string(b)
}

// openSQLite opens the SQLite file at path for the test's own queries.
func openSQLite(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func integrityCheck(t *testing.T, path string) string {
	t.Helper()
	var result string
	if err := openSQLite(t, path).QueryRow("PRAGMA integrity_check").Scan(&result); err != nil {
		t.Fatal(err)
	}
	return result
}

// stripeEventIDs are the ids of the Stripe events the database at path stores.
func stripeEventIDs(t *testing.T, path string) map[string]bool {
	t.Helper()
	db := openSQLite(t, path)
	defer db.Close()
	rows, err := db.Query("SELECT event_id FROM provider_events WHERE provider = 'stripe'")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	ids := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids[id] = true
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return ids
}

func sqlExec(t *testing.T, path, query string) {
	t.Helper()
	db := openSQLite(t, path)
	defer db.Close()
	if _, err := db.Exec(query); err != nil {
		t.Fatal(err)
	}
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}
