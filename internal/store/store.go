// Package store declares how disputed keeps its data: the Store interface that the SQLite and
// PostgreSQL implementations satisfy (and the storetest suite checks), the records that have no
// rules of their own, the list filters, and the sentinel errors callers branch on.
package store

import (
	"context"
	"errors"
	"time"

	"disputed/internal/dispute"
	"disputed/internal/money"
	"disputed/internal/order"
)

// ErrNotFound means no row matched. Callers branch on it; a getter never returns a zero value
// with a nil error.
var ErrNotFound = errors.New("not found")

// ErrConflict means the write lost to another one: a stale revision, a duplicate unique value
// (a second open dispute on an order, an idempotency key in use, a block-list entry already there).
var ErrConflict = errors.New("conflict")

// ErrSecretKey means the server's secret key does not open the secrets kept in the database:
// it was started with another key than the one they were sealed under.
var ErrSecretKey = errors.New("the secret key does not open this database's secrets")

// Store is the database. Reads outside a transaction go to the read pool; every change runs in
// Tx so that the change, its timeline entry, its events and its jobs commit together.
type Store interface {
	Reader
	// Tx runs fn in one write transaction; an error from fn (or a panic) rolls everything back.
	Tx(ctx context.Context, fn func(Tx) error) error
	// Writers is how many write transactions can make progress at the same moment: one on
	// SQLite, which writes through one connection; the pool's size on PostgreSQL.
	Writers() int
	// Ping checks that the database answers.
	Ping(ctx context.Context) error
	// SealSecrets seals, in one transaction, every secret kept in plain text (from before
	// secrets were sealed) and every one sealed under a key other than the sealing key, and
	// checks that each of them opens. The secrets of providers, panels and webhook endpoints are
	// sealed as they are written and opened as they are read: callers only see plain text.
	SealSecrets(ctx context.Context) (SealReport, error)
	Close() error
}

// SealReport counts what SealSecrets did.
type SealReport struct {
	Sealed   int // secrets found in plain text, now sealed
	Resealed int // secrets sealed under an older key, now under the sealing key
}

