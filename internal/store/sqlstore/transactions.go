package sqlstore

import (
	"context"
	"fmt"
	"math"
	"time"

	"disputed/internal/money"
	"disputed/internal/order"
	"disputed/internal/store"
	"disputed/internal/store/query"
)

func (t *tx) InsertTransaction(ctx context.Context, tr order.Transaction) error {
	t.memo.rows.transactionInserted(tr)
	var j jsonColumns
	pc := j.purchase(tr.Purchase)
	if j.err != nil {
		return t.fail(j.err, "insert transaction %s", tr.ID)
	}
	err := inserted(t.q.InsertTransaction(ctx, query.InsertTransactionParams{
		ID: tr.ID, Kind: string(tr.Kind), Amount: tr.Amount, Currency: tr.Currency,
		OrderID: tr.OrderID, CustomerID: tr.CustomerID, VendorID: tr.VendorID, ParentID: tr.ParentID,
		DisputeID: tr.DisputeID, Provider: tr.Provider, ProviderReference: tr.ProviderReference,
		ARN: tr.ARN, External: tr.External, Reason: tr.Reason,
		AmountRefunded: tr.AmountRefunded, AmountWithdrawn: tr.AmountWithdrawn,
		AmountCaptured: tr.AmountCaptured, Voided: tr.Voided, CreatedAt: millis(tr.CreatedAt),
		UpdatedAt:  millis(updatedOrCreated(tr)),
		CustomerIP: pc.customerIP, DeviceID: pc.deviceID, UserAgent: pc.userAgent, BillingAddress: pc.billingAddress,
		ShippingAddress: pc.shippingAddress, ShippingCarrier: pc.shippingCarrier, TrackingNumber: pc.trackingNumber,
		CardFingerprint: pc.cardFingerprint, CardNetwork: pc.cardNetwork, CardLast4: pc.cardLast4, AccountID: pc.accountID,
		Channel: string(tr.Channel),
	}))
	if err == nil && tr.Captures() {
		t.pending.sales.add(saleKey{day: saleDay(tr.CreatedAt), network: tr.Purchase.CardNetwork, channel: string(tr.Channel)})
	}
	if err != nil {
		return t.fail(err, "insert transaction %s", tr.ID)
	}
	return nil
}

func (t *tx) AdjustTransaction(ctx context.Context, id string, d store.Adjustment) error {
	t.memo.rows.transactionAdjusted(id)
	sum, err := money.Add(d.Refunded, d.Withdrawn)
	if err != nil {
		// No transaction can absorb a change this large in either direction.
		return t.fail(fmt.Errorf("%w: %w", store.ErrConflict, err), "adjust transaction %s", id)
	}
	n, err := t.q.AdjustTransaction(ctx, query.AdjustTransactionParams{
		ID: id, Refunded: d.Refunded, Withdrawn: d.Withdrawn, RefundedAndWithdrawn: sum,
		Captured: d.Captured, Void: d.Void, At: millis(d.At),
	})
	if err == nil && n == 0 {
		err = t.missedUpdate(ctx, t.q.TransactionExists, id, "the running amounts would leave their bounds")
	}
	if err != nil {
		return t.fail(err, "adjust transaction %s by %+v", id, d)
	}
	return nil
}

func (c *conn) GetTransaction(ctx context.Context, id string) (order.Transaction, error) {
	r, err := c.q.GetTransaction(ctx, id)
	if err != nil {
		return order.Transaction{}, c.fail(err, "get transaction %s", id)
	}
	return c.transaction(r, "get transaction %s", id)
}

// transaction converts a row, failing like the read that gave it when its JSON does not decode.
func (c *conn) transaction(r query.Transaction, format string, args ...any) (order.Transaction, error) {
	t, err := transactionFromRow(r)
	if err != nil {
		return order.Transaction{}, c.fail(err, format, args...)
	}
	return t, nil
}

func (c *conn) FindTransaction(ctx context.Context, provider, reference string) (order.Transaction, error) {
	if reference == "" { // would match every transaction without a reference
		return order.Transaction{}, c.fail(store.ErrNotFound, "find transaction without a reference")
	}
	r, err := c.q.FindTransaction(ctx, query.FindTransactionParams{Reference: reference, Provider: nullString(provider)})
	if err != nil {
		return order.Transaction{}, c.fail(err, "find transaction %q of provider %q", reference, provider)
	}
	return c.transaction(r, "find transaction %q of provider %q", reference, provider)
}

