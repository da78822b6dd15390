package store

import (
	"context"
	"time"

	"disputed/internal/dispute"
)

// DisputeReader reads disputes and their internal notes.
type DisputeReader interface {
	GetDispute(ctx context.Context, id string) (dispute.Dispute, error)
	// GetDisputes reads the disputes with these ids in one statement (a batch of jobs reads its
	// disputes at once), in no order; an id that names no dispute is left out.
	GetDisputes(ctx context.Context, ids []string) ([]dispute.Dispute, error)
	// OpenDisputeOfOrder returns the order's open dispute, or ErrNotFound.
	OpenDisputeOfOrder(ctx context.Context, orderID string) (dispute.Dispute, error)
	// FindDisputeByProvider returns the dispute for a provider's case id, or ErrNotFound.
	FindDisputeByProvider(ctx context.Context, provider, providerDisputeID string) (dispute.Dispute, error)
	// DisputesAwaitingCharge returns the open disputes of provider matched to no transaction
	// that name one of refs as the provider's charge or payment intent: those reported before
	// the payment they dispute, which its arrival matches.
	DisputesAwaitingCharge(ctx context.Context, provider string, refs ...string) ([]dispute.Dispute, error)
	// ListDisputes is the one list of disputes, the API's and the admin UI's: up to
	// f.Limit+1 disputes (all of them when f.Limit is 0 or less) after f's cursor or f.Offset, in
	// f.Sort's order.
	ListDisputes(ctx context.Context, f DisputeFilter) ([]dispute.Dispute, error)
	// WalkDisputes is ListDisputes reading at most readAtMost disputes along the index it walks
	// (the offset's included; a list read through a filter's index that yields at most a few
	// thousand disputes reads those): when it has read that many before it found f.Limit+1
	// matches, it stops, and says where.
	WalkDisputes(ctx context.Context, f DisputeFilter, readAtMost int) (DisputeWalk, error)
	// DisputeSummaries returns, in one statement, who the customer is and what was bought for
	// each of the disputes with these ids (a page of a list: at most maxSummaries), in no order;
	// an id that names no dispute is left out.
	DisputeSummaries(ctx context.Context, ids []string) ([]DisputeSummary, error)
	ListNotes(ctx context.Context, disputeID string) ([]Note, error)
}

// DisputeWriter writes disputes and their internal notes, inside a Tx.
type DisputeWriter interface {
	// InsertDispute returns ErrConflict when the order already has an open dispute.
	InsertDispute(ctx context.Context, d dispute.Dispute) error
	// UpdateDispute writes d over prev, the dispute as read in this transaction, if the stored
	// revision is still prev.Revision; otherwise it returns ErrConflict and writes nothing.
	// d.Revision is the new revision. Only what differs from prev is written, so prev must be
	// what was read, not a dispute built by hand.
	UpdateDispute(ctx context.Context, d dispute.Dispute, prev dispute.Dispute) error
	InsertNote(ctx context.Context, n Note) error
}

// DisputeFilter selects disputes; empty fields do not filter.
type DisputeFilter struct {
	Page
	Status        string
	Type          string
	OrderID       string
	TransactionID string
	// Charge matches the disputes of a payment named by our transaction id or by the provider's
	// id of it: the transaction matched to the dispute has that id or provider reference, or the
	// provider named that charge (matched or not). PaymentIntent likewise for the provider's
	// payment intent (or the second reference it gives).
	Charge        string
	PaymentIntent string
	CustomerID    string
	DueBefore     time.Time // due_by < DueBefore
	Tag           string
	Query         string // matched case-insensitively against id, reason, case number, ARN, provider dispute id, external reference and description
	// PartyCustomer and PartyVendor limit the list to a portal party's own disputes, whatever
	// else it asks for: a buyer's, where it is the customer; a vendor's, where it is the vendor.
	PartyCustomer string
	PartyVendor   string
	// ExtendedFields match the disputes whose extended field of each name has exactly that value.
	ExtendedFields dispute.ExtendedFields

	// The admin UI's own filters.
	Provider string
	OpenOnly bool
	DueAfter time.Time // due_by >= DueAfter
	// QueryRelated matches Query also against the order id, the customer's email and name, and
	// the disputed charge's id and provider reference (the provider's charge id).
	QueryRelated bool
	// Sort is the order: "" newest first, "oldest" oldest first, "due" soonest due date first
	// (disputes without one last), "amount" largest amount first; ties newest first. Page's
	// cursor starts the list after the dispute it names in Sort's order, whose amount and due
	// date are AfterAmount and AfterDue (set together by After).
	Sort        string
	AfterAmount int64
	AfterDue    time.Time // zero: the cursor's dispute has no due date
}

// DisputeKey is a dispute's place in every order of the list.
type DisputeKey struct {
	CreatedAt time.Time
	ID        string
	Amount    int64
	DueBy     time.Time
}

// KeyOf is d's place in the list's orders.
func KeyOf(d dispute.Dispute) DisputeKey {
	return DisputeKey{CreatedAt: d.CreatedAt, ID: d.ID, Amount: d.Amount, DueBy: d.DueBy}
}

// After starts f's page after the dispute of key k in f's order, instead of at an offset.
func (f *DisputeFilter) After(k DisputeKey) {
	f.AfterCreated, f.AfterID, f.AfterAmount, f.AfterDue, f.Offset = k.CreatedAt, k.ID, k.Amount, k.DueBy, 0
}

// AfterKey is the key of the dispute f's page starts after (After's).
func (f DisputeFilter) AfterKey() DisputeKey {
	return DisputeKey{CreatedAt: f.AfterCreated, ID: f.AfterID, Amount: f.AfterAmount, DueBy: f.AfterDue}
}

// DisputeWalk is a page of disputes read by WalkDisputes.
type DisputeWalk struct {
	Disputes []dispute.Dispute // up to f.Limit+1, as ListDisputes's
	// Stopped tells that the walk read its bound of disputes before it found f.Limit+1: Disputes
	// are the matches it found (maybe none), and Last is the place of the last dispute it read,
	// matched or not, after which the next page goes on (its amount and due date only in the
	// orders by them).
	Stopped bool
	Last    DisputeKey
}

// Next is the page of disputes after w's, read as f read w's, and whether there is one:
// after w's last dispute when the page was full, after the last dispute the walk read when it
// stopped. ds is w's page, cut to f's limit.
func (w DisputeWalk) Next(f DisputeFilter) (ds []dispute.Dispute, next DisputeFilter, more bool) {
	ds, more = Trim(w.Disputes, f.Limit)
	switch {
	case w.Stopped:
		f.After(w.Last)
	case more:
		f.After(KeyOf(ds[len(ds)-1]))
	}
	return ds, f, more || w.Stopped
}

// DisputeSummary is what a list of disputes shows beside a dispute's own fields, so that a row
// says more than ids: the customer (the dispute's own, else its order's) and what was bought.
type DisputeSummary struct {
	DisputeID     string
	CustomerName  string
	CustomerEmail string
	FirstItem     string // the description of the order's first item; "" for a dispute on no order
	Items         int    // how many items the order has
}

// MaxSummaries is the most dispute ids DisputeSummaries takes at once.
const MaxSummaries = 100

// Dispute list orders (DisputeFilter.Sort).
const (
	SortNewest = ""
	SortOldest = "oldest"
	SortDue    = "due"
	SortAmount = "amount"
)

// Note is an internal admin note on a dispute. Notes are append-only and never shown to parties.
type Note struct {
	ID        string
	DisputeID string
	Author    string
	Body      string
	CreatedAt time.Time
}
