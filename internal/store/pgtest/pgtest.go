// Package pgtest gives tests a real PostgreSQL: each call to Database hands a
// test its own freshly created, empty database, so store tests exercise the
// real SQL dialect, constraints and locking instead of a fake, and never see
// each other's rows even when they run in parallel.
//
// The server is either an existing one named by DISPUTED_TEST_POSTGRES_URL (as
// a CI service container would provide) or a throwaway one that the test
// binary starts itself from the locally installed PostgreSQL server binaries.
// Creating a database is cheap (tens of milliseconds) while starting a server
// is not (about a second, mostly initdb), so a binary starts at most one
// server and shares it among all its tests; separate binaries, which
// `go test ./...` runs in parallel, each get their own server, port and
// folder, so they cannot interfere.
//
// Tests that all need the same starting point (the migrated schema) get a
// copy of a Template instead, prepared once per binary.
//
// A package using Database must route its TestMain through Main (or Wrap), which
// stops the throwaway server once the tests are done:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
//
// or, to check for leaked goroutines too, through Wrap:
//
//	func TestMain(m *testing.M) { goleak.VerifyTestMain(pgtest.Wrap(m)) }
package pgtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// envURL names the variable that points the tests at an existing server
// instead of a throwaway one. Its database is only used to create and drop the
// per-test databases, so the role needs CREATEDB.
const envURL = "DISPUTED_TEST_POSTGRES_URL"

// server is the throwaway PostgreSQL of this test binary. It has to be package
// state: tests call Database independently and the first one starts the
// server, and Main, which runs after all of them, has to find it to stop it.
// The once makes "start it on first use" safe under t.Parallel, and every
// other field is written only inside it (or in stop, after taking it), so the
// once also orders all reads after those writes.
var server struct {
	once     sync.Once
	adminURL string        // URL of the "postgres" database, for CREATE/DROP DATABASE
	dir      string        // temp folder holding data, log and socket; "" if nothing to clean up
	pgCtl    string        // path of pg_ctl, to stop the server
	asRoot   bool          // whether commands must go through runuser
	took     time.Duration // how long starting took, logged once for the curious
	version  string        // initdb --version, logged with the start time
	err      error         // why there is no server
	missing  bool          // err is "no PostgreSQL installed": skip rather than fail

	stopOnce sync.Once
}

// mainUsed records that the test binary goes through Main (or Run). Without it a
// throwaway server would outlive the binary (pg_ctl detaches the postmaster),
// leaking a process and a temp folder on every run, so Database refuses to
// start one instead.
var mainUsed atomic.Bool

var errStopped = errors.New("pgtest: the throwaway server has already been stopped")

// Database returns the URL of a fresh, empty database created for this test
// (CREATE DATABASE with a unique name), on the server from
// DISPUTED_TEST_POSTGRES_URL when set, otherwise on a throwaway server this
// test binary starts once, lazily, on the first call. On the server from
// DISPUTED_TEST_POSTGRES_URL the database is dropped WITH (FORCE) in t.Cleanup,
// so connections the test forgot to close do not block the drop; the
// throwaway server keeps it until the server goes.
//
// When neither is possible (no PostgreSQL server binaries found and no URL
// set), the test is skipped with a message saying how to enable it, except
// when CI=true: there it fails, because in CI a skipped store test would hide
// a missing service.
func Database(t testing.TB) string {
	t.Helper()
	return database(t, "")
}

// database is Database copying template (CREATE DATABASE … TEMPLATE), or empty when "".
func database(t testing.TB, template string) string {
	t.Helper()
	dbURL, drop, err := createDatabase(t.Context(), adminURL(t), "t_", template)
	if err != nil {
		t.Fatalf("%v (the server from %s, or the throwaway one)", err, envURL)
	}
	if os.Getenv(envURL) == "" {
		// The throwaway server goes with all its databases when the tests end: a drop (a
		// checkpoint and the files removed) would only cost CPU, hundreds of times a run.
		return dbURL
	}
	t.Cleanup(func() {
		// t.Context() is already cancelled when cleanups run.
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := drop(ctx); err != nil {
			t.Error(err)
		}
	})
	return dbURL
}

