package store

import (
	"context"
	"time"
)

// EmailReader reads customer emails and what became of them.
type EmailReader interface {
	GetEmail(ctx context.Context, id string) (Email, error)
	// ListEmails returns one dispute's or one order's emails, oldest first.
	ListEmails(ctx context.Context, f EmailFilter) ([]Email, error)
}

// EmailWriter writes customer emails and what became of them, inside a Tx.
type EmailWriter interface {
	InsertEmail(ctx context.Context, e Email) error
	// UpdateEmail writes what became of an email: From, State, Reason, Attempts, UpdatedAt, SentAt.
	UpdateEmail(ctx context.Context, e Email) error
}

// Email states.
const (
	EmailQueued  = "queued"   // a job will send it
	EmailSent    = "sent"     // the SMTP server accepted it
	EmailFailed  = "failed"   // every attempt failed, or the server refused it for good
	EmailNotSent = "not_sent" // never tried: no SMTP server configured, or no address
)

// Email is a customer email and what became of it. One written since migration 00050 is kept
// as its template, the version of the templates it was written with (TemplateVersion) and its
// data (notify.Store's JSON), with Subject and Body empty: the app renders it when it is read
// or sent. One written before has TemplateVersion 0 and its text in Subject and Body.
type Email struct {
	ID              string
	Template        string
	TemplateVersion int
	Data            string
	DisputeID       string
	OrderID         string
	CustomerID      string
	To              string
	ToName          string
	From            string
	Subject         string
	Body            string
	State           string
	Reason          string // why it is not sent, or the last error
	Attempts        int
	CreatedAt       time.Time
	UpdatedAt       time.Time
	SentAt          time.Time // zero until sent
}

// EmailFilter selects one dispute's or one order's emails.
type EmailFilter struct {
	DisputeID string
	OrderID   string
}
