// Package store declares how disputed keeps its data: one reader and one writer interface per
// aggregate (each in the file named for it), the Store, Reader and Tx that unite them and that the
// SQLite and PostgreSQL implementations satisfy (and the storetest suite checks), the records that
// have no rules of their own, the list filters, and the sentinel errors callers branch on. A
// consumer that needs a few of them declares the small interface it uses, built of these.
package store

import (
	"context"
	"errors"
	"time"
)

// ErrNotFound means no row matched. Callers branch on it; a getter never returns a zero value
// with a nil error.
var ErrNotFound = errors.New("not found")

// ErrConflict means the write lost to another one: a stale revision, a duplicate unique value
// (a second open dispute on an order, an idempotency key in use, a block-list entry already there).
var ErrConflict = errors.New("conflict")

// ErrHeldRows wraps the failure of the rows a transaction held to insert at its commit (the
// timeline's and the events': InsertTimeline, InsertEvent): the commit cannot tell whose they
// were. A caller that runs several units of work in one transaction, and keeps one's failure
// from undoing the others, runs them again each in a savepoint, which inserts the rows its
// unit held before it ends.
var ErrHeldRows = errors.New("the rows held for the commit were refused")

// ErrSecretKey means the server's secret key does not open the secrets kept in the database:
// it was started with another key than the one they were sealed under.
var ErrSecretKey = errors.New("the secret key does not open this database's secrets")

// Store is the database. Reads outside a transaction go to the read pool; every change runs in
// Tx so that the change, its timeline entry, its events and its jobs commit together.
type Store interface {
	Reader
	Transactor
	// Writers is how many write transactions can make progress at the same moment: one on
	// SQLite, which writes through one connection; the pool's size on PostgreSQL.
	Writers() int
	Pinger
	// SealSecrets seals, in one transaction, every secret kept in plain text (from before
	// secrets were sealed) and every one sealed under a key other than the sealing key, and
	// checks that each of them opens. The secrets of providers, panels and webhook endpoints are
	// sealed as they are written and opened as they are read: callers only see plain text.
	SealSecrets(ctx context.Context) (SealReport, error)
	// DeriveKeys returns keys for purpose derived from the keys that seal the secrets, the
	// sealing key's first (secretbox.Ring.Derive): they rotate with it.
	DeriveKeys(purpose string) [][]byte
	Close() error
}

// Transactor runs write transactions. The transaction is the whole Tx, not one aggregate's
// writer: a use case writes its change, its timeline entry, its events and its jobs together.
type Transactor interface {
	// Tx runs fn in one write transaction; an error from fn (or a panic) rolls everything back.
	Tx(ctx context.Context, fn func(Tx) error) error
}

// Pinger checks that the database answers (the readiness check).
type Pinger interface {
	Ping(ctx context.Context) error
}

// SealReport counts what SealSecrets did.
type SealReport struct {
	Sealed   int // secrets found in plain text, now sealed
	Resealed int // secrets sealed under an older key, now under the sealing key
}

// Reader is every query: the readers of all the aggregates.
type Reader interface {
	CustomerReader
	OrderReader
	ActivityReader
	TransactionReader
	DisputeReader
	DashboardReader
	EvidenceReader
	TimelineReader
	EventReader
	WebhookReader
	JobReader
	AccessReader
	IdempotencyReader
	SettingsReader
	ProviderReader
	PanelReader
	EmailReader
	BlockReader
	RuleReader
	AppReader
	ExchangeRateReader
	OutcomeReader
	MonitoringReader
}

// Tx is a write transaction: every query, and the writes of all the aggregates.
type Tx interface {
	Reader
	CustomerWriter
	OrderWriter
	ActivityWriter
	TransactionWriter
	DisputeWriter
	EvidenceWriter
	TimelineWriter
	EventWriter
	WebhookWriter
	JobWriter
	AccessWriter
	IdempotencyWriter
	SettingsWriter
	ProviderWriter
	PanelWriter
	EmailWriter
	BlockWriter
	RuleWriter
	AppWriter
	ExchangeRateWriter
	MonitoringWriter

	// Savepoint runs fn inside a savepoint: when fn returns an error, what it wrote is undone,
	// the transaction goes on without it, and the error is returned. The rows fn held for the
	// commit (InsertTimeline, InsertEvent) are inserted before the savepoint ends: their
	// failure is fn's.
	Savepoint(ctx context.Context, fn func() error) error

	// LockReferences holds, until the transaction ends, a lock on each of a payment's provider
	// references given ("" is passed over): two transactions that each look up what the other
	// records about one payment (its charge recorded while its dispute opens, by two instances)
	// run one after the other, so that the second sees what the first wrote. A store with one
	// writer runs its write transactions one at a time already.
	LockReferences(ctx context.Context, refs ...string) error

	// ReadRowsAhead reads, in a few statements, the rows that reads by key will ask for in the
	// rest of the transaction (GetOrder, LinesOfOrder, GetTransaction, ChildTransactions,
	// GetCustomer, NewestCustomerID, FindTransaction, FindDisputeByProvider with
	// LastProviderEventAt), and which of the keys have nothing to find (those reads, and
	// DisputesAwaitingCharge, RefundsAwaitingPayment, OpenDisputeOfOrder), which then cost no statement: a batch of
	// jobs or inbox events reads its rows at once instead of a few per job or event. A write
	// through the transaction forgets what it changes.
	ReadRowsAhead(ctx context.Context, keys RowKeys) error
}

// RowKeys name the rows ReadRowsAhead reads: orders, transactions and customers by id, the
// customers by email or external id (NewestCustomerID), the lines of orders and the children
// of transactions by their order's and parent's ids, the transactions with a provider's
// reference (FindTransaction, of any provider; and then GetTransaction of their ids), the
// references of charges whose waiting disputes and refunds are looked for
// (DisputesAwaitingCharge, RefundsAwaitingPayment), the
// orders whose open dispute is (OpenDisputeOfOrder), and the provider's cases whose disputes
// are (FindDisputeByProvider).
type RowKeys struct {
	Orders, Transactions, Customers []string
	CustomerKeys                    []CustomerKey
	LinesOfOrders, ChildrenOf       []string
	References                      []string
	AwaitingCharges                 []ProviderReference
	OpenDisputesOf                  []string
	ProviderCases                   []ProviderReference // disputes by the provider's id of the case
}

// ProviderReference is a provider's id of a payment, with the provider's name.
type ProviderReference struct {
	Provider, Reference string
}

// Page is keyset pagination: rows strictly after the cursor (created_at, id) in descending order,
// or Offset rows skipped for the older page/per_page style. Limit is the page size; the store
// returns up to Limit+1 rows so the caller can tell whether there is more. A Limit of zero or
// less means no limit (internal callers only: the API always sets one).
type Page struct {
	Limit        int
	AfterCreated time.Time // zero: from the newest
	AfterID      string
	Offset       int
}

// Created bounds a list by creation time: After <= created_at < Before; a zero bound does not
// bound.
type Created struct {
	After, Before time.Time
}