// adminURL returns the URL of the postgres database of the server from DISPUTED_TEST_POSTGRES_URL,
// or of the throwaway server, which it starts on the binary's first call; without either the test
// is skipped (or failed in CI).
func adminURL(t testing.TB) string {
	t.Helper()
	adminURL := os.Getenv(envURL)
	if adminURL == "" {
		if !mainUsed.Load() {
			t.Fatalf("pgtest: this package's TestMain must go through pgtest.Main(m) or pgtest.Wrap(m), or the throwaway PostgreSQL would outlive the test binary")
		}
		first := false
		server.once.Do(func() {
			first = true
			start(TestSettings)
		})
		switch {
		case server.missing && inCI():
			t.Fatalf("pgtest: CI=true but there is no PostgreSQL: set %s or install the server binaries (%v)", envURL, server.err)
		case server.missing:
			t.Skipf("pgtest: skipping, no PostgreSQL available: set %s to a server URL or install PostgreSQL's server binaries (%v)", envURL, server.err)
		case server.err != nil:
			t.Fatalf("%v", server.err)
		}
		if first {
			t.Logf("pgtest: started throwaway %s in %v at %s", server.version, server.took.Round(time.Millisecond), server.dir)
		}
		adminURL = server.adminURL
	}
	return adminURL
}

// Template is a database prepared once per test binary (migrated, say) that each test gets its
// own copy of: CREATE DATABASE … TEMPLATE copies files, which costs a fraction of running the
// preparation again for every test. Declare one per preparation, as a package variable of the
// tests, and route TestMain through Main, which drops the template when the tests are done.
type Template struct {
	prepare func(ctx context.Context, url string) error

	once sync.Once
	name string // the template database's name, once prepared
	err  error  // why it could not be prepared
}

// NewTemplate returns the template that prepare makes from an empty database (url names it) on
// the first call to its Database. prepare must close its connections before it returns: a
// database is copied only while nobody is connected to it.
func NewTemplate(prepare func(ctx context.Context, url string) error) *Template {
	return &Template{prepare: prepare}
}

// Database is pgtest.Database holding a copy of the template instead of nothing.
func (tp *Template) Database(t testing.TB) string {
	t.Helper()
	admin := adminURL(t)
	tp.once.Do(func() { tp.name, tp.err = makeTemplate(admin, tp.prepare) })
	if tp.err != nil {
		t.Fatalf("%v", tp.err)
	}
	return database(t, tp.name)
}

// templateDrops drop the templates made on the server from DISPUTED_TEST_POSTGRES_URL (Main calls
// them; a throwaway server goes with all its databases).
var templateDrops struct {
	sync.Mutex
	drops []func(context.Context) error
}

// makeTemplate creates an empty database on the server adminURL names, prepares it and returns
// its name. It outlives the test that made it, because every later test copies it.
func makeTemplate(adminURL string, prepare func(ctx context.Context, url string) error) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	dbURL, drop, err := createDatabase(ctx, adminURL, "template_", "")
	if err != nil {
		return "", err
	}
	templateDrops.Lock()
	templateDrops.drops = append(templateDrops.drops, drop)
	templateDrops.Unlock()
	if err := prepare(ctx, dbURL); err != nil {
		return "", fmt.Errorf("pgtest: preparing the template database: %w", err)
	}
	return databaseName(dbURL)
}

// dropTemplates drops the templates, reporting failures on standard error (the tests are over).
func dropTemplates() {
	templateDrops.Lock()
	defer templateDrops.Unlock()
	for _, drop := range templateDrops.drops {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		if err := drop(ctx); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
		cancel()
	}
	templateDrops.drops = nil
}

