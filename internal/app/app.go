// Package app holds the use cases of disputes, orders and money (those of users, sessions and API
// keys are internal/access's): one method per user action. Each loads what it needs, asks
// the domain rules (internal/dispute, internal/order) what the action does, and writes the
// change together with its timeline entry and its events in one database transaction. It is the
// only place that ties those rules to I/O.
package app

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"disputed/internal/id"
	"disputed/internal/provider"
	"disputed/internal/store"
)

// Presenter renders objects the way the API shows them, so that an event carries the same JSON
// a client would have read at that moment.
type Presenter interface {
	Event(v any) ([]byte, error)
}

// App runs the use cases against a store.
type App struct {
	store    store.Store
	now      func() time.Time
	ids      *id.Generator
	log      *slog.Logger
	present  Presenter
	outbound *http.Client
	mailer   Mailer
	adapters adapters
	// providers are the provider types that can be configured, registered by main.
	providers *provider.Registry
	// publicURL is where people reach the server, without a trailing slash; "" when unknown.
	publicURL string

	// inbox stores provider events as they arrive, in groups; inboxWake tells the appliers
	// (InboxApplier) that it did; inboxObserver is told what they applied (Options.Inbox).
	inbox         inboxAppender
	inboxWake     chan struct{}
	inboxObserver InboxObserver
	parsed        parsedEvents
	// receiving counts the notifications being received: one alone is applied before its answer,
	// unless deferApplying or the appliers are draining a backlog (draining).
	receiving     atomic.Int64
	draining      atomic.Bool
	deferApplying bool

	// costlyLists counts each caller's dispute lists in flight whose filters no index narrows.
	costlyLists listsInFlight

	// programs are the rules' compiled expressions.
	programs programs
	// outcomes are the merchant's decided disputes counted by kind, for the recommendations.
	outcomes outcomeCounts
	// exportPage is how many rows an export reads per query (Options.ExportPage).
	exportPage int
	// listReadAtMost is the most rows a list reads (Options.ListReadAtMost).
	listReadAtMost int
}

// Options configure an App. Zero values pick the defaults: the real clock and a discarding logger.
type Options struct {
	Now       func() time.Time
	Logger    *slog.Logger
	Presenter Presenter
	// Outbound makes the calls to panels; nil means http.DefaultClient.
	Outbound *http.Client
	// Mailer sends customer emails; nil means none is configured, and emails are recorded as
	// not sent.
	Mailer Mailer
	// Providers are the provider types that can be configured; nil means none: every provider
	// configuration is refused, and webhooks with it.
	Providers *provider.Registry
	// PublicURL is where people reach the server (DISPUTED_PUBLIC_URL), for links in emails to
	// admins; "" leaves the links as paths on the server.
	PublicURL string
	// ExportPage is how many rows an export (ExportDisputes) reads per query, the most it holds
	// in memory; 0 means 1,000.
	ExportPage int
	// ListReadAtMost is the most rows a list reads along an index to fill its page, and the
	// deepest a list read by offset starts (OffsetWithin); 0 means listReadAtMost.
	ListReadAtMost int
	// Inbox is told of each provider event applied or failed; nil tells nobody.
	Inbox InboxObserver
	// DeferApplying leaves every provider event to the appliers, even one that arrives alone
	// (which is otherwise applied before its answer): for tests that watch the inbox's states.
	DeferApplying bool
}

// New returns an App.
func New(s store.Store, o Options) *App {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Outbound == nil {
		o.Outbound = http.DefaultClient
	}
	if o.ExportPage <= 0 {
		o.ExportPage = 1000
	}
	if o.ListReadAtMost <= 0 {
		o.ListReadAtMost = listReadAtMost
	}
	a := &App{exportPage: o.ExportPage, listReadAtMost: o.ListReadAtMost, store: s, now: o.Now, ids: id.NewGenerator(o.Now), log: o.Logger, present: o.Presenter,
		outbound: o.Outbound, mailer: o.Mailer, providers: o.Providers, publicURL: strings.TrimSuffix(o.PublicURL, "/")}
	a.inboxWake, a.inboxObserver, a.deferApplying = make(chan struct{}, 1), o.Inbox, o.DeferApplying
	a.inbox = inboxAppender{store: s, ids: a.ids, appended: a.inboxAppended}
	return a
}

// inboxAppended is told that a group of events was committed to the inbox: the observer counts
// it and the appliers have work.
func (a *App) inboxAppended(events int, wake bool) {
	if a.inboxObserver != nil {
		a.inboxObserver.Appended(events)
	}
	if wake {
		a.wakeAppliers()
	}
}

// wakeAppliers tells the appliers that events were appended; a signal already waiting is enough.
func (a *App) wakeAppliers() {
	select {
	case a.inboxWake <- struct{}{}:
	default:
	}
}

// clock returns the current time at the precision the store keeps, so that what a use case
// returns equals what a later read returns.
func (a *App) clock() time.Time { return store.AtPrecision(a.now()) }

// write runs fn in one transaction, a unit of work that ends with an order.updated for each order
// it changed (updatingOrders). When the caller did not pin a revision, a lost race against
// another writer (store.ErrConflict) is retried on fresh data, a few times, so that a client that
// did not ask for optimistic concurrency never sees it.
func (a *App) write(ctx context.Context, retry bool, fn func(tx store.Tx, now time.Time) error) error {
	return store.Retry(ctx, a.store, retry, a.now, func(tx store.Tx, now time.Time) error {
		return a.updatingOrders(ctx, tx, now, func(tx store.Tx) error { return fn(tx, now) })
	})
}
