package app

import (
	"disputed/internal/actor"
	"disputed/internal/fault"
)

func forbidden(what string) error {
	return fault.New(fault.Forbidden, "forbidden", "", "this role may not %s", what)
}

// staff allows admins and agents.
func staff(who actor.Actor, what string) error {
	if !who.IsStaff() {
		return forbidden(what)
	}
	return nil
}

// adminOnly allows admins (and the system).
func adminOnly(who actor.Actor, what string) error {
	if who.HasRole() && who.Role != actor.Admin {
		return forbidden(what)
	}
	return nil
}

// sees reports whether who may see an object of the given buyer and vendor: staff see
// everything, a party sees only its own.
func sees(who actor.Actor, customerID, vendorID string) bool {
	if who.IsStaff() {
		return true
	}
	switch who.Role {
	case actor.Buyer:
		return who.PartyID != "" && who.PartyID == customerID
	case actor.Vendor:
		return who.PartyID != "" && who.PartyID == vendorID
	}
	return false
}

// partyFilter is the id a list must be limited to for who ("" for staff).
func partyFilter(who actor.Actor) string {
	if who.IsStaff() {
		return ""
	}
	if who.PartyID == "" {
		return "\x00no-party" // a party key bound to nothing sees nothing
	}
	return who.PartyID
}
