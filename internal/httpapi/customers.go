package httpapi

import (
	"context"

	"disputed/internal/app"
	"disputed/internal/store"
)

// CustomerIn creates a customer.
type CustomerIn struct {
	Body struct {
		Email      string            `json:"email,omitempty" maxLength:"320"`
		Name       string            `json:"name,omitempty" maxLength:"200"`
		ExternalID string            `json:"external_id,omitempty" maxLength:"200" doc:"your own id for the customer"`
		Metadata   map[string]string `json:"metadata,omitempty"`
	}
}

// CustomerOut answers with a customer.
type CustomerOut struct{ Body Customer }

// ByID names an object in the path.
type ByID struct {
	ID string `path:"id" maxLength:"64"`
}

func (s *Server) createCustomer(ctx context.Context, in *CustomerIn) (*CustomerOut, error) {
	c, err := s.app.CreateCustomer(ctx, who(ctx), app.CustomerParams{Email: in.Body.Email, Name: in.Body.Name,
		ExternalID: in.Body.ExternalID, Metadata: in.Body.Metadata})
	if err != nil {
		return nil, err
	}
	return &CustomerOut{Body: customerOut(c)}, nil
}

func (s *Server) getCustomer(ctx context.Context, in *ByID) (*CustomerOut, error) {
	c, err := s.app.Customer(ctx, who(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return &CustomerOut{Body: customerOut(c)}, nil
}

// CustomersIn lists customers.
type CustomersIn struct {
	ListQuery
	Email      string `query:"email" maxLength:"320" doc:"only the customers with exactly this email"`
	ExternalID string `query:"external_id" maxLength:"200" doc:"only the customers with this id of yours"`
}

// CustomersOut is a page of customers.
type CustomersOut struct{ Body CustomerList }

// CustomerList is a page of customers, and whether it ends where the server stopped reading.
type CustomerList struct {
	List[Customer]
	ReadBoundReached bool `json:"read_bound_reached" doc:"true when the server read its bound of customers (20,000 by default) for this page before it found a full page, which happens when email and external_id are given together (the first is read through its index, the other checked on the customers it yields) and match few customers, or when page skips past the bound (the customers it skips count in it): data holds the matches found so far, fewer than limit or none, has_more is true and next_cursor goes on from the last customer read; follow it as usual, and every match comes once"`
}

func (s *Server) listCustomers(ctx context.Context, in *CustomersIn) (*CustomersOut, error) {
	page, created, err := in.window()
	if err != nil {
		return nil, err
	}
	p, err := s.app.ListCustomers(ctx, who(ctx), store.CustomerFilter{Page: page, Created: created, Email: in.Email, ExternalID: in.ExternalID})
	if err != nil {
		return nil, err
	}
	return &CustomersOut{Body: CustomerList{List: listAt(p.Rows, customerOut, cursorOf(p.More, p.Next)), ReadBoundReached: p.Stopped}}, nil
}
