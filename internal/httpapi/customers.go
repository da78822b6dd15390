package httpapi

import (
	"context"

	"disputed/internal/app"
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