// Reader is every query.
type Reader interface {
	GetCustomer(ctx context.Context, id string) (Customer, error)
	// ListCustomers returns a page of customers, newest first.
	ListCustomers(ctx context.Context, f CustomerFilter) ([]Customer, error)

	GetOrder(ctx context.Context, id string) (order.Order, error)
	ListOrders(ctx context.Context, f OrderFilter) ([]order.Order, error)
	// LinesOfOrder returns the order's lines in item order.
	LinesOfOrder(ctx context.Context, orderID string) ([]order.Line, error)
	GetLine(ctx context.Context, id string) (order.Line, error)

	GetTransaction(ctx context.Context, id string) (order.Transaction, error)
	// ListTransactions returns a page of transactions, newest first.
	ListTransactions(ctx context.Context, f TransactionFilter) ([]order.Transaction, error)
	// FindTransaction returns the transaction with that provider reference (any provider when
	// provider is ""), or ErrNotFound.
	FindTransaction(ctx context.Context, provider, reference string) (order.Transaction, error)
	// FindTransactionByARN returns the capturing transaction with that acquirer reference number.
	FindTransactionByARN(ctx context.Context, arn string) (order.Transaction, error)
	// ChildTransactions returns the refunds, captures, voids and chargebacks of a transaction, oldest first.
	ChildTransactions(ctx context.Context, parentID string) ([]order.Transaction, error)
	// TransactionsOfOrder returns the order's transactions, oldest first.
	TransactionsOfOrder(ctx context.Context, orderID string) ([]order.Transaction, error)

	GetDispute(ctx context.Context, id string) (dispute.Dispute, error)
	// OpenDisputeOfOrder returns the order's open dispute, or ErrNotFound.
	OpenDisputeOfOrder(ctx context.Context, orderID string) (dispute.Dispute, error)
	ListDisputes(ctx context.Context, f DisputeFilter) ([]dispute.Dispute, error)
	// ListEvidence returns a page of a dispute's evidence items, oldest first: the items after
	// f's cursor in that order (or f.Offset skipped), up to f.Limit+1.
	ListEvidence(ctx context.Context, f EvidenceFilter) ([]dispute.EvidenceItem, error)
	// EvidenceUsage is how many items, and how many bytes (dispute.EvidenceItem.Bytes), each
	// party added to the dispute's evidence; a party that added none is absent.
	EvidenceUsage(ctx context.Context, disputeID string) (dispute.EvidenceUsage, error)
	// GetEvidenceFile returns an evidence item with the bytes of its file.
	GetEvidenceFile(ctx context.Context, itemID string) (dispute.EvidenceItem, []byte, error)

	ListTimeline(ctx context.Context, f TimelineFilter) ([]TimelineEntry, error)
	ListNotes(ctx context.Context, disputeID string) ([]Note, error)

	GetEvent(ctx context.Context, id string) (Event, error)
	ListEvents(ctx context.Context, f EventFilter) ([]Event, error)

	ListBlocks(ctx context.Context, f BlockFilter) ([]Block, error)
	// FindBlock returns the entry for kind and value, or ErrNotFound.
	FindBlock(ctx context.Context, kind, value string) (Block, error)

	GetAPIKey(ctx context.Context, id string) (APIKey, error)
	// GetAPIKeyByHash returns the key whose secret hashes to hash, revoked or not, or ErrNotFound.
	GetAPIKeyByHash(ctx context.Context, hash string) (APIKey, error)
	// ListAPIKeys returns every key, revoked ones included, newest first, keyset-paginated like
	// the other lists.
	ListAPIKeys(ctx context.Context, p Page) ([]APIKey, error)
	GetIdempotency(ctx context.Context, keyID, key string) (Idempotency, error)
	// GetSettings returns the merchant settings, or the defaults when none were saved.
	GetSettings(ctx context.Context) (Settings, error)

	GetPanel(ctx context.Context, name string) (Panel, error)
	// ListPanels returns the registered panels by name.
	ListPanels(ctx context.Context) ([]Panel, error)
	// PanelInUse reports whether a line that is not terminated names the panel.
	PanelInUse(ctx context.Context, name string) (bool, error)

	GetProvider(ctx context.Context, name string) (Provider, error)
	// ListProviders returns the configured providers by name.
	ListProviders(ctx context.Context) ([]Provider, error)
	GetProviderEvent(ctx context.Context, provider, eventID string) (ProviderEvent, error)
	// LastProviderEventAt is when the newest applied provider event about the dispute happened;
	// zero when there is none.
	LastProviderEventAt(ctx context.Context, disputeID string) (time.Time, error)
	// FindDisputeByProvider returns the dispute for a provider's case id, or ErrNotFound.
	FindDisputeByProvider(ctx context.Context, provider, providerDisputeID string) (dispute.Dispute, error)

	GetWebhookEndpoint(ctx context.Context, id string) (WebhookEndpoint, error)
	// ListWebhookEndpoints returns every endpoint, newest first (there are few).
	ListWebhookEndpoints(ctx context.Context) ([]WebhookEndpoint, error)
	GetWebhookDelivery(ctx context.Context, id string) (WebhookDelivery, error)
	// ListWebhookDeliveries returns an endpoint's deliveries, newest first, keyset-paginated.
	ListWebhookDeliveries(ctx context.Context, f DeliveryFilter) ([]WebhookDelivery, error)
	// ListWebhookAttempts returns a delivery's attempts, oldest first.
	ListWebhookAttempts(ctx context.Context, deliveryID string) ([]WebhookAttempt, error)

	GetUser(ctx context.Context, id string) (User, error)
	// GetUserByEmail finds a user by email, which the store keeps lower-cased.
	GetUserByEmail(ctx context.Context, email string) (User, error)
	CountUsersWithRole(ctx context.Context, role string) (int, error)
	// ListUsers returns every user by email.
	ListUsers(ctx context.Context) ([]User, error)
	GetSession(ctx context.Context, id string) (Session, error)
	// GetSignInFailures returns the failed sign-ins of email from address, or ErrNotFound.
	GetSignInFailures(ctx context.Context, email, address string) (SignInFailures, error)
	// ListSignInLocks returns up to limit (email, address) pairs locked at now, the longest
	// locked first.
	ListSignInLocks(ctx context.Context, now time.Time, limit int) ([]SignInFailures, error)
	// SetupTokenExists reports whether a setup token with that hash is waiting to be used.
	SetupTokenExists(ctx context.Context, hash string) (bool, error)

	GetEmail(ctx context.Context, id string) (Email, error)
	// ListEmails returns one dispute's or one order's emails, oldest first.
	ListEmails(ctx context.Context, f EmailFilter) ([]Email, error)

	// SearchDisputes is the admin UI's dispute list: up to f.Limit+1 disputes (all of them when
	// f.Limit is 0 or less) after skipping f.Offset, in f.Sort's order.
	SearchDisputes(ctx context.Context, f DisputeSearch) ([]dispute.Dispute, error)
	// DisputeSummaries returns, in one statement, who the customer is and what was bought for
	// each of the disputes with these ids (a page of a list: at most maxSummaries), in no order;
	// an id that names no dispute is left out.
	DisputeSummaries(ctx context.Context, ids []string) ([]DisputeSummary, error)
	// OpenDisputeStats counts the open disputes per type, status and currency, with their amount
	// and how many are due by when, against now.
	OpenDisputeStats(ctx context.Context, now time.Time) ([]OpenDisputeStat, error)
	// DisputeOutcomes counts the disputes that ended (resolved_at) at or after since, per type,
	// status and resolution.
	DisputeOutcomes(ctx context.Context, since time.Time) ([]OutcomeCount, error)
	// ManualLines returns up to limit lines whose pending action waits for an admin, longest
	// waiting (oldest updated_at) first.
	ManualLines(ctx context.Context, limit int) ([]order.Line, error)
	// FailedSubmissions returns up to limit open disputes whose answer failed to reach their
	// provider (submission state failed), longest waiting first, and how many there are in all.
	FailedSubmissions(ctx context.Context, limit int) ([]dispute.Dispute, int64, error)

	GetJob(ctx context.Context, id string) (Job, error)
	// ListJobs returns jobs newest first (created_at DESC, id DESC), keyset-paginated like the other lists.
	ListJobs(ctx context.Context, f JobFilter) ([]Job, error)
	// NextJobAt returns the earliest time a job of one of the kinds becomes claimable (a scheduled
	// job's run_at, a running job's lease_until), or the zero time when there is none.
	NextJobAt(ctx context.Context, kinds []string) (time.Time, error)
}

