package httpapi

import (
	"context"
	"time"

	"disputed/internal/store"
)

// Email is a customer email and what became of it.
type Email struct {
	ID         string     `json:"id"`
	Object     string     `json:"object" enum:"email"`
	Template   string     `json:"template"`
	DisputeID  *string    `json:"dispute_id"`
	OrderID    *string    `json:"order_id"`
	CustomerID *string    `json:"customer_id"`
	To         string     `json:"to"`
	From       *string    `json:"from"`
	Subject    string     `json:"subject"`
	Body       string     `json:"body"`
	State      string     `json:"state" enum:"queued,sent,failed,not_sent" doc:"sent only once the SMTP server accepted it"`
	Reason     *string    `json:"reason" doc:"why it is not sent, or the last error"`
	Attempts   int        `json:"attempts"`
	SentAt     *time.Time `json:"sent_at"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
}

func emailOut(e store.Email) Email {
	return Email{ID: e.ID, Object: "email", Template: e.Template, DisputeID: opt(e.DisputeID), OrderID: opt(e.OrderID),
		CustomerID: opt(e.CustomerID), To: e.To, From: opt(e.From), Subject: e.Subject, Body: e.Body, State: e.State,
		Reason: opt(e.Reason), Attempts: e.Attempts, SentAt: optTime(e.SentAt), CreatedAt: e.CreatedAt.UTC(), UpdatedAt: e.UpdatedAt.UTC()}
}

// EmailsOut lists emails, oldest first.
type EmailsOut struct{ Body List[Email] }

func (s *Server) disputeEmails(ctx context.Context, in *ByID) (*EmailsOut, error) {
	return emailsResult(s.app.Emails(ctx, who(ctx), store.EmailFilter{DisputeID: in.ID}))
}

func (s *Server) orderEmails(ctx context.Context, in *ByID) (*EmailsOut, error) {
	return emailsResult(s.app.Emails(ctx, who(ctx), store.EmailFilter{OrderID: in.ID}))
}

func emailsResult(es []store.Email, err error) (*EmailsOut, error) {
	if err != nil {
		return nil, err
	}
	return &EmailsOut{Body: listOf(es, false, emailOut, func(e store.Email) (time.Time, string) { return e.CreatedAt, e.ID })}, nil
}
