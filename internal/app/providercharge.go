package app

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"time"

	"disputed/internal/actor"
	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/order"
	"disputed/internal/provider"
	"disputed/internal/store"
)

// applyProviderCharge records a payment the provider reports (Stripe's charge.succeeded, PayPal's
// capture, the generic feed's transaction) as our transaction, once, then the refunds the report
// lists (applyProviderRefund, which records each once whoever reports it), and says what it did.
//
// The payment is found by its provider reference: reported again (a replay under another event
// id, an import of what a webhook brought) it changes nothing, except that an authorization
// reported captured since gets its capture. A new one is recorded as a charge, or an
// authorization when not captured yet, with the provider's time, its card and channel, linked to
// the order the merchant's metadata names under the order_metadata_key setting, and to the
// customer (see paymentCustomer). Then the disputes that arrived before it are matched to it
// (matchWaitingDisputes). Nothing is refused: a report that cannot be recorded as it is (an
// order that is not ours, in another currency) is recorded without what does not fit, and the
// outcome says so, for a provider would only send a refused event again.
func (a *App) applyProviderCharge(ctx context.Context, tx store.Tx, now time.Time, name string, cr *provider.ChargeReport) (string, error) {
	outcome, err := a.recordProviderCharge(ctx, tx, now, name, cr)
	if err != nil {
		return "", err
	}
	for i := range cr.Refunds {
		got, err := a.applyProviderRefund(ctx, tx, now, name, &cr.Refunds[i], nil)
		if err != nil {
			return "", err
		}
		outcome += "; " + got
	}
	return outcome, nil
}

func (a *App) recordProviderCharge(ctx context.Context, tx store.Tx, now time.Time, name string, cr *provider.ChargeReport) (string, error) {
	if !cr.Made {
		return "charge " + cr.ID + " is " + cr.Status + ": no money moved, nothing recorded", nil
	}
	who := actor.Provider(name)
	known, err := tx.FindTransaction(ctx, name, cr.ID)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return "", err
	case known.Kind == order.Authorization && cr.Captured:
		return a.captureReported(ctx, tx, now, who, known, cr)
	default:
		return "charge " + cr.ID + " recorded before as " + known.ID, nil
	}
	kind := order.Charge
	if !cr.Captured {
		kind = order.Authorization
	}
	created, err := recordedAt(cr.Created, now)
	if err != nil {
		created = now // a provider's clock far ahead of ours: the payment is recorded now
	}
	channel, _ := order.ParseChannel(cr.Channel)
	t := order.Transaction{ID: a.ids.New("txn"), Kind: kind, Amount: cr.Amount, Currency: cr.Currency, Provider: name,
		ProviderReference: cr.ID, Purchase: chargePurchase(cr), Channel: channel, CreatedAt: created, UpdatedAt: now}
	settings, err := tx.GetSettings(ctx)
	if err != nil {
		return "", err
	}
	var notes []string
	o, note, err := metadataOrder(ctx, tx, cr.Metadata[EffectiveOrderMetadataKey(settings)])
	if err != nil {
		return "", err
	}
	if note != "" {
		notes = append(notes, note)
	}
	checked, err := order.NewTransaction(t, nil, o)
	if f, refused := fault.As(err); refused && o != nil {
		notes = append(notes, "not linked to order "+o.ID+": "+f.Message)
		checked, err = order.NewTransaction(t, nil, nil)
	}
	if err != nil {
		return "", err
	}
	if checked.OrderID == "" {
		if checked.CustomerID, err = paymentCustomer(ctx, tx, cr); err != nil {
			return "", err
		}
	}
	view, err := a.insertTransaction(ctx, tx, now, who, checked, nil)
	if err != nil {
		return "", err
	}
	outcome := string(kind) + " " + cr.ID + " recorded as " + view.Transaction.ID
	if view.Transaction.Captures() {
		matched, err := a.awaitedBy(ctx, tx, now, who, view.Transaction, cr.PaymentReference)
		if err != nil {
			return "", err
		}
		notes = append(notes, matched...)
	}
	return strings.Join(append([]string{outcome}, notes...), "; "), nil
}

