package store

import (
	"context"
	"time"
)

// ProviderImportReader reads the history imports of the providers.
type ProviderImportReader interface {
	// GetProviderImport returns ErrNotFound when there is no such import.
	GetProviderImport(ctx context.Context, id string) (ProviderImport, error)
	// ListProviderImports returns a page of provider's imports, newest first (by started_at and
	// id): up to p.Limit+1, after p's cursor or p.Offset.
	ListProviderImports(ctx context.Context, provider string, p Page) ([]ProviderImport, error)
	// RunningProviderImports returns the imports that are running, oldest first.
	RunningProviderImports(ctx context.Context) ([]ProviderImport, error)
}

// ProviderImportWriter writes the history imports, inside a Tx.
type ProviderImportWriter interface {
	// InsertProviderImport returns ErrConflict when the id is taken or when an import of the same
	// provider is running: one runs at a time.
	InsertProviderImport(ctx context.Context, i ProviderImport) error
	// UpdateProviderImport writes the state, cursor, counts, error, updated_at and finished_at
	// of a running import. ErrNotFound when there is no such import, ErrConflict when it is no
	// longer running (another run of it ended it meanwhile).
	UpdateProviderImport(ctx context.Context, i ProviderImport) error
}

// Import states.
const (
	ImportRunning  = "running"
	ImportDone     = "done"
	ImportFailed   = "failed"
	ImportCanceled = "canceled"
)

// ProviderImport is one history import of a provider: where it is (its importer's cursor) and
// what it has read.
type ProviderImport struct {
	ID         string
	Provider   string
	Since      time.Time // zero for the provider's whole history
	State      string
	Cursor     string // the importer's, resuming after the last page written; "" at the start
	Read       int64  // objects read
	Appended   int64  // events new to the provider's events (the others were there already)
	Error      string // why it failed
	StartedBy  string // the actor
	StartedAt  time.Time
	UpdatedAt  time.Time
	FinishedAt time.Time // zero while running
}
