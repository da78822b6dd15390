package httpapi

import (
	"context"
	"time"

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
type CustomersOut struct{ Body List[Customer] }

func (s *Server) listCustomers(ctx context.Context, in *CustomersIn) (*CustomersOut, error) {
	page, created, err := in.window()
	if err != nil {
		return nil, err
	}
	cs, more, err := s.app.ListCustomers(ctx, who(ctx), store.CustomerFilter{Page: page, Created: created, Email: in.Email, ExternalID: in.ExternalID})
	if err != nil {
		return nil, err
	}
	return &CustomersOut{Body: listOf(cs, more, customerOut, func(c store.Customer) (time.Time, string) { return c.CreatedAt, c.ID })}, nil
}
