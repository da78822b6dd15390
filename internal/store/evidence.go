package store

import (
	"context"

	"disputed/internal/dispute"
)

// EvidenceReader reads dispute evidence and its files.
type EvidenceReader interface {
	// ListEvidence returns a page of a dispute's evidence items, oldest first: the items after
	// f's cursor in that order (or f.Offset skipped), up to f.Limit+1.
	ListEvidence(ctx context.Context, f EvidenceFilter) ([]dispute.EvidenceItem, error)
	// EvidenceUsage is how many items, and how many bytes (dispute.EvidenceItem.Bytes), each
	// party added to the dispute's evidence; a party that added none is absent.
	EvidenceUsage(ctx context.Context, disputeID string) (dispute.EvidenceUsage, error)
	// GetEvidenceFile returns an evidence item with the bytes of its file.
	GetEvidenceFile(ctx context.Context, itemID string) (dispute.EvidenceItem, []byte, error)
}

// EvidenceWriter writes dispute evidence and its files, inside a Tx.
type EvidenceWriter interface {
	InsertEvidence(ctx context.Context, it dispute.EvidenceItem, file []byte) error
}

// EvidenceFilter selects a page of one dispute's evidence items. Unlike the other lists, it is
// read oldest first: Page's cursor is the last item of the previous page.
type EvidenceFilter struct {
	Page
	DisputeID string
}
