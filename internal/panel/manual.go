package panel

import (
	"context"
	"fmt"

	"disputed/internal/order"
)

// manual is a panel without an API: every action is done by an admin and confirmed by hand.
type manual struct {
	name string
}

func (m manual) Name() string { return m.name }

func (manual) Can(order.LineAction) bool { return false }

// Do always fails: a caller that reached it skipped the Can check.
func (m manual) Do(_ context.Context, r Request) (Answer, error) {
	return Answer{}, &Error{
		Panel:     m.name,
		Permanent: true,
		Err:       fmt.Errorf("%s: %w (manual panel)", r.Action, ErrNotCapable),
	}
}

func (manual) ReportsActivity() bool { return false }

// Activity always fails: a manual panel has no log to ask.
func (m manual) Activity(context.Context, ActivityRequest) ([]order.ActivityReport, error) {
	return nil, &Error{Panel: m.name, Permanent: true, Err: fmt.Errorf("activity: %w (manual panel)", ErrNotCapable)}
}
