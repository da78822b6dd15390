package app

import (
	"context"
	"errors"
	"net/mail"
	"net/netip"
	"strings"
	"time"

	"disputed/internal/actor"
	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/store"
)

// normaliseBlock validates a value of kind and returns it in the form lookups compare.
func normaliseBlock(kind, value string) (string, error) {
	value = strings.TrimSpace(value)
	if value == "" {
		return "", fault.Required("value")
	}
	if len(value) > 320 {
		return "", fault.Invalidf(fault.CodeInvalidValue, "value", "value is longer than 320 characters")
	}
	switch kind {
	case "email":
		addr, err := mail.ParseAddress(value)
		if err != nil || addr.Address != value {
			return "", fault.Invalidf(fault.CodeInvalidValue, "value", "not an email address")
		}
		return strings.ToLower(value), nil
	case "ip":
		ip, err := netip.ParseAddr(value)
		if err != nil {
			return "", fault.Invalidf(fault.CodeInvalidValue, "value", "not an IP address")
		}
		return ip.Unmap().String(), nil
	case "card_fingerprint", "customer":
		return value, nil
	case "":
		return "", fault.Required("kind")
	}
	return "", fault.Invalidf(fault.CodeInvalidValue, "kind", "kind must be one of email, card_fingerprint, ip, customer")
}

// BlockParams add a block-list entry.
type BlockParams struct {
	Kind   string
	Value  string
	Reason string
}

// AddBlock puts a value on the block list.
func (a *App) AddBlock(ctx context.Context, who actor.Actor, p BlockParams) (store.Block, error) {
	if err := staff(who, "edit the block list"); err != nil {
		return store.Block{}, err
	}
	value, err := normaliseBlock(p.Kind, p.Value)
	if err != nil {
		return store.Block{}, err
	}
	if len(p.Reason) > 500 {
		return store.Block{}, fault.Invalidf(fault.CodeInvalidValue, "reason", "reason is longer than 500 characters")
	}
	var b store.Block
	err = a.write(ctx, false, func(tx store.Tx, now time.Time) error {
		b = store.Block{ID: a.ids.New("blk"), Kind: p.Kind, Value: value, Reason: p.Reason, CreatedBy: who.String(), CreatedAt: now}
		if err := tx.InsertBlock(ctx, b); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return fault.New(fault.Conflict, fault.CodeAlreadyBlocked, "value", "%s %q is already on the block list", p.Kind, value)
			}
			return err
		}
		return a.emit(ctx, tx, now, "customer.blocked", "", "", b)
	})
	return b, err
}

// DeleteBlock takes an entry off the block list.
func (a *App) DeleteBlock(ctx context.Context, who actor.Actor, id string) error {
	if err := staff(who, "edit the block list"); err != nil {
		return err
	}
	return a.write(ctx, false, func(tx store.Tx, _ time.Time) error {
		return store.NotFound(tx.DeleteBlock(ctx, id), "block-list entry", id)
	})
}

// Blocks returns a page of block-list entries, newest first.
func (a *App) Blocks(ctx context.Context, who actor.Actor, f store.BlockFilter) ([]store.Block, bool, error) {
	if err := staff(who, "read the block list"); err != nil {
		return nil, false, err
	}
	if err := a.OffsetWithin(f.Page, true); err != nil {
		return nil, false, err
	}
	bs, err := a.store.ListBlocks(ctx, f)
	if err != nil {
		return nil, false, err
	}
	bs, more := store.Trim(bs, f.Limit)
	return bs, more, nil
}

// blockOnDispute adds the disputing customer's email and card fingerprint to the block list when
// the merchant's setting asks for it. Values already blocked are left as they are.
func (a *App) blockOnDispute(ctx context.Context, tx store.Tx, now time.Time, who actor.Actor, d dispute.Dispute) error {
	if d.CustomerID == "" && d.TransactionID == "" {
		return nil
	}
	s, err := tx.GetSettings(ctx)
	if err != nil || !s.BlockOnDispute {
		return err
	}
	_, err = a.blockCustomer(ctx, tx, now, who, d)
	return err
}

// blockCustomer adds the customer's email and the card fingerprint of d's charge to the block
// list, each with its timeline entry and customer.blocked event, and returns how many it added:
// values already blocked are left as they are.
func (a *App) blockCustomer(ctx context.Context, tx store.Tx, now time.Time, who actor.Actor, d dispute.Dispute) (int, error) {
	var candidates [][2]string
	if d.CustomerID != "" {
		c, err := tx.GetCustomer(ctx, d.CustomerID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return 0, err
		}
		if c.Email != "" {
			candidates = append(candidates, [2]string{"email", strings.ToLower(c.Email)})
		}
	}
	if d.TransactionID != "" {
		t, err := tx.GetTransaction(ctx, d.TransactionID)
		if err != nil {
			return 0, err
		}
		if t.Purchase.CardFingerprint != "" {
			candidates = append(candidates, [2]string{"card_fingerprint", t.Purchase.CardFingerprint})
		}
	}
	added := 0
	for _, c := range candidates {
		if _, err := tx.FindBlock(ctx, c[0], c[1]); err == nil {
			continue
		} else if !errors.Is(err, store.ErrNotFound) {
			return 0, err
		}
		b := store.Block{ID: a.ids.New("blk"), Kind: c[0], Value: c[1], Reason: "dispute " + d.ID, DisputeID: d.ID,
			CreatedBy: who.String(), CreatedAt: now}
		if err := tx.InsertBlock(ctx, b); err != nil {
			return 0, err
		}
		if err := a.timeline(ctx, tx, now, entry{disputeID: d.ID, orderID: d.OrderID, actor: who.String(), action: "customer_blocked", note: c[0] + " " + c[1]}); err != nil {
			return 0, err
		}
		if err := a.emit(ctx, tx, now, "customer.blocked", d.ID, d.OrderID, b); err != nil {
			return 0, err
		}
		added++
	}
	return added, nil
}
