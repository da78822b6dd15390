// Package dispute holds the rules of disputes: the four kinds (chargeback and inquiry from a card
// network, alert, marketplace, manual), their statuses, stages, resolutions and evidence, as pure
// state machines. It does no I/O: a use case loads a Dispute, calls one method, and stores the
// result together with the Change the method reports.
package dispute

import "slices"

// Type is the kind of a dispute.
type Type string

// The dispute types.
const (
	Chargeback  Type = "chargeback"
	Inquiry     Type = "inquiry"
	Alert       Type = "alert"
	Marketplace Type = "marketplace"
	Manual      Type = "manual"
)

// Types lists every dispute type, in the order the API documents them.
var Types = []Type{Chargeback, Inquiry, Alert, Marketplace, Manual}

// Status is where a dispute stands.
type Status string

// Statuses of card-network disputes (chargeback, inquiry, manual), alerts and marketplace disputes.
const (
	WarningNeedsResponse Status = "warning_needs_response"
	WarningUnderReview   Status = "warning_under_review"
	WarningClosed        Status = "warning_closed"
	NeedsResponse        Status = "needs_response"
	UnderReview          Status = "under_review"
	Won                  Status = "won"
	Lost                 Status = "lost"
	Open                 Status = "open"
	PendingReview        Status = "pending_review"
	Escalated            Status = "escalated"
	Resolved             Status = "resolved"
	Closed               Status = "closed"
)

// Stage is how far a card-network dispute has gone through the network's cycle.
type Stage string

// The stages, in order.
const (
	StageInquiry        Stage = "inquiry"
	StageChargeback     Stage = "chargeback"
	StagePreArbitration Stage = "pre_arbitration"
	StageArbitration    Stage = "arbitration"
)

// AlertType names the alert network.
type AlertType string

// The alert networks.
const (
	TC40   AlertType = "tc40"
	SAFE   AlertType = "safe"
	Ethoca AlertType = "ethoca"
	CDRN   AlertType = "cdrn"
	RDR    AlertType = "rdr"
)

// AlertTypes lists every alert network.
var AlertTypes = []AlertType{TC40, SAFE, Ethoca, CDRN, RDR}

// Party is a side of a marketplace dispute.
type Party string

// The parties.
const (
	Buyer  Party = "buyer"
	Vendor Party = "vendor"
)

// Resolution is how a dispute ended.
type Resolution string

// Resolutions of card-network and manual disputes.
const (
	ResolutionWon  Resolution = "won"
	ResolutionLost Resolution = "lost"
)

// Resolutions of alerts.
const (
	CouldNotFindOrder              Resolution = "could_not_find_order"
	DeclinedOrCanceledNothingToDo  Resolution = "declined_or_canceled_nothing_to_do"
	IssuedFullRefund               Resolution = "issued_full_refund"
	IssuedRefundForRemainingAmount Resolution = "issued_refund_for_remaining_amount"
	ThreeDSAuthorizedSuccessfully  Resolution = "3ds_authorized_successfully"
	PreviouslyRefundedNothingToDo  Resolution = "previously_refunded_nothing_to_do"
	UnableToRefundAccountClosed    Resolution = "unable_to_refund_merchant_account_closed"
	Other                          Resolution = "other"
)

// Resolutions of marketplace disputes.
const (
	FullRefund      Resolution = "full_refund"
	PartialRefund   Resolution = "partial_refund"
	FavorVendor     Resolution = "favor_vendor"
	FavorBuyer      Resolution = "favor_buyer"
	MutualAgreement Resolution = "mutual_agreement"
)

// Voided ends any open dispute whose order was voided.
const Voided Resolution = "voided"

// resolutionsByType says which resolutions each type accepts from a user; anything else is the
// wrong kind of resolution (422), whatever the status.
var resolutionsByType = map[Type][]Resolution{
	Chargeback: {ResolutionWon, ResolutionLost},
	Manual:     {ResolutionWon, ResolutionLost},
	Inquiry:    {ResolutionWon},
	Alert: {CouldNotFindOrder, DeclinedOrCanceledNothingToDo, IssuedFullRefund, IssuedRefundForRemainingAmount,
		ThreeDSAuthorizedSuccessfully, PreviouslyRefundedNothingToDo, UnableToRefundAccountClosed, Other},
	Marketplace: {FullRefund, PartialRefund, FavorVendor, FavorBuyer, MutualAgreement},
}

// Resolutions returns the resolutions a dispute of type t accepts.
func Resolutions(t Type) []Resolution { return resolutionsByType[t] }

func (t Type) valid() bool {
	_, ok := resolutionsByType[t]
	return ok
}

func (t Type) networkLike() bool { return t == Chargeback || t == Inquiry || t == Manual }

func (a AlertType) valid() bool {
	for _, x := range AlertTypes {
		if x == a {
			return true
		}
	}
	return false
}

// Stages lists the stages in order.
var Stages = []Stage{StageInquiry, StageChargeback, StagePreArbitration, StageArbitration}

// AllStatuses lists every status of any type, each once, in the order of Types.
func AllStatuses() []Status {
	var out []Status
	for _, t := range Types {
		for _, s := range Statuses(t) {
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

// AllResolutions lists every resolution of any type, each once, in the order of Types, and
// voided last.
func AllResolutions() []Resolution {
	var out []Resolution
	for _, t := range Types {
		for _, r := range Resolutions(t) {
			if !slices.Contains(out, r) {
				out = append(out, r)
			}
		}
	}
	return append(out, Voided)
}
