package app

import (
	"context"
	"net/mail"
	"strings"
	"time"

	"disputed/internal/actor"
	"disputed/internal/fault"
	"disputed/internal/store"
)

// CustomerParams create a customer.
type CustomerParams struct {
	Email      string
	Name       string
	ExternalID string
	Metadata   map[string]string
}

// CreateCustomer records a buyer.
func (a *App) CreateCustomer(ctx context.Context, who actor.Actor, p CustomerParams) (store.Customer, error) {
	if err := staff(who, "create customers"); err != nil {
		return store.Customer{}, err
	}
	p.Email = strings.TrimSpace(p.Email)
	if p.Email != "" {
		if addr, err := mail.ParseAddress(p.Email); err != nil || addr.Address != p.Email {
			return store.Customer{}, fault.Invalidf(fault.CodeInvalidValue, "email", "email is not a valid address")
		}
	}
	if len(p.Name) > 200 || len(p.ExternalID) > 200 || len(p.Email) > 320 {
		return store.Customer{}, fault.Invalidf(fault.CodeInvalidValue, "name", "name and external_id have at most 200 characters")
	}
	if p.Metadata == nil {
		p.Metadata = map[string]string{}
	}
	var c store.Customer
	err := a.write(ctx, false, func(tx store.Tx, now time.Time) error {
		c = store.Customer{ID: a.ids.New("cus"), Email: p.Email, Name: p.Name, ExternalID: p.ExternalID,
			Metadata: p.Metadata, CreatedAt: now, UpdatedAt: now}
		return tx.InsertCustomer(ctx, c)
	})
	return c, err
}

// Customer returns one customer.
func (a *App) Customer(ctx context.Context, who actor.Actor, id string) (store.Customer, error) {
	c, err := a.store.GetCustomer(ctx, id)
	if err != nil {
		return store.Customer{}, store.NotFound(err, "customer", id)
	}
	if !sees(who, c.ID, "") {
		return store.Customer{}, fault.NotFoundf("customer", id)
	}
	return c, nil
}

// ListCustomers returns a page of customers, newest first, reading at most the bound of rows a
// list reads. A buyer sees only itself and a vendor no customer, as when it asks for one by id.
func (a *App) ListCustomers(ctx context.Context, who actor.Actor, f store.CustomerFilter) (WalkPage[store.Customer], error) {
	buyer, vendor := partyLimit(who)
	if vendor != "" {
		return WalkPage[store.Customer]{Rows: []store.Customer{}}, nil
	}
	f.OnlyID = buyer
	walk, err := a.store.WalkCustomers(ctx, f, a.listReadAtMost)
	if err != nil {
		return WalkPage[store.Customer]{}, err
	}
	return walkPage(walk, f.Page, func(c store.Customer) (time.Time, string) { return c.CreatedAt, c.ID }), nil
}