// Tx is a write transaction: every query, and the writes.
type Tx interface {
	Reader

	// Savepoint runs fn inside a savepoint: when fn returns an error, what it wrote is undone,
	// the transaction goes on without it, and the error is returned.
	Savepoint(ctx context.Context, fn func() error) error

	InsertCustomer(ctx context.Context, c Customer) error

	InsertOrder(ctx context.Context, o order.Order) error
	// UpdateOrder writes o if the stored revision is still o.Revision and increments it;
	// otherwise ErrConflict and nothing is written.
	UpdateOrder(ctx context.Context, o order.Order) error
	InsertLine(ctx context.Context, l order.Line) error
	// UpdateLine writes l if the stored revision is still l.Revision and increments it;
	// otherwise ErrConflict.
	UpdateLine(ctx context.Context, l order.Line) error

	// InsertPanel returns ErrConflict when the name is taken.
	InsertPanel(ctx context.Context, p Panel) error
	DeletePanel(ctx context.Context, name string) error

	// SaveProvider writes a provider's configuration, replacing the one of the same name.
	SaveProvider(ctx context.Context, p Provider) error
	// InsertProvider returns ErrConflict when the name is taken.
	InsertProvider(ctx context.Context, p Provider) error
	DeleteProvider(ctx context.Context, name string) error
	// InsertProviderEvent returns ErrConflict when the provider's event id was seen before.
	InsertProviderEvent(ctx context.Context, e ProviderEvent) error
	// SettleProviderEvent writes what became of an event inserted before: its dispute, whether
	// it was applied, its outcome.
	SettleProviderEvent(ctx context.Context, e ProviderEvent) error

	InsertWebhookEndpoint(ctx context.Context, e WebhookEndpoint) error
	UpdateWebhookEndpoint(ctx context.Context, e WebhookEndpoint) error
	DeleteWebhookEndpoint(ctx context.Context, id string) error
	// CountWebhookOutcome records how an attempt to the endpoint ended, in one statement: a
	// success ends the run of failures; a failure lengthens it and, when the run reaches the
	// endpoint's DisableAfter, disables it with reason. It reports whether the endpoint is still
	// enabled; ErrNotFound when there is no such endpoint.
	CountWebhookOutcome(ctx context.Context, id string, ok bool, reason string, now time.Time) (bool, error)
	InsertWebhookDelivery(ctx context.Context, d WebhookDelivery) error
	UpdateWebhookDelivery(ctx context.Context, d WebhookDelivery) error
	InsertWebhookAttempt(ctx context.Context, a WebhookAttempt) error

	// InsertUser returns ErrConflict when the email is taken.
	InsertUser(ctx context.Context, u User) error
	UpdateUser(ctx context.Context, u User) error
	// DeleteUser returns ErrNotFound when there is no such user; its sessions are left to
	// DeleteSessionsOfUser.
	DeleteUser(ctx context.Context, id string) error
	InsertSession(ctx context.Context, s Session) error
	DeleteSession(ctx context.Context, id string) error
	// DeleteSessionsOfUser signs a user out everywhere, and says how many sessions ended.
	DeleteSessionsOfUser(ctx context.Context, userID string) (int, error)

	// CountSignInAttempt counts one more attempt of email from address, before its password is
	// checked, and returns the count as it is now. When the pair is locked at now (LockedUntil
	// after now), nothing is counted and it returns ErrConflict. Concurrent attempts are counted
	// one after the other.
	CountSignInAttempt(ctx context.Context, email, address string, now time.Time) (SignInFailures, error)
	// LockSignIn refuses the attempts of email from address until the time.
	LockSignIn(ctx context.Context, email, address string, until time.Time) error
	// ClearSignInFailures forgets the attempts of email from address (a success).
	ClearSignInFailures(ctx context.Context, email, address string) error
	// PurgeSignInFailures deletes the pairs neither tried nor locked since the time, and says
	// how many.
	PurgeSignInFailures(ctx context.Context, before time.Time) (int, error)
	// InsertSetupToken keeps the hash of a setup token.
	InsertSetupToken(ctx context.Context, hash string, createdAt time.Time) error
	// DeleteSetupTokens deletes every setup token (the first admin exists).
	DeleteSetupTokens(ctx context.Context) error
	// PurgeSessions deletes the sessions that expired before the time, and says how many.
	PurgeSessions(ctx context.Context, before time.Time) (int, error)

	InsertEmail(ctx context.Context, e Email) error
	// UpdateEmail writes what became of an email: From, State, Reason, Attempts, UpdatedAt, SentAt.
	UpdateEmail(ctx context.Context, e Email) error

	InsertTransaction(ctx context.Context, t order.Transaction) error
	// AdjustTransaction adds d to the running amounts of transaction id in one atomic statement.
	// It refuses (ErrConflict, nothing written) a result where refunds plus withdrawals exceed the
	// amount, captures exceed it, any running amount is negative, or an already voided
	// authorization is voided again: the database, not only the caller, keeps money from being
	// invented, even under concurrent writers.
	AdjustTransaction(ctx context.Context, id string, d Adjustment) error

	// InsertDispute returns ErrConflict when the order already has an open dispute.
	InsertDispute(ctx context.Context, d dispute.Dispute) error
	// UpdateDispute writes d over prev, the dispute as read in this transaction, if the stored
	// revision is still prev.Revision; otherwise it returns ErrConflict and writes nothing.
	// d.Revision is the new revision. Only what differs from prev is written, so prev must be
	// what was read, not a dispute built by hand.
	UpdateDispute(ctx context.Context, d dispute.Dispute, prev dispute.Dispute) error
	InsertEvidence(ctx context.Context, it dispute.EvidenceItem, file []byte) error

	InsertTimeline(ctx context.Context, e TimelineEntry) error
	InsertNote(ctx context.Context, n Note) error
	InsertEvent(ctx context.Context, e Event) error

	// InsertBlock returns ErrConflict when kind and value are already blocked.
	InsertBlock(ctx context.Context, b Block) error
	DeleteBlock(ctx context.Context, id string) error

	InsertAPIKey(ctx context.Context, k APIKey) error
	// RevokeAPIKey records that the key was revoked at that time by that actor. ErrNotFound when
	// there is no such key; ErrConflict when it is revoked already (the first revocation stands).
	RevokeAPIKey(ctx context.Context, id string, at time.Time, by string) error
	// InsertIdempotency claims a key; ErrConflict when it is already claimed.
	InsertIdempotency(ctx context.Context, r Idempotency) error
	// CompleteIdempotency stores the response of a claimed key; ErrNotFound when the key is not
	// held by r.Claim (never claimed, or taken over).
	CompleteIdempotency(ctx context.Context, r Idempotency) error
	// DeleteIdempotency releases r's claim; ErrNotFound when the key is not held by r.Claim.
	DeleteIdempotency(ctx context.Context, r Idempotency) error
	// TakeOverIdempotency gives the key to r.Claim (claimed again at r.CreatedAt) when the claim
	// holding it was made before abandonedBefore and neither finished nor committed a change: the
	// request that made it died. ErrNotFound when the key is not in that state.
	TakeOverIdempotency(ctx context.Context, r Idempotency, abandonedBefore time.Time) error
	// PurgeIdempotency deletes keys created before the given time and reports how many.
	PurgeIdempotency(ctx context.Context, before time.Time) (int64, error)

	SaveSettings(ctx context.Context, s Settings) error

	// ScheduleJob inserts j (state scheduled). When j.Key is set and a scheduled job with that key
	// already exists, that job is moved instead: its kind, subject, args, run_at and max_attempts
	// become j's and its attempts and last error are reset; at most one scheduled job exists per
	// key. A job with the key that is running (or done, dead, cancelled) is left alone, and j is
	// inserted beside it: the running one gives way when it would be scheduled again (see
	// FinishJob and ReleaseJob). It returns the job as stored (the existing id when it moved one).
	ScheduleJob(ctx context.Context, j Job) (Job, error)
	// CancelJobs sets the scheduled jobs of subject to cancelled (finished at now) and reports
	// how many; running jobs are left to finish (their handlers re-check the facts). An empty
	// subject is refused with an error.
	CancelJobs(ctx context.Context, subject string, now time.Time) (int64, error)
	// ClaimJobs leases up to p.Limit jobs of p.Kinds that are due (scheduled with run_at <= now) or
	// abandoned (running with lease_until <= now), oldest run_at first: state running, attempts+1,
	// lease_until now+lease, locked_by p.Runner. Two claimers never get the same job: PostgreSQL
	// skips rows another transaction holds (FOR UPDATE SKIP LOCKED); SQLite has one writer.
	ClaimJobs(ctx context.Context, p ClaimParams) ([]Job, error)
	// FinishJob ends one claim: done when p.Err is "", otherwise failed — scheduled again at
	// p.RetryAt, or dead when p.Dead. ErrConflict (nothing written) when the job is no longer held
	// by this claim (runner and attempt), so a worker whose lease expired cannot finish it. When
	// its key was scheduled again while it ran (another scheduled job holds the key now), a failed
	// job that is not dead is not scheduled again but cancelled, keeping p.Err as its last error:
	// the newer job supersedes it.
	FinishJob(ctx context.Context, p FinishParams) error
	// ReleaseJob hands a claimed job back unrun (graceful shutdown): scheduled at now, the attempt
	// not counted. ErrConflict when the claim is no longer held. When another scheduled job holds
	// its key by now, the job is cancelled instead (the attempt still not counted, its last
	// error kept).
	ReleaseJob(ctx context.Context, id, runner string, attempt int, now time.Time) error
	// PurgeJobs deletes done and cancelled jobs that finished before the given time and reports
	// how many; dead jobs stay until they are retried.
	PurgeJobs(ctx context.Context, before time.Time) (int64, error)
	// RetryJob makes a dead job scheduled again at now with attempts reset, keeping its last
	// error. ErrNotFound when there is no such job, ErrConflict when it is not dead or when
	// another scheduled job holds its key (the job stays dead).
	RetryJob(ctx context.Context, id string, now time.Time) (Job, error)
}

