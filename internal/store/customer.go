package store

import (
	"context"
	"time"
)

// CustomerReader reads customers: the buyers.
type CustomerReader interface {
	GetCustomer(ctx context.Context, id string) (Customer, error)
	// ListCustomers returns a page of customers, newest first.
	ListCustomers(ctx context.Context, f CustomerFilter) ([]Customer, error)
	// WalkCustomers is ListCustomers reading at most readAtMost customers along the index it
	// walks (the offset's included; the filters after the first are checked on the rows it
	// yields): when it has read that many before it found f.Limit+1 matches, it stops, and says
	// where. readAtMost 0 does not bound the walk.
	WalkCustomers(ctx context.Context, f CustomerFilter, readAtMost int) (Walk[Customer], error)
	// NewestCustomerID is the id of the newest customer with the email or the external id
	// key names (ListCustomers' first with that filter), or "" when none has it.
	NewestCustomerID(ctx context.Context, key CustomerKey) (string, error)
}

// CustomerKey names customers by their email or by their external id: exactly one is set.
type CustomerKey struct {
	Email, ExternalID string
}

// CustomerWriter writes customers: the buyers, inside a Tx.
type CustomerWriter interface {
	InsertCustomer(ctx context.Context, c Customer) error
}

// Customer is a buyer.
type Customer struct {
	ID         string
	Email      string
	Name       string
	ExternalID string
	Metadata   map[string]string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// CustomerFilter selects customers; empty fields do not filter.
type CustomerFilter struct {
	Page
	Created
	Email      string // exactly, as stored
	ExternalID string
	// OnlyID limits the list to one customer, whatever else is asked: a buyer's own.
	OnlyID string
}
