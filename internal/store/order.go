package store

import (
	"context"

	"disputed/internal/dispute"
	"disputed/internal/order"
)

// OrderReader reads orders and the lines they activated on panels.
type OrderReader interface {
	GetOrder(ctx context.Context, id string) (order.Order, error)
	// ListOrders returns a page of orders, newest first.
	ListOrders(ctx context.Context, f OrderFilter) ([]order.Order, error)
	// WalkOrders is ListOrders reading at most readAtMost orders along the index it walks (the
	// offset's included; the filters after the first are checked on the rows it yields): when
	// it has read that many before it found f.Limit+1 matches, it stops, and says where.
	// readAtMost 0 does not bound the walk.
	WalkOrders(ctx context.Context, f OrderFilter, readAtMost int) (Walk[order.Order], error)
	// LinesOfOrder returns the order's lines in item order.
	LinesOfOrder(ctx context.Context, orderID string) ([]order.Line, error)
	GetLine(ctx context.Context, id string) (order.Line, error)
}

// OrderWriter writes orders and the lines they activated on panels, inside a Tx.
type OrderWriter interface {
	InsertOrder(ctx context.Context, o order.Order) error
	// UpdateOrder writes o if the stored revision is still o.Revision and increments it;
	// otherwise ErrConflict and nothing is written.
	UpdateOrder(ctx context.Context, o order.Order) error
	InsertLine(ctx context.Context, l order.Line) error
	// UpdateLine writes l if the stored revision is still l.Revision and increments it;
	// otherwise ErrConflict.
	UpdateLine(ctx context.Context, l order.Line) error
}

// OrderFilter selects orders.
type OrderFilter struct {
	Page
	CustomerID string
	VendorID   string
	Status     string
	// PartyCustomer and PartyVendor limit the list to a portal party's own orders, whatever else
	// it asks for: a buyer's, where it is the customer; a vendor's, where it is the vendor.
	PartyCustomer string
	PartyVendor   string
	// ExtendedFields match disputes whose extended field of each name has exactly that value.
	ExtendedFields dispute.ExtendedFields
}