// databaseName is the database a postgres:// URL names.
func databaseName(dbURL string) (string, error) {
	u, err := url.Parse(dbURL)
	if err != nil {
		return "", fmt.Errorf("pgtest: %w", err)
	}
	return strings.TrimPrefix(u.Path, "/"), nil
}

// CreateDatabase creates a fresh, empty database, named prefix and random hex digits, on the
// server whose postgres database adminURL names; it returns the new database's URL and a
// function that drops it WITH (FORCE), so that connections left open do not block the drop.
func CreateDatabase(ctx context.Context, adminURL, prefix string) (string, func(context.Context) error, error) {
	return createDatabase(ctx, adminURL, prefix, "")
}

// createDatabase is CreateDatabase copying the database named template, or empty when "".
func createDatabase(ctx context.Context, adminURL, prefix, template string) (string, func(context.Context) error, error) {
	u, err := url.Parse(adminURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", nil, fmt.Errorf("pgtest: not a postgres:// URL: %q", adminURL)
	}
	name := prefix + randomHex(8)
	ident := pgx.Identifier{name}.Sanitize()
	create := "CREATE DATABASE " + ident
	if template != "" {
		create += " TEMPLATE " + pgx.Identifier{template}.Sanitize()
	}
	// A copy of the files, not of their pages through the WAL (PostgreSQL 15's default): with
	// the tests' durability off it costs less than half the CPU, and a suite creates hundreds.
	// A server older than 15 knows no STRATEGY and copies files anyway.
	err = adminExec(ctx, adminURL, create+" STRATEGY FILE_COPY")
	if pgErr := (*pgconn.PgError)(nil); errors.As(err, &pgErr) && pgErr.Code == "42601" {
		err = adminExec(ctx, adminURL, create)
	}
	if err != nil {
		return "", nil, fmt.Errorf("pgtest: creating database %s: %w", name, err)
	}
	drop := func(ctx context.Context) error {
		if err := adminExec(ctx, adminURL, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)"); err != nil {
			return fmt.Errorf("pgtest: dropping database %s: %w", name, err)
		}
		return nil
	}
	u.Path = "/" + name
	u.RawPath = ""
	return u.String(), drop, nil
}

// Start starts a throwaway server for a program that is not a test, such as a benchmark, with
// settings ("-c name=value …") in place of TestSettings, and returns the URL of its postgres
// database for CreateDatabase. A second call returns the same server. The program must call
// Stop before it exits: pg_ctl detaches the server from it.
func Start(settings string) (string, error) {
	server.once.Do(func() { start(settings) })
	return server.adminURL, server.err
}

// Stop stops the server that Start started and removes its folder.
func Stop() { stop() }

// Main runs the tests of a package and then stops the throwaway server, if
// one was started; it exits with m.Run()'s code. Use it as:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
func Main(m *testing.M) { os.Exit(Wrap(m).Run()) }

// Tests are a package's tests to run with the throwaway server (see Wrap).
type Tests struct{ m *testing.M }

// Wrap is Main for a TestMain that hands its tests to another wrapper, such
// as goleak's check that no test left a goroutine behind:
//
//	func TestMain(m *testing.M) { goleak.VerifyTestMain(pgtest.Wrap(m)) }
//
// Run runs the tests, then stops the throwaway server and its own signal
// watch, so that what runs after it finds nothing of pgtest's still running.
func Wrap(m *testing.M) Tests {
	mainUsed.Store(true)
	return Tests{m}
}

// Run runs the tests and stops the throwaway server; it returns m.Run()'s
// code.
func (t Tests) Run() int {
	defer stopOnSignal()()
	code := t.m.Run()
	dropTemplates()
	stop()
	return code
}

