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

// backupRun is the backup of one phase: what it knows of the acknowledgements, then what the
// backup did.
type backupRun struct {
	bin, db, file string
	half          int // the acknowledgements to wait for

	mu     sync.Mutex
	acked  []string // the events acknowledged, in order
	began  int      // how many were acknowledged when the backup began
	took   time.Duration
	output string
	err    error
	done   chan struct{}
	start  chan struct{}
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
	return len(before), nil
}
