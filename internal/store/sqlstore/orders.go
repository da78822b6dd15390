package sqlstore

import (
	"context"
	"fmt"

	"disputed/internal/order"
	"disputed/internal/store"
	"disputed/internal/store/query"
)

// storedItem is how an order item is kept in the items JSON. It has its own type, with explicit
// names, so that renaming a Go field never changes how rows already written are read.
type storedItem struct {
	Description string          `json:"description"`
	Amount      int64           `json:"amount"`
	Quantity    int64           `json:"quantity"`
	Line        *storedLineSpec `json:"line,omitempty"`
}

type storedLineSpec struct {
	Panel      string `json:"panel"`
	ExternalID string `json:"external_id"`
}

func (j *jsonColumns) items(items []order.Item) string {
	out := make([]storedItem, len(items))
	for i, it := range items {
		out[i] = storedItem{Description: it.Description, Amount: it.Amount, Quantity: it.Quantity}
		if it.Line != nil {
			out[i].Line = &storedLineSpec{Panel: it.Line.Panel, ExternalID: it.Line.ExternalID}
		}
	}
	return j.encode(out)
}

// ItemsJSON is how an order's items are kept in orders.items. Loaders that write orders straight
// into the schema (the benchmarks') use it.
func ItemsJSON(items []order.Item) (string, error) {
	var j jsonColumns
	s := j.items(items)
	return s, j.err
}

// decodeItems always returns a non-nil slice.
func (j *jsonColumns) decodeItems(s string) []order.Item {
	var stored []storedItem
	j.decode(s, &stored)
	out := make([]order.Item, len(stored))
	for i, it := range stored {
		out[i] = order.Item{Description: it.Description, Amount: it.Amount, Quantity: it.Quantity}
		if it.Line != nil {
			out[i].Line = &order.LineSpec{Panel: it.Line.Panel, ExternalID: it.Line.ExternalID}
		}
	}
	return out
}

func (t *tx) InsertOrder(ctx context.Context, o order.Order) error {
	t.memo.rows.orderWritten(o.ID)
	var j jsonColumns
	pc := j.purchase(o.Purchase)
	p := query.InsertOrderParams{
		ID: o.ID, CustomerID: o.CustomerID, VendorID: o.VendorID, Currency: o.Currency,
		Status: string(o.Status), Items: j.items(o.Items), Total: o.Total, VoidReason: o.VoidReason,
		CompletedAt: nullMillis(o.CompletedAt), VoidedAt: nullMillis(o.VoidedAt),
		Metadata: j.stringMap(o.Metadata), Revision: o.Revision,
		CreatedAt: millis(o.CreatedAt), UpdatedAt: millis(o.UpdatedAt),
		CustomerIP: pc.customerIP, DeviceID: pc.deviceID, UserAgent: pc.userAgent, BillingAddress: pc.billingAddress,
		ShippingAddress: pc.shippingAddress, ShippingCarrier: pc.shippingCarrier, TrackingNumber: pc.trackingNumber,
		CardFingerprint: pc.cardFingerprint, CardNetwork: pc.cardNetwork, CardLast4: pc.cardLast4, AccountID: pc.accountID,
	}
	if j.err != nil {
		return t.fail(j.err, "insert order %s", o.ID)
	}
	if err := inserted(t.q.InsertOrder(ctx, p)); err != nil {
		return t.fail(err, "insert order %s", o.ID)
	}
	return nil
}

