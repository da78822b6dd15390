package dispute

import "slices"

// moves lists, per type, the status changes that happen without a resolution: submitting evidence,
// escalating, the review steps of a marketplace dispute. Resolutions (won, lost, resolved,
// warning_closed) go through Resolve so that their effects cannot be skipped.
var moves = map[Type]map[Status][]Status{
	Chargeback: {
		NeedsResponse: {UnderReview},
		UnderReview:   {NeedsResponse}, // the issuer answered the representment: next stage
	},
	Manual: {
		NeedsResponse: {UnderReview},
		UnderReview:   {NeedsResponse},
	},
	Inquiry: {
		WarningNeedsResponse: {WarningUnderReview, NeedsResponse},
		WarningUnderReview:   {NeedsResponse},
	},
	Alert: {},
	Marketplace: {
		Open:          {PendingReview},
		PendingReview: {Escalated},
		Resolved:      {Closed},
	},
}

// resolvableFrom lists, per type, the statuses from which a resolution may be recorded.
var resolvableFrom = map[Type][]Status{
	Chargeback:  {NeedsResponse, UnderReview},
	Manual:      {NeedsResponse, UnderReview},
	Inquiry:     {WarningNeedsResponse, WarningUnderReview},
	Alert:       {Open},
	Marketplace: {PendingReview, Escalated},
}

// initial is the status a new dispute starts in.
var initial = map[Type]Status{
	Chargeback:  NeedsResponse,
	Manual:      NeedsResponse,
	Inquiry:     WarningNeedsResponse,
	Alert:       Open,
	Marketplace: Open,
}

// CanMove reports whether a dispute of type t may go from one status to another without a resolution.
func CanMove(t Type, from, to Status) bool { return slices.Contains(moves[t][from], to) }

// CanResolve reports whether a dispute of type t in status s may be resolved now.
func CanResolve(t Type, s Status) bool { return slices.Contains(resolvableFrom[t], s) }

// Ended reports whether a dispute in status s is over: it no longer counts as the order's open
// dispute and accepts no more changes (a resolved marketplace dispute may still be closed).
func Ended(s Status) bool {
	switch s {
	case Won, Lost, WarningClosed, Resolved, Closed:
		return true
	}
	return false
}

// Final reports whether nothing at all may change any more.
func Final(s Status) bool { return Ended(s) && s != Resolved }

// mustRespond reports whether the merchant is the party that must act now.
func mustRespond(s Status) bool { return s == NeedsResponse || s == WarningNeedsResponse }

// Statuses lists every status a dispute of type t can be in.
func Statuses(t Type) []Status {
	switch t {
	case Chargeback, Manual:
		return []Status{NeedsResponse, UnderReview, Won, Lost, Closed}
	case Inquiry:
		return []Status{WarningNeedsResponse, WarningUnderReview, WarningClosed, Closed}
	case Alert:
		return []Status{Open, Resolved, Closed}
	case Marketplace:
		return []Status{Open, PendingReview, Escalated, Resolved, Closed}
	}
	return nil
}