// captureReported records the capture of an authorization recorded before (Stripe's
// charge.captured of a charge made with capture_method manual), under the same provider
// reference, and matches the disputes waiting for it: the money is taken now.
func (a *App) captureReported(ctx context.Context, tx store.Tx, now time.Time, who actor.Actor, auth order.Transaction, cr *provider.ChargeReport) (string, error) {
	if auth.AmountCaptured > 0 || auth.Voided {
		return "charge " + cr.ID + " recorded before as " + auth.ID, nil
	}
	t := order.Transaction{ID: a.ids.New("txn"), Kind: order.Capture, Amount: cr.Amount, Currency: cr.Currency, Provider: auth.Provider,
		ProviderReference: cr.ID, CreatedAt: now, UpdatedAt: now}
	checked, err := order.NewTransaction(t, &auth, nil)
	if _, refused := fault.As(err); refused {
		return "capture of " + cr.ID + " not recorded: " + err.Error(), nil
	}
	if err != nil {
		return "", err
	}
	view, err := a.insertTransaction(ctx, tx, now, who, checked, &auth)
	if err != nil {
		return "", err
	}
	matched, err := a.awaitedBy(ctx, tx, now, who, view.Transaction, cr.PaymentReference)
	if err != nil {
		return "", err
	}
	return strings.Join(append([]string{"capture of " + auth.ID + " recorded as " + view.Transaction.ID}, matched...), "; "), nil
}

// metadataOrder is the order id names, or nil with a note saying why none is linked: no id, or
// one that is not ours (the merchant's metadata may name orders of another system).
func metadataOrder(ctx context.Context, r store.Reader, id string) (*order.Order, string, error) {
	if id == "" {
		return nil, "", nil
	}
	o, err := r.GetOrder(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, "its metadata names order " + provider.CleanText(id) + ", which is not ours: recorded without order", nil
	}
	if err != nil {
		return nil, "", err
	}
	return &o, "", nil
}

// paymentCustomer is the customer a payment of no order is from: the one with the buyer's email,
// or else the one whose external_id is the provider's id of the buyer (a merchant that keeps
// Stripe's cus_… as its customers' external ids); "" when none is. No customer is created: a
// customer is the merchant's record, made by its API calls or orders, and an email the
// provider saw is not enough to make one.
func paymentCustomer(ctx context.Context, r store.Reader, cr *provider.ChargeReport) (string, error) {
	for _, k := range paymentCustomerKeys(cr) {
		if id, err := r.NewestCustomerID(ctx, k); err != nil || id != "" {
			return id, err
		}
	}
	return "", nil
}

// paymentCustomerKeys are the keys paymentCustomer looks a buyer up by, in order.
func paymentCustomerKeys(cr *provider.ChargeReport) []store.CustomerKey {
	var keys []store.CustomerKey
	if cr.CustomerEmail != "" {
		keys = append(keys, store.CustomerKey{Email: cr.CustomerEmail})
	}
	if cr.CustomerReference != "" {
		keys = append(keys, store.CustomerKey{ExternalID: cr.CustomerReference})
	}
	return keys
}

// chargePurchase is the purchase context a payment report gives, keeping only what our checks
// take: a card network we do not know is unknown, a last4 that is not 4 digits, an IP that is
// not one, or a text too long, is left out rather than refusing the payment.
func chargePurchase(cr *provider.ChargeReport) order.PurchaseContext {
	var p order.PurchaseContext
	if network := strings.ToLower(cr.CardNetwork); network != "" {
		p.CardNetwork = "unknown"
		if slices.Contains(order.CardNetworks, network) {
			p.CardNetwork = network
		}
	}
	if c, err := (order.PurchaseContext{CardLast4: cr.Last4}).Check(); err == nil {
		p.CardLast4 = c.CardLast4
	}
	if c, err := (order.PurchaseContext{CardFingerprint: cr.Fingerprint}).Check(); err == nil {
		p.CardFingerprint = c.CardFingerprint
	}
	if ip, err := netip.ParseAddr(cr.IPAddress); err == nil && ip.Zone() == "" {
		p.CustomerIP = ip.Unmap().String()
	}
	return p
}

// awaitedBy matches to charge, a payment just recorded, the disputes and then the refunds the
// provider reported before it, and says what became of each.
func (a *App) awaitedBy(ctx context.Context, tx store.Tx, now time.Time, who actor.Actor, charge order.Transaction, paymentRef string) ([]string, error) {
	matched, err := a.matchWaitingDisputes(ctx, tx, now, who, charge, paymentRef)
	if err != nil {
		return nil, err
	}
	refunded, err := a.recordAwaitedRefunds(ctx, tx, now, charge, paymentRef)
	return append(matched, refunded...), err
}