func (t *tx) UpdateOrder(ctx context.Context, o order.Order) error {
	t.memo.rows.orderWritten(o.ID)
	var j jsonColumns
	pc := j.purchase(o.Purchase)
	p := query.UpdateOrderParams{
		ID: o.ID, CustomerID: o.CustomerID, VendorID: o.VendorID, Currency: o.Currency,
		Status: string(o.Status), Items: j.items(o.Items), Total: o.Total, VoidReason: o.VoidReason,
		CompletedAt: nullMillis(o.CompletedAt), VoidedAt: nullMillis(o.VoidedAt),
		Metadata: j.stringMap(o.Metadata), Revision: o.Revision, UpdatedAt: millis(o.UpdatedAt),
		CustomerIP: pc.customerIP, DeviceID: pc.deviceID, UserAgent: pc.userAgent, BillingAddress: pc.billingAddress,
		ShippingAddress: pc.shippingAddress, ShippingCarrier: pc.shippingCarrier, TrackingNumber: pc.trackingNumber,
		CardFingerprint: pc.cardFingerprint, CardNetwork: pc.cardNetwork, CardLast4: pc.cardLast4, AccountID: pc.accountID,
	}
	if j.err != nil {
		return t.fail(j.err, "update order %s", o.ID)
	}
	n, err := t.q.UpdateOrder(ctx, p)
	if err == nil && n == 0 {
		err = t.missedUpdate(ctx, t.q.OrderExists, o.ID, "the revision changed")
	}
	if err != nil {
		return t.fail(err, "update order %s at revision %d", o.ID, o.Revision)
	}
	return nil
}

func (c *conn) GetOrder(ctx context.Context, id string) (order.Order, error) {
	r, err := c.q.GetOrder(ctx, id)
	if err != nil {
		return order.Order{}, c.fail(err, "get order %s", id)
	}
	o, err := orderFromRow(r)
	if err != nil {
		return order.Order{}, c.fail(err, "get order %s", id)
	}
	return o, nil
}

// ListOrders is WalkOrders without a bound.
func (c *conn) ListOrders(ctx context.Context, f store.OrderFilter) ([]order.Order, error) {
	w, err := c.WalkOrders(ctx, f, 0)
	return w.Rows, err
}

// WalkOrders reads through the index of the first filter given (a customer's, a vendor's, a
// status's orders: each newest first), else the orders newest first, at most readAtMost of them,
// after the cursor; the other filters are checked on the rows read: a vendor's orders of a rare
// status, checked row by row on the vendor's index, read all of the vendor's orders.
func (c *conn) WalkOrders(ctx context.Context, f store.OrderFilter, readAtMost int) (store.Walk[order.Order], error) {
	var w conditions
	for _, e := range []struct{ column, value string }{{"customer_id", f.CustomerID}, {"vendor_id", f.VendorID},
		{"customer_id", f.PartyCustomer}, {"vendor_id", f.PartyVendor}, {"status", f.Status}} {
		if e.value != "" {
			w.equal(e.column, e.value)
		}
	}
	pg := w.startAfter("created_at", "id", f.Page)
	return walkNewest(ctx, c, "list orders", w, walkOf{selectFrom: "SELECT * FROM orders", table: "orders", walked: "orders",
		order: "created_at DESC, id DESC", key: "created_at, id"}, pg, readAtMost, scanOrder)
}

// scanOrder reads a row of SELECT * FROM orders, by name.
var scanOrder = scanBy(orderRows, func(r query.Order) (order.Order, error) {
	o, err := orderFromRow(r)
	if err != nil {
		return order.Order{}, fmt.Errorf("order %s: %w", r.ID, err)
	}
	return o, nil
})

// orderRows reads the rows of SELECT * FROM orders.
var orderRows = newByName[query.Order]()

func orderFromRow(r query.Order) (order.Order, error) {
	var j jsonColumns
	o := order.Order{
		ID: r.ID, CustomerID: r.CustomerID, VendorID: r.VendorID, Currency: r.Currency,
		Status: order.Status(r.Status), Items: j.decodeItems(r.Items), Total: r.Total,
		VoidReason: r.VoidReason, CompletedAt: fromNullMillis(r.CompletedAt), VoidedAt: fromNullMillis(r.VoidedAt),
		Metadata: j.decodeStringMap(r.Metadata), Revision: r.Revision,
		CreatedAt: fromMillis(r.CreatedAt), UpdatedAt: fromMillis(r.UpdatedAt),
		Purchase: j.decodePurchase(purchaseColumns{customerIP: r.CustomerIP, deviceID: r.DeviceID, userAgent: r.UserAgent,
			billingAddress: r.BillingAddress, shippingAddress: r.ShippingAddress, shippingCarrier: r.ShippingCarrier,
			trackingNumber: r.TrackingNumber, cardFingerprint: r.CardFingerprint, cardNetwork: r.CardNetwork,
			cardLast4: r.CardLast4, accountID: r.AccountID}),
	}
	return o, j.err
}
