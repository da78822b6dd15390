package httpapi

import (
	"context"
	"time"

	"disputed/internal/app"
	"disputed/internal/fault"
	"disputed/internal/order"
	"disputed/internal/store"
)

// ItemIn is one item of a new order.
type ItemIn struct {
	Description   string    `json:"description" maxLength:"500"`
	Amount        *int64    `json:"amount,omitempty" doc:"unit price in minor units"`
	AmountDecimal *string   `json:"amount_decimal,omitempty" doc:"unit price as a decimal string, instead of amount"`
	Quantity      int64     `json:"quantity,omitempty" doc:"default 1"`
	Line          *LineSpec `json:"line,omitempty" doc:"the service activation this item sells"`
}

// OrderIn creates an order.
type OrderIn struct {
	Body struct {
		CustomerID string            `json:"customer_id" doc:"the buyer"`
		VendorID   string            `json:"vendor_id,omitempty" doc:"the seller, on a marketplace"`
		Currency   string            `json:"currency" doc:"ISO 4217, any case"`
		Items      []ItemIn          `json:"items" maxItems:"500"`
		Metadata   map[string]string `json:"metadata,omitempty"`
		PurchaseIn
	}
}

// UpdateOrderIn changes an order after the fact: its purchase context.
type UpdateOrderIn struct {
	ID   string `path:"id" maxLength:"64"`
	Body struct {
		Revision int64 `json:"revision" doc:"the revision you read; a stale one is refused with 409"`
		PurchasePatchIn
	}
}

// OrderOut answers with an order.
type OrderOut struct{ Body Order }

// OrdersIn lists orders.
type OrdersIn struct {
	PageQuery
	CustomerID string `query:"customer_id" maxLength:"64"`
	VendorID   string `query:"vendor_id" maxLength:"64"`
	Status     string `query:"status" enum:"pending,completed,voided,refunded,partially_refunded"`
}

// OrdersOut is a page of orders.
type OrdersOut struct{ Body OrderList }

// OrderList is a page of orders, and whether it ends where the server stopped reading.
type OrderList struct {
	List[Order]
	ReadBoundReached bool `json:"read_bound_reached" doc:"true when the server read its bound of orders (20,000 by default) for this page before it found a full page, which happens when filters are combined (the first of customer_id, vendor_id and status is read through its index, the others are checked on the orders it yields) and match few orders, or when page skips past the bound (the orders it skips count in it): data holds the matches found so far, fewer than limit or none, has_more is true and next_cursor goes on from the last order read; follow it as usual, and every match comes once"`
}

// VoidIn voids an order.
type VoidIn struct {
	ID   string `path:"id" maxLength:"64"`
	Body struct {
		Reason string `json:"reason" doc:"why, 1 to 500 characters"`
	}
}

// ManualDisputeIn opens a manual dispute on an order.
type ManualDisputeIn struct {
	ID   string `path:"id" maxLength:"64"`
	Body struct {
		Reason            string     `json:"reason" maxLength:"500" doc:"a coded reason (the dispute's reason enum); words that are no code are kept in description, the reason then general"`
		Description       string     `json:"description,omitempty" maxLength:"5000" doc:"the case in your own words"`
		ExternalReference string     `json:"external_reference,omitempty" maxLength:"200" doc:"e.g. a PayPal case number"`
		EvidenceDueBy     *time.Time `json:"evidence_due_by,omitempty"`
	}
}

// TimelineOut is an audit trail, oldest first.
type TimelineOut struct{ Body List[TimelineEntry] }

func (s *Server) createOrder(ctx context.Context, in *OrderIn) (*OrderOut, error) {
	p := app.OrderParams{CustomerID: in.Body.CustomerID, VendorID: in.Body.VendorID, Currency: in.Body.Currency, Metadata: in.Body.Metadata,
		Purchase: in.Body.purchase()}
	for _, it := range in.Body.Items {
		ip := app.ItemParams{Description: it.Description, Amount: it.Amount, AmountDecimal: it.AmountDecimal, Quantity: it.Quantity}
		if it.Line != nil {
			ip.Line = &order.LineSpec{Panel: it.Line.Panel, ExternalID: it.Line.ExternalID}
		}
		p.Items = append(p.Items, ip)
	}
	v, err := s.app.CreateOrder(ctx, who(ctx), p)
	if err != nil {
		return nil, err
	}
	return &OrderOut{Body: orderOut(v)}, nil
}

func (s *Server) getOrder(ctx context.Context, in *ByID) (*OrderOut, error) {
	return orderResult(s.app.Order(ctx, who(ctx), in.ID))
}

func (s *Server) listOrders(ctx context.Context, in *OrdersIn) (*OrdersOut, error) {
	page, err := in.page()
	if err != nil {
		return nil, err
	}
	p, err := s.app.ListOrders(ctx, who(ctx), store.OrderFilter{Page: page, CustomerID: in.CustomerID, VendorID: in.VendorID, Status: in.Status})
	if err != nil {
		return nil, err
	}
	return &OrdersOut{Body: OrderList{List: listAt(p.Rows, orderOut, cursorOf(p.More, p.Next)), ReadBoundReached: p.Stopped}}, nil
}

func (s *Server) updateOrder(ctx context.Context, in *UpdateOrderIn) (*OrderOut, error) {
	if in.Body.Revision <= 0 {
		return nil, fault.Invalidf(fault.CodeParameterMissing, "revision", "revision is required: send the revision you read")
	}
	return orderResult(s.app.UpdateOrder(ctx, who(ctx), in.ID, in.Body.Revision, app.UpdateOrderParams{Purchase: in.Body.patch()}))
}

func (s *Server) completeOrder(ctx context.Context, in *ByID) (*OrderOut, error) {
	return orderResult(s.app.CompleteOrder(ctx, who(ctx), in.ID))
}

func (s *Server) voidOrder(ctx context.Context, in *VoidIn) (*OrderOut, error) {
	return orderResult(s.app.VoidOrder(ctx, who(ctx), in.ID, app.VoidParams{Reason: in.Body.Reason}))
}

func (s *Server) disputeOrder(ctx context.Context, in *ManualDisputeIn) (*DisputeOut, error) {
	p := app.ManualDisputeParams{Reason: string(in.Body.Reason), Description: in.Body.Description, ExternalReference: in.Body.ExternalReference}
	if in.Body.EvidenceDueBy != nil {
		p.EvidenceDueBy = in.Body.EvidenceDueBy.UTC()
	}
	d, err := s.app.OpenManualDispute(ctx, who(ctx), in.ID, p)
	return s.disputeResult(ctx, d, err)
}

func (s *Server) orderTimeline(ctx context.Context, in *ByID) (*TimelineOut, error) {
	return timelineResult(s.app.OrderTimeline(ctx, who(ctx), in.ID))
}

func orderResult(v app.OrderView, err error) (*OrderOut, error) {
	if err != nil {
		return nil, err
	}
	return &OrderOut{Body: orderOut(v)}, nil
}

func timelineResult(es []store.TimelineEntry, err error) (*TimelineOut, error) {
	if err != nil {
		return nil, err
	}
	return &TimelineOut{Body: listOf(es, false, timelineOut, func(e store.TimelineEntry) (time.Time, string) { return e.CreatedAt, e.ID })}, nil
}