// stopOnSignal makes an interrupt stop the throwaway server, and returns the
// function that stops watching. pg_ctl puts the postmaster in its own
// session, so a Ctrl-C that kills the test binary would not reach it: stop the
// server ourselves, then die of the same signal as we would have. Signals the
// binary was started with ignored (as a shell does for background jobs) are
// left alone, or the server would be stopped under tests that carry on
// running.
func stopOnSignal() (unwatch func()) {
	var sigs []os.Signal
	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		if !signal.Ignored(sig) {
			sigs = append(sigs, sig)
		}
	}
	if len(sigs) == 0 {
		return func() {}
	}
	caught, quit, done := make(chan os.Signal, 1), make(chan struct{}), make(chan struct{})
	signal.Notify(caught, sigs...)
	go func() {
		defer close(done)
		select {
		case sig := <-caught:
			stop()
			signal.Reset(sigs...)
			if p, err := os.FindProcess(os.Getpid()); err == nil {
				_ = p.Signal(sig)
			}
		case <-quit:
		}
	}()
	return func() {
		signal.Stop(caught)
		close(quit)
		<-done
	}
}

// inCI reports whether the tests run in CI, where a missing database must be
// an error. Most CI systems set CI=true; ParseBool also accepts CI=1.
func inCI() bool {
	ci, _ := strconv.ParseBool(os.Getenv("CI"))
	return ci
}

func adminExec(ctx context.Context, adminURL, sql string) error {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(ctx, sql)
	return err
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails, per crypto/rand's documentation
	return hex.EncodeToString(b)
}

// TestSettings are the tests' server settings: durability is off because the data is thrown
// away, and max_connections is raised because parallel tests with pools exhaust the default 100.
const TestSettings = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"

// start initialises and starts the throwaway server with settings added to its command line,
// filling in server. It runs inside server.once.
func start(settings string) {
	began := time.Now()
	bin, err := findBinDir()
	if err != nil {
		server.err, server.missing = err, true
		return
	}
	server.pgCtl = filepath.Join(bin, "pg_ctl")

	dir, err := os.MkdirTemp("", "pgtest-")
	if err != nil {
		server.err = fmt.Errorf("pgtest: %w", err)
		return
	}
	server.dir = dir // from here on stop cleans up, whatever fails next

	// initdb refuses to run as root (a superuser-owned cluster would be a
	// security hole), and containers often run tests as root, so run the
	// server commands as the postgres user the Debian packages create. The
	// folder is still empty, so chowning it is chown -R.
	if os.Geteuid() == 0 {
		server.asRoot = true
		u, err := user.Lookup("postgres")
		if err != nil {
			server.err = fmt.Errorf("pgtest: running as root, so PostgreSQL must run as the postgres user, but: %w", err)
			return
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			server.err = fmt.Errorf("pgtest: %w", err)
			return
		}
	}

	// --version is answered before initdb's root check, so no runuser.
	if out, err := exec.Command(filepath.Join(bin, "initdb"), "--version").Output(); err == nil {
		server.version = strings.TrimSpace(string(out))
	}

	data := filepath.Join(dir, "data")
	// --no-sync because the cluster is thrown away: flushing it to disk is
	// most of initdb's time on a slow disk and buys nothing.
	initdb := command(filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres",
		"--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions")
	if out, err := initdb.CombinedOutput(); err != nil {
		server.err = fmt.Errorf("pgtest: initdb: %v\n%s", err, tail(out))
		return
	}

	// The free port is found by binding :0 and closing it, so another process
	// can take it before the postmaster binds it; that race is rare, and
	// retrying with a new port is simpler than avoiding it.
	logFile := filepath.Join(dir, "log")
	for attempt := 1; ; attempt++ {
		port, err := freePort()
		if err != nil {
			server.err = fmt.Errorf("pgtest: finding a free port: %w", err)
			return
		}
		_ = os.Remove(logFile) // pg_ctl appends; keep only this attempt's log for the error message
		// The socket goes in our folder because the default
		// /var/run/postgresql may not exist or be writable.
		opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s %s", port, shellQuote(dir), settings)
		out, err := command(server.pgCtl, "-D", data, "-l", logFile, "-w", "-o", opts, "start").CombinedOutput()
		if err == nil {
			server.adminURL = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
			server.took = time.Since(began)
			return
		}
		if attempt == 3 {
			logText, _ := os.ReadFile(logFile)
			server.err = fmt.Errorf("pgtest: pg_ctl start failed %d times, last: %v\n%s\nserver log:\n%s", attempt, err, tail(out), tail(logText))
			return
		}
	}
}

