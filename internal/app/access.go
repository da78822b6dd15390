package app

import (
	"disputed/internal/actor"
	"disputed/internal/dispute"
)

// The role checks are actor's, shared with internal/access; app calls them by short names.
var (
	forbidden = actor.Refuse
	staff     = actor.RequireStaff
	adminOnly = actor.RequireAdmin
)

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

// seenBy is d as who may see it: whole for staff, the party's view for a buyer or vendor.
func seenBy(who actor.Actor, d dispute.Dispute) dispute.Dispute {
	if who.Role.Party() {
		return d.PartyView()
	}
	return d
}

// partyLimit is what a list must be limited to for who, as sees decides for one object: for a
// buyer its customer id, for a vendor its vendor id (a buyer does not see the orders of a vendor
// that happens to have the same id), nothing for staff.
func partyLimit(who actor.Actor) (customerID, vendorID string) {
	if who.IsStaff() {
		return "", ""
	}
	id := who.PartyID
	if id == "" {
		id = "\x00no-party" // a party key bound to nothing sees nothing
	}
	if who.Role == actor.Vendor {
		return "", id
	}
	return id, ""
}