// Job states.
const (
	JobScheduled = "scheduled"
	JobRunning   = "running"
	JobDone      = "done"
	JobDead      = "dead"
	JobCancelled = "cancelled"
)

// Job is a unit of background work, kept in the same database as the data so that it is enqueued
// in the same transaction as the change that causes it.
type Job struct {
	ID          string
	Kind        string
	Key         string // optional; at most one scheduled job per key
	Subject     string // what the job is about (e.g. a dispute id); CancelJobs cancels by it
	Args        []byte // JSON
	State       string
	RunAt       time.Time
	Attempts    int // claims so far
	MaxAttempts int
	LastError   string
	LeaseUntil  time.Time // zero unless running
	LockedBy    string    // the runner holding the lease
	CreatedAt   time.Time
	UpdatedAt   time.Time
	FinishedAt  time.Time // zero until done, dead or cancelled
}

// ClaimParams lease due jobs to a runner.
type ClaimParams struct {
	Runner string
	Kinds  []string
	Now    time.Time
	Lease  time.Duration
	Limit  int
}

// FinishParams end a claim.
type FinishParams struct {
	ID      string
	Runner  string
	Attempt int
	Now     time.Time
	Err     string    // "" for success
	RetryAt time.Time // when to run again after a failure
	Dead    bool      // no attempts left: park it
}

