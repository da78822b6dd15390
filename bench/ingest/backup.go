package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" driver, to read the copy
)

// A backup taken while the stream writes (-backup, SQLite): `disputed backup` runs once half of
// the mix's events are acknowledged, as a merchant's nightly copy would run under a provider's
// burst. The copy must pass SQLite's integrity check and hold every event acknowledged before
// the backup began; the ones acknowledged after are in the database itself (the run's check).
// Then the round trip's other half: `disputed restore` puts the copy in place of a database of
// its own, which must be intact, its search index agreeing with its disputes, with every
// provider event of the copy.

// backupRun is the backup of one phase: what it knows of the acknowledgements, then what the
// backup did.
type backupRun struct {
	bin, db, file string
	half          int // the acknowledgements to wait for

	mu    sync.Mutex
	acked []string // the events acknowledged, in order
	began int      // how many were acknowledged when the backup began
	took  time.Duration
	// restoredTook is how long `disputed restore` of the copy took (check).
	restoredTook time.Duration
	output       string
	err          error
	done         chan struct{}
	start        chan struct{}
}

// newBackupRun prepares the backup of db by bin once half of events are acknowledged, into a
// temporary folder that remove deletes.
func newBackupRun(bin, db string, events int) (b *backupRun, remove func(), err error) {
	dir, err := os.MkdirTemp("", "bench-ingest-backup-")
	if err != nil {
		return nil, nil, err
	}
	return &backupRun{bin: bin, db: db, file: filepath.Join(dir, "backup.db"), half: events / 2,
		done: make(chan struct{}), start: make(chan struct{})}, func() { _ = os.RemoveAll(dir) }, nil
}

// acknowledged is send's acked: the backup starts at the half-way acknowledgement.
func (b *backupRun) acknowledged(w webhook) {
	b.mu.Lock()
	b.acked = append(b.acked, w.id)
	if len(b.acked) == b.half {
		b.began = len(b.acked)
		close(b.start)
	}
	b.mu.Unlock()
}

// run waits for the half-way acknowledgement, then runs `disputed backup`.
func (b *backupRun) run(ctx context.Context) {
	defer close(b.done)
	select {
	case <-ctx.Done():
		b.err = ctx.Err()
		return
	case <-b.start:
	}
	began := time.Now()
	out, err := exec.CommandContext(ctx, b.bin, "backup", "--db", b.db, b.file).CombinedOutput()
	b.took, b.output = time.Since(began), string(out)
	if err != nil {
		b.err = fmt.Errorf("disputed backup: %w: %s", err, out)
	}
}

// check waits for the backup and checks its copy: intact, and holding every event acknowledged
// before it began. It returns how many those were.
func (b *backupRun) check(ctx context.Context) (int, error) {
	<-b.done
	if b.err != nil {
		return 0, b.err
	}
	db, err := sql.Open("sqlite", "file:"+b.file+"?mode=ro")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var integrity string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&integrity); err != nil {
		return 0, err
	}
	if integrity != "ok" {
		return 0, fmt.Errorf("the backup fails SQLite's integrity check: %s", integrity)
	}
	stored := map[string]bool{}
	rows, err := db.QueryContext(ctx, "SELECT event_id FROM provider_events")
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return 0, err
		}
		stored[id] = true
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	b.mu.Lock()
	before := b.acked[:b.began]
	b.mu.Unlock()
	for _, id := range before {
		if !stored[id] {
			return 0, fmt.Errorf("event %s was acknowledged before the backup began and is not in the copy", id)
		}
	}
	return len(before), b.restore(ctx, len(stored))
}

// restore runs `disputed restore` of the copy into a database of its own and checks what it put
// in place: intact, its search index (an FTS5 table over the disputes, which a restore must not
// leave behind its rows) agreeing with the disputes, and the copy's events, all of them.
func (b *backupRun) restore(ctx context.Context, events int) error {
	restored := filepath.Join(filepath.Dir(b.file), "restored.db")
	began := time.Now()
	if out, err := exec.CommandContext(ctx, b.bin, "restore", "--db", restored, b.file).CombinedOutput(); err != nil {
		return fmt.Errorf("disputed restore: %w: %s", err, out)
	}
	b.restoredTook = time.Since(began)
	db, err := sql.Open("sqlite", "file:"+restored) // read-write: FTS5 checks through an INSERT
	if err != nil {
		return err
	}
	defer db.Close()
	var integrity string
	var count int
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&integrity); err != nil {
		return err
	}
	if integrity != "ok" {
		return fmt.Errorf("the restored database fails SQLite's integrity check: %s", integrity)
	}
	if _, err := db.ExecContext(ctx, "INSERT INTO disputes_search (disputes_search, rank) VALUES ('integrity-check', 1)"); err != nil {
		return fmt.Errorf("the restored database's search index does not agree with its disputes: %w", err)
	}
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM provider_events").Scan(&count); err != nil {
		return err
	}
	if count != events {
		return fmt.Errorf("the restored database holds %d provider events; the copy %d", count, events)
	}
	return nil
}