// matchWaitingDisputes matches to charge, just recorded, the open disputes of its provider that
// arrived before it: those naming its provider reference, or the payment reference given, and
// matched to nothing. Each is matched as a later event about it would have matched it
// (matchLater), its change committed with its timeline entry and events; a dispute that does not
// fit the charge (another currency, more than was charged) stays unmatched. The notes say what
// became of each. The charge's references are locked first (on a store with several writers),
// as providerCharge locks a dispute's when it does not find its charge: a dispute opened by
// another instance at the same moment either is seen here or sees the charge.
func (a *App) matchWaitingDisputes(ctx context.Context, tx store.Tx, now time.Time, who actor.Actor, charge order.Transaction, paymentRef string) ([]string, error) {
	if err := tx.LockReferences(ctx, charge.ProviderReference, paymentRef); err != nil {
		return nil, err
	}
	waiting, err := tx.DisputesAwaitingCharge(ctx, charge.Provider, charge.ProviderReference, paymentRef)
	if err != nil {
		return nil, err
	}
	var notes []string
	for _, d := range waiting {
		prev := d
		chs, matched, err := matchLater(ctx, tx, now, &d, charge)
		if f, refused := fault.As(err); refused {
			notes = append(notes, "dispute "+d.ID+" left unmatched: "+f.Message)
			continue
		}
		if err != nil {
			return nil, err
		}
		if !matched {
			notes = append(notes, "dispute "+d.ID+" left unmatched: order "+charge.OrderID+" has another open dispute")
			continue
		}
		chs[0].Note = charge.ID + ", the provider's " + charge.ProviderReference + ", recorded after the dispute"
		withheld, err := a.withheldFunds(ctx, tx, d)
		if err != nil {
			return nil, err
		}
		if err := a.commitDispute(ctx, tx, now, who, &d, prev, append(chs, withheld...)...); err != nil {
			return nil, err
		}
		notes = append(notes, "dispute "+d.ID+" matched to it")
		if len(withheld) > 0 {
			notes = append(notes, "the funds the provider withdrew for it recorded")
		}
	}
	return notes, nil
}

// withheldFunds is the change that records the withdrawal the provider reported for d before d
// was matched to a charge, when its events, applied meanwhile, say that the network took the
// disputed funds and has not given them back: there was no charge to take them from then. None
// otherwise. Each event is read again, by its provider's adapter, as it was applied.
func (a *App) withheldFunds(ctx context.Context, r store.Reader, d dispute.Dispute) ([]dispute.Change, error) {
	evs, err := r.ProviderEventsOfDispute(ctx, d.ID)
	if err != nil || len(evs) == 0 {
		return nil, err
	}
	adapters := map[string]provider.Adapter{}
	withheld := false
	for _, rec := range evs {
		ev, _, err := a.storedEvent(ctx, r, rec, adapters)
		if err != nil {
			return nil, err
		}
		if pd := ev.Dispute; pd != nil && (pd.FundsWithdrawn || pd.FundsReinstated) {
			withheld = pd.FundsWithdrawn && !pd.FundsReinstated
		}
	}
	if !withheld {
		return nil, nil
	}
	return []dispute.Change{{From: d.Status, To: d.Status, Withdraw: true}}, nil
}

// matchLater matches d, which arrived before its charge was recorded, to charge as opening it
// would have (dispute.MatchLater: its charge, order, customer and vendor, and an RDR alert
// resolved), unless the charge's order already has an open dispute, the order's one: matched
// is false then. The one rule for a dispute reported before its charge, whichever arrives next:
// the charge, or another event about the dispute.
func matchLater(ctx context.Context, r store.Reader, now time.Time, d *dispute.Dispute, charge order.Transaction) ([]dispute.Change, bool, error) {
	if charge.OrderID != "" {
		if _, err := r.OpenDisputeOfOrder(ctx, charge.OrderID); !errors.Is(err, store.ErrNotFound) {
			return nil, false, err
		}
	}
	chs, err := d.MatchLater(*chargeRef(charge), now)
	return chs, err == nil && len(chs) > 0, err
}

// captureOf is the capture of t when t is an authorization captured since, else t. An
// authorization the provider captured later (Stripe's charge.captured) shares the provider's
// reference with its capture, and the reference is found on the authorization, the older; what
// a refund or a dispute of that payment names is the captured money.
func captureOf(ctx context.Context, r store.Reader, t order.Transaction) (order.Transaction, error) {
	if t.Kind != order.Authorization || t.AmountCaptured == 0 {
		return t, nil
	}
	children, err := r.ChildTransactions(ctx, t.ID)
	if err != nil {
		return order.Transaction{}, err
	}
	for _, c := range children {
		if c.Kind == order.Capture {
			return c, nil
		}
	}
	return t, nil
}