// stop stops the throwaway server and removes its folder. It first takes
// server.once, so that it waits for a start in progress instead of leaving
// its server behind, and so that no server can be started afterwards.
func stop() {
	server.once.Do(func() { server.err = errStopped })
	server.stopOnce.Do(func() {
		if server.dir == "" {
			return
		}
		// Judged by the pid file rather than by a successful start: a
		// pg_ctl that gave up waiting may still have left a server running.
		data := filepath.Join(server.dir, "data")
		if _, err := os.Stat(filepath.Join(data, "postmaster.pid")); err == nil {
			// Immediate: a clean shutdown would checkpoint data that is
			// about to be deleted anyway.
			cmd := command(server.pgCtl, "-D", data, "-m", "immediate", "stop")
			if out, err := cmd.CombinedOutput(); err != nil {
				fmt.Fprintf(os.Stderr, "pgtest: stopping the throwaway server: %v\n%s\n", err, tail(out))
			}
		}
		if err := os.RemoveAll(server.dir); err != nil {
			fmt.Fprintf(os.Stderr, "pgtest: %v\n", err)
		}
	})
}

// command builds a command for a PostgreSQL binary, going through runuser
// when we are root (see start).
func command(name string, args ...string) *exec.Cmd {
	var cmd *exec.Cmd
	if server.asRoot {
		cmd = exec.Command("runuser", append([]string{"-u", "postgres", "--", name}, args...)...)
	} else {
		cmd = exec.Command(name, args...)
	}
	// The test's working directory (the package folder, possibly under
	// /root) may be unreadable for the postgres user, which makes initdb and
	// pg_ctl complain; the temp folder always is readable.
	if server.dir != "" {
		cmd.Dir = server.dir
	}
	return cmd
}

// findBinDir locates a folder holding initdb and pg_ctl. pg_config comes
// first because it names the installation the user chose; on Debian it may
// come from libpq-dev alone and point at a folder without the server, hence
// the check and the fallback to the newest version in the Debian layout.
func findBinDir() (string, error) {
	hasServer := func(dir string) bool {
		for _, name := range []string{"initdb", "pg_ctl"} {
			if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.IsDir() {
				return false
			}
		}
		return true
	}
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		if dir := strings.TrimSpace(string(out)); hasServer(dir) {
			return dir, nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	// Version folders are "15", "9.6": compare numerically, newest first.
	sort.Slice(dirs, func(i, j int) bool {
		return versionLess(filepath.Base(filepath.Dir(dirs[j])), filepath.Base(filepath.Dir(dirs[i])))
	})
	for _, dir := range dirs {
		if hasServer(dir) {
			return dir, nil
		}
	}
	return "", errors.New("no initdb and pg_ctl found via pg_config --bindir or in /usr/lib/postgresql/*/bin")
}

func versionLess(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		x, _ := strconv.Atoi(as[i])
		y, _ := strconv.Atoi(bs[i])
		if x != y {
			return x < y
		}
	}
	return len(as) < len(bs)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// shellQuote protects the folder name in pg_ctl's -o, which pg_ctl hands to
// /bin/sh.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// tail keeps error messages readable: the cause of a failed initdb or start
// is at the end of its output.
func tail(b []byte) string {
	const limit = 2000
	b = bytes.TrimSpace(b)
	if len(b) > limit {
		b = append([]byte("..."), b[len(b)-limit:]...)
	}
	return string(b)
}
