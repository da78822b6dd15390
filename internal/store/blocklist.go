package store

import (
	"context"
	"time"
)

// BlockReader reads the block list.
type BlockReader interface {
	ListBlocks(ctx context.Context, f BlockFilter) ([]Block, error)
	// FindBlock returns the entry for kind and value, or ErrNotFound.
	FindBlock(ctx context.Context, kind, value string) (Block, error)
}

// BlockWriter writes the block list, inside a Tx.
type BlockWriter interface {
	// InsertBlock returns ErrConflict when kind and value are already blocked.
	InsertBlock(ctx context.Context, b Block) error
	DeleteBlock(ctx context.Context, id string) error
}

// Block is a block-list entry.
type Block struct {
	ID        string
	Kind      string // email, card_fingerprint, ip, customer
	Value     string
	Reason    string
	DisputeID string // the dispute that caused it, if any
	CreatedBy string
	CreatedAt time.Time
}

// BlockFilter selects block-list entries (newest first).
type BlockFilter struct {
	Page
	Kind string
}