func (c *conn) FindTransactionByARN(ctx context.Context, arn string) (order.Transaction, error) {
	if arn == "" {
		return order.Transaction{}, c.fail(store.ErrNotFound, "find transaction without an ARN")
	}
	r, err := c.q.FindTransactionByARN(ctx, arn)
	if err != nil {
		return order.Transaction{}, c.fail(err, "find transaction by ARN %q", arn)
	}
	return c.transaction(r, "find transaction by ARN %q", arn)
}

func (c *conn) ChildTransactions(ctx context.Context, parentID string) ([]order.Transaction, error) {
	if parentID == "" { // would match every transaction without a parent
		return []order.Transaction{}, nil
	}
	rows, err := c.q.ChildTransactions(ctx, parentID)
	if err != nil {
		return nil, c.fail(err, "child transactions of %s", parentID)
	}
	return c.transactions(rows, "child transactions of %s", parentID)
}

func (c *conn) TransactionsOfOrder(ctx context.Context, orderID string) ([]order.Transaction, error) {
	if orderID == "" {
		return []order.Transaction{}, nil
	}
	rows, err := c.q.TransactionsOfOrder(ctx, orderID)
	if err != nil {
		return nil, c.fail(err, "transactions of order %s", orderID)
	}
	return c.transactions(rows, "transactions of order %s", orderID)
}

func (c *conn) CardCharges(ctx context.Context, fingerprint string, from, to time.Time, limit int) ([]store.CardCharge, error) {
	if fingerprint == "" || limit <= 0 { // "" would be every charge whose card nobody recorded
		return []store.CardCharge{}, nil
	}
	rows, err := c.q.CardCharges(ctx, query.CardChargesParams{Fingerprint: fingerprint, FromAt: millis(from), ToAt: millis(to),
		MaxRows: int32(min(limit, math.MaxInt32))})
	if err != nil {
		return nil, c.fail(err, "charges of card %q", fingerprint)
	}
	out := make([]store.CardCharge, len(rows))
	for i, r := range rows {
		t, err := c.transaction(r.Transaction, "charges of card %q", fingerprint)
		if err != nil {
			return nil, err
		}
		out[i] = store.CardCharge{Transaction: t, Disputed: r.Disputed, FraudReported: r.FraudReported}
	}
	return out, nil
}

func (c *conn) transactions(rows []query.Transaction, format string, args ...any) ([]order.Transaction, error) {
	out := make([]order.Transaction, len(rows))
	for i, r := range rows {
		t, err := c.transaction(r, format, args...)
		if err != nil {
			return nil, err
		}
		out[i] = t
	}
	return out, nil
}

func transactionFromRow(r query.Transaction) (order.Transaction, error) {
	var j jsonColumns
	t := order.Transaction{
		ID: r.ID, Kind: order.Kind(r.Kind), Amount: r.Amount, Currency: r.Currency,
		OrderID: r.OrderID, CustomerID: r.CustomerID, VendorID: r.VendorID, ParentID: r.ParentID,
		DisputeID: r.DisputeID, Provider: r.Provider, ProviderReference: r.ProviderReference,
		ARN: r.ARN, External: r.External, Reason: r.Reason,
		AmountRefunded: r.AmountRefunded, AmountWithdrawn: r.AmountWithdrawn,
		AmountCaptured: r.AmountCaptured, Voided: r.Voided, CreatedAt: fromMillis(r.CreatedAt),
		UpdatedAt: fromMillis(r.UpdatedAt),
		Purchase: j.decodePurchase(purchaseColumns{customerIP: r.CustomerIP, deviceID: r.DeviceID, userAgent: r.UserAgent,
			billingAddress: r.BillingAddress, shippingAddress: r.ShippingAddress, shippingCarrier: r.ShippingCarrier,
			trackingNumber: r.TrackingNumber, cardFingerprint: r.CardFingerprint, cardNetwork: r.CardNetwork,
			cardLast4: r.CardLast4, accountID: r.AccountID}),
		Channel: order.Channel(r.Channel),
	}
	if j.err != nil {
		return order.Transaction{}, fmt.Errorf("transaction %s: %w", r.ID, j.err)
	}
	return t, nil
}

// updatedOrCreated is a new transaction's updated_at: when it was last changed, or created.
func updatedOrCreated(t order.Transaction) time.Time {
	if t.UpdatedAt.IsZero() {
		return t.CreatedAt
	}
	return t.UpdatedAt
}