// JobFilter selects jobs.
type JobFilter struct {
	Page
	State string
	Kind  string
}

// Adjustment is a change to a transaction's running amounts.
type Adjustment struct {
	Refunded  int64
	Withdrawn int64 // negative for a reversal
	Captured  int64
	Void      bool
	At        time.Time // the transaction's new updated_at (never moved back; zero leaves it)
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

// Created bounds a list by creation time: After <= created_at < Before; a zero bound does not
// bound.
type Created struct {
	After, Before time.Time
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

// TransactionFilter selects transactions; empty fields do not filter.
type TransactionFilter struct {
	Page
	Created
	OrderID           string
	CustomerID        string
	Kind              string
	Provider          string
	ProviderReference string
	// PartyCustomer and PartyVendor limit the list to a portal party's own transactions,
	// whatever else it asks for, as for orders.
	PartyCustomer string
	PartyVendor   string
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
	DueBefore     time.Time
	Tag           string
	Query         string // matched case-insensitively against id, reason, case number, ARN, provider dispute id, external reference and description
	// PartyCustomer and PartyVendor limit the list to a portal party's own disputes, whatever
	// else it asks for: a buyer's, where it is the customer; a vendor's, where it is the vendor.
	PartyCustomer string
	PartyVendor   string
	// ExtendedFields match the disputes whose extended field of each name has exactly that value.
	ExtendedFields dispute.ExtendedFields
}

// DisputeSearch selects disputes for the admin UI's list; empty fields do not filter.
type DisputeSearch struct {
	Status   string
	Type     string
	Provider string
	Tag      string
	// Query is matched case-insensitively like DisputeFilter.Query, and also against the order
	// id, the customer's email and name, and the disputed charge's id and provider reference (the
	// provider's charge id).
	Query     string
	OpenOnly  bool
	DueAfter  time.Time // due_by >= DueAfter
	DueBefore time.Time // due_by < DueBefore
	// Sort is the order: "" newest first, "oldest" oldest first, "due" soonest due date first
	// (disputes without one last), "amount" largest amount first; ties newest first.
	Sort   string
	Limit  int
	Offset int
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

// Dispute list orders (DisputeSearch.Sort).
const (
	SortNewest = ""
	SortOldest = "oldest"
	SortDue    = "due"
	SortAmount = "amount"
)

// OpenDisputeStat is the open disputes of one type, status and currency.
type OpenDisputeStat struct {
	Type     string
	Status   string
	Currency string
	Count    int64
	Amount   money.Total // the sum of their amounts, in minor units of Currency
	Overdue  int64       // due_by <= now
	Due24    int64       // now < due_by < now+24h
	Due72    int64       // now+24h <= due_by < now+72h
}

// OutcomeCount is how many ended disputes share a type, status and resolution.
type OutcomeCount struct {
	Type       string
	Status     string
	Resolution string
	Count      int64
}

// EvidenceFilter selects a page of one dispute's evidence items. Unlike the other lists, it is
// read oldest first: Page's cursor is the last item of the previous page.
type EvidenceFilter struct {
	Page
	DisputeID string
}

// TimelineFilter selects one dispute's, one order's or one line's history (oldest first).
type TimelineFilter struct {
	DisputeID string
	OrderID   string
	LineID    string
}

// DeliveryFilter selects an endpoint's deliveries (newest first).
type DeliveryFilter struct {
	Page
	EndpointID string
	State      string
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
	Provider   string
	EventID    string
	Type       string
	DisputeID  string
	HappenedAt time.Time // when the provider created it; zero when it does not say
	ReceivedAt time.Time
	Applied    bool   // false when it said nothing new, or arrived after a newer one
	Outcome    string // what it did, for people
	Payload    []byte
}

// WebhookEndpoint is where outgoing webhooks go.
type WebhookEndpoint struct {
	ID             string
	URL            string
	Description    string
	Events         []string // event types, or "*"
	Secret         string
	PreviousSecret string    // still signs until PreviousUntil, after a rotation
	PreviousUntil  time.Time //
	Enabled        bool
	DisabledReason string
	FailureStreak  int // deliveries that failed for good in a row
	DisableAfter   int // the endpoint is disabled when FailureStreak reaches it
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Webhook delivery states.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed"
)

// WebhookDelivery is one event on its way to one endpoint: the outbox row.
type WebhookDelivery struct {
	ID          string // also the webhook-id header: the same on every attempt
	EndpointID  string
	EventID     string
	EventType   string
	State       string
	Attempts    int
	LastStatus  int
	LastError   string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	DeliveredAt time.Time
}

// WebhookAttempt is one try at a delivery.
type WebhookAttempt struct {
	ID         string
	DeliveryID string
	Status     int // the receiver's status; 0 when there was no answer
	Latency    time.Duration
	Response   string // the start of the receiver's answer
	Error      string
	CreatedAt  time.Time
}

// User is a person who signs in to the web UI.
type User struct {
	ID           string
	Email        string // lower case
	PasswordHash string // argon2id, PHC format (internal/password)
	Role         string
	PartyID      string    // buyers and vendors: the customer or vendor id they are
	DisabledAt   time.Time // zero while the user may sign in
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Disabled reports whether an admin disabled the user.
func (u User) Disabled() bool { return !u.DisabledAt.IsZero() }

// SignInFailures counts the sign-in attempts of one email, as typed, from one client address
// since the last success.
type SignInFailures struct {
	Email       string // lower case
	Address     string
	Failures    int
	LockedUntil time.Time // zero when never locked
	UpdatedAt   time.Time // the last attempt
}

// Session is a signed-in browser.
type Session struct {
	ID        string // the SHA-256 of the cookie's token, hex
	UserID    string
	CSRF      string // the token every form of the session carries
	CreatedAt time.Time
	ExpiresAt time.Time
}

// EmailFilter selects one dispute's or one order's emails.
type EmailFilter struct {
	DisputeID string
	OrderID   string
}

// Panel is a registered panel plugin: where it is and what it can do (see internal/panel).
type Panel struct {
	Name         string
	Type         string
	BaseURL      string
	Secret       string
	Timeout      time.Duration
	Capabilities []string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Email states.
const (
	EmailQueued  = "queued"   // a job will send it
	EmailSent    = "sent"     // the SMTP server accepted it
	EmailFailed  = "failed"   // every attempt failed, or the server refused it for good
	EmailNotSent = "not_sent" // never tried: no SMTP server configured, or no address
)

// Email is a customer email and what became of it.
type Email struct {
	ID         string
	Template   string
	DisputeID  string
	OrderID    string
	CustomerID string
	To         string
	ToName     string
	From       string
	Subject    string
	Body       string
	State      string
	Reason     string // why it is not sent, or the last error
	Attempts   int
	CreatedAt  time.Time
	UpdatedAt  time.Time
	SentAt     time.Time // zero until sent
}

// EventFilter selects events (newest first).
type EventFilter struct {
	Page
	Type      string
	DisputeID string
	OrderID   string
}

// BlockFilter selects block-list entries (newest first).
type BlockFilter struct {
	Page
	Kind string
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

// TimelineEntry is one line of the audit trail.
type TimelineEntry struct {
	ID        string
	DisputeID string
	OrderID   string
	LineID    string
	Actor     string
	Action    string
	From      string
	To        string
	Note      string
	Payload   []byte // the raw provider payload behind the entry; nil for none
	CreatedAt time.Time
}

// Note is an internal admin note on a dispute. Notes are append-only and never shown to parties.
type Note struct {
	ID        string
	DisputeID string
	Author    string
	Body      string
	CreatedAt time.Time
}

// Event is a record in the event log; Data is the JSON of the object after the change.
type Event struct {
	ID        string
	Type      string
	DisputeID string
	OrderID   string
	Data      []byte
	CreatedAt time.Time
}

// Block is a block-list entry.
type Block struct {
	ID        string
	Kind      string // email, card_fingerprint, ip, customer
	Value     string
	Reason    string
	DisputeID string // the dispute that caused it, if any
	CreatedBy string
	CreatedAt time.Time
}

// APIKey is a credential; only the hash of its secret is stored.
type APIKey struct {
	ID        string
	Role      string
	PartyID   string // buyer and vendor keys: the customer or vendor id they act for
	Hash      string // hex SHA-256 of the secret
	Prefix    string // the first characters of the secret, to recognise it in a list
	Name      string
	CreatedAt time.Time
	RevokedAt time.Time // zero while the key works
	RevokedBy string    // the actor who revoked it, as the timeline names actors
}

// Revoked reports whether the key was revoked: it authenticates no more.
func (k APIKey) Revoked() bool { return !k.RevokedAt.IsZero() }

// Idempotency is a claimed Idempotency-Key and, once the request finished, its response.
type Idempotency struct {
	KeyID       string // the API key the request was made with
	Key         string
	RequestHash string // method, path and body
	Status      int    // 0 while the request runs
	Body        []byte
	CreatedAt   time.Time // when the claim was made (or taken over)
	Claim       string    // the token of the request's run that holds the key
	// CommittedAt is when a transaction of the request committed its change (zero: none did).
	CommittedAt time.Time
}

// Settings are the merchant's settings.
type Settings struct {
	BlockOnDispute bool
	MerchantName   string
	// ReminderOffsets are how long before a due date a reminder goes out; nil means the
	// default (decided by the caller), an empty non-nil slice means no reminders.
	ReminderOffsets []time.Duration
	// EmailsOff are the customer email templates the merchant switched off.
	EmailsOff []string
	// EvidenceLimits cap each dispute's evidence; nil means the defaults (decided by the caller).
	EvidenceLimits *dispute.EvidenceLimits
	// ExtendedFields are the fields the merchant defined for its disputes, in the order shown.
	ExtendedFields []dispute.FieldDefinition
	CreatedAt      time.Time
	UpdatedAt      time.Time
}
