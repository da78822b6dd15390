package app

import (
	"context"
	"encoding/json"

	"disputed/internal/actor"
	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/store"
)

// fieldDefinitions are the extended fields' definitions that values in, a create's or an
// update's, are checked against: the settings', read only when values are given. The fields are
// the merchant's own working material, hidden from a buyer or vendor, who may not set them.
func (a *App) fieldDefinitions(ctx context.Context, tx store.Tx, who actor.Actor, in map[string]json.RawMessage) ([]dispute.FieldDefinition, error) {
	if len(in) == 0 {
		return nil, nil
	}
	if who.Role.Party() {
		return nil, fault.Invalidf(fault.CodeInvalidValue, "extended_fields", "extended fields are the merchant's: a buyer or vendor cannot set them")
	}
	s, err := tx.GetSettings(ctx)
	if err != nil {
		return nil, err
	}
	return s.ExtendedFields, nil
}

// FieldDefinitions are the extended fields the merchant defined, for staff to show and edit a
// dispute's values by; a buyer or vendor, who sees none, gets none.
func (a *App) FieldDefinitions(ctx context.Context, who actor.Actor) ([]dispute.FieldDefinition, error) {
	if !who.IsStaff() {
		return nil, nil
	}
	s, err := a.store.GetSettings(ctx)
	return s.ExtendedFields, err
}
