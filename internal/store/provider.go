package store

import (
	"context"
	"time"
)

// ProviderReader reads payment providers, the events they sent and their history imports.
type ProviderReader interface {
	ProviderImportReader
	GetProvider(ctx context.Context, name string) (Provider, error)
	// ListProviders returns the configured providers by name.
	ListProviders(ctx context.Context) ([]Provider, error)
	GetProviderEvent(ctx context.Context, provider, eventID string) (ProviderEvent, error)
	// GetProviderEventByID returns the stored event of that id (pev_…), or ErrNotFound.
	GetProviderEventByID(ctx context.Context, id string) (ProviderEvent, error)
	// ListProviderEvents returns a page of stored events, newest first (by id: the page's
	// AfterID, not its time, is the cursor), with one more than its limit when there are more.
	ListProviderEvents(ctx context.Context, f ProviderEventFilter) ([]ProviderEvent, error)
	// WalkProviderEvents is ListProviderEvents reading at most readAtMost events along the index
	// it walks (the offset's included): a provider's few events through the provider's index,
	// sorted, else every event by id, or the events not applied, with the provider and the state
	// checked on the events read. When it has read that many before it found f.Limit+1 matches,
	// it stops, and says where (the last event's received_at and id). readAtMost 0 does not bound
	// the walk.
	WalkProviderEvents(ctx context.Context, f ProviderEventFilter, readAtMost int) (Walk[ProviderEvent], error)
	// UnappliedProviderEvents returns, oldest first, at most limit events not applied yet whose
	// ids follow afterID (every such event for ""): what the appliers' next passes will most
	// likely claim. It reads them without claiming them.
	UnappliedProviderEvents(ctx context.Context, afterID string, limit int) ([]ProviderEvent, error)
	// InboxStats counts the events not applied yet.
	InboxStats(ctx context.Context) (InboxStats, error)
	// ProviderEventsOfDispute returns the applied provider events about the dispute, in the
	// order they were applied.
	ProviderEventsOfDispute(ctx context.Context, disputeID string) ([]ProviderEvent, error)
	// LastProviderEventAt is when the newest applied provider event about the dispute happened;
	// zero when there is none.
	LastProviderEventAt(ctx context.Context, disputeID string) (time.Time, error)
	// RefundsAwaitingPayment returns, in the order they arrived, the events of provider whose
	// refunds wait for a payment with one of refs (AwaitPayment), each once.
	RefundsAwaitingPayment(ctx context.Context, provider string, refs ...string) ([]ProviderEvent, error)
}

// ProviderWriter writes payment providers, the events they sent and their history imports,
// inside a Tx.
type ProviderWriter interface {
	ProviderImportWriter
	// SaveProvider writes a provider's configuration, replacing the one of the same name.
	SaveProvider(ctx context.Context, p Provider) error
	// InsertProvider returns ErrConflict when the name is taken.
	InsertProvider(ctx context.Context, p Provider) error
	DeleteProvider(ctx context.Context, name string) error
	// AppendProviderEvents stores events in the inbox, pending, in one statement, and returns
	// for each the event stored under its provider and event id: the one given, or the one
	// stored before (a replay), which keeps its id and state. Each event's ID is set by the
	// caller, in arrival order.
	AppendProviderEvents(ctx context.Context, evs []ProviderEvent) ([]ProviderEvent, error)
	// ClaimProviderEvents returns, oldest first, at most limit events to apply now: pending, or
	// failed and due again at now, and each the first not applied of its object. Until the
	// transaction ends they are the caller's: another server instance claiming at the same time
	// passes over them and over the later events of their objects.
	ClaimProviderEvents(ctx context.Context, now time.Time, limit int) ([]ProviderEvent, error)
	// SettleProviderEvents writes what became of events stored before, in one statement: each
	// one's state, its dispute, whether it changed anything, its outcome, its error and next
	// attempt. ErrNotFound when one of them was never stored (and none is written).
	SettleProviderEvents(ctx context.Context, evs []ProviderEvent) error
	// RetryProviderEvent makes a failed event pending again, to be applied at once; ErrNotFound
	// when there is no such event, ErrConflict when it is not failed.
	RetryProviderEvent(ctx context.Context, id string) error
	// AwaitPayment keeps the event of provider with eventID, a refund of a payment not recorded
	// yet, waiting under each of the payment's references refs ("" is passed over), until
	// StopAwaitingPayment; waiting already, it changes nothing.
	AwaitPayment(ctx context.Context, provider, eventID string, refs ...string) error
	// StopAwaitingPayment ends the event's wait under all its references.
	StopAwaitingPayment(ctx context.Context, provider, eventID string) error
}

// The states of a stored provider event.
const (
	EventPending = "pending" // stored and acknowledged, not applied yet
	EventApplied = "applied" // applied (or found to say nothing new): done
	EventFailed  = "failed"  // applying it failed: kept with its error, tried again at NextAttemptAt
)

// ProviderEventFilter selects stored provider events; empty fields do not filter.
type ProviderEventFilter struct {
	Page
	State    string
	Provider string
}

// InboxStats is the inbox's backlog.
type InboxStats struct {
	Pending, Failed int64
	OldestPending   time.Time // when the oldest pending event arrived; zero when none is
}

// Provider is a configured payment provider (see internal/provider).
type Provider struct {
	Name          string
	Type          string
	WebhookSecret string
	APIKey        string
	APIBase       string
	WebhookID     string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// ProviderEvent is one verified notification from a provider, kept with its raw payload.
type ProviderEvent struct {
	ID          string // pev_…, in arrival order
	Provider    string
	EventID     string
	Type        string
	DisputeID   string
	HappenedAt  time.Time // when the provider created it; zero when it does not say
	ReceivedAt  time.Time
	Object      string // what it is about (provider.Event.Object): its object's events apply in order
	State       string // EventPending, EventApplied or EventFailed
	Applied     bool   // it changed something: false when it said nothing new, or arrived after a newer one
	Outcome     string // what it did, for people
	Payload     []byte
	Attempts    int       // how many times applying it was tried
	Error       string    // why the last attempt failed
	NextAttempt time.Time // failed: when it is tried again
	AppliedAt   time.Time // applied: when
}
