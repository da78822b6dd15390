package dispute

import (
	"slices"
	"strings"
	"time"

	"disputed/internal/fault"
)

// Dispute is a challenge of a payment, of any kind. Its zero value is not valid: use New.
type Dispute struct {
	ID                string
	Type              Type
	AlertType         AlertType
	Status            Status
	Stage             Stage
	Reason            string
	NetworkReasonCode string
	Description       string
	Amount            int64 // minor units of Currency
	Currency          string
	OrderID           string
	TransactionID     string
	CustomerID        string
	VendorID          string
	InitiatedBy       Party
	Provider          string
	ProviderDisputeID string
	CaseNumber        string
	ARN               string
	ExternalReference string
	HappenedAt        time.Time
	DueBy             time.Time // zero when there is none
	Evidence          map[string]string
	EvidenceItems     int   // evidence items appended so far
	SubmissionCount   int   // ours, or the provider's when it counts more
	Fees              []Fee // what the provider charged (and gave back) for the dispute
	// ProviderHasEvidence is the provider's word that it holds evidence for the dispute (Stripe's
	// has_evidence), which may be evidence we cannot keep (Visa CE 3.0's enhanced_evidence).
	ProviderHasEvidence bool
	Resolution          Resolution
	ResolutionNotes     string
	ResolvedBy          string
	ResolvedAt          time.Time
	Revision            int64
	Tags                []string
	Metadata            map[string]string
	Livemode            bool
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

// Change reports what one accepted action did: the timeline entry and events to write, and the
// money and line effects that the use case must carry out in the same transaction.
type Change struct {
	Action string // timeline verb: created, updated, evidence_added, submitted, escalated, status_changed, resolved, closed, matched
	From   Status
	To     Status
	Note   string
	Events []string

	// Money effects, computed against the charge by the use case.
	Withdraw        bool  // record a chargeback transaction: the network took the disputed amount
	WithdrawAmount  int64 // with Withdraw: the network took exactly this much, not the amount disputed
	Reinstate       bool  // record a chargeback_reversal of what was withdrawn
	RefundRemaining bool  // refund whatever of the charge is still refundable
	RefundAmount    int64 // refund exactly this much
	RefundExternal  bool  // the refund already happened elsewhere (RDR): record, do not send
	RefundCapped    bool  // refund at most what is left instead of failing when less is left

	Outcome        Outcome // set when the dispute ended
	TerminateLines bool    // a compromise that still ends the service
}

// Outcome is which way the dispute ended for the merchant, from its resolution (or, for a
// deadline that closed an inquiry, its status); OutcomeNone while it is open.
func (d *Dispute) Outcome() Outcome {
	if !Ended(d.Status) {
		return OutcomeNone
	}
	switch d.Resolution {
	case ResolutionLost, IssuedFullRefund, IssuedRefundForRemainingAmount, PreviouslyRefundedNothingToDo,
		FullRefund, FavorBuyer, Voided:
		return OutcomeCustomer
	case PartialRefund, MutualAgreement:
		return OutcomeCompromise
	case "":
		if d.Status == Lost {
			return OutcomeCustomer
		}
	}
	return OutcomeMerchant // won, favor_vendor, the alert explanations that leave the sale, an inquiry closed
}

// Outcome is which way an ended dispute went for the merchant; it decides what happens to the
// order's service lines.
type Outcome string

// Outcomes.
const (
	OutcomeNone       Outcome = ""
	OutcomeMerchant   Outcome = "merchant"   // won, favor_vendor, warning_closed, alert without refund
	OutcomeCustomer   Outcome = "customer"   // lost, conceded, full_refund, favor_buyer, alert refunded, voided
	OutcomeCompromise Outcome = "compromise" // partial_refund, mutual_agreement
)

// IsOpen reports whether the dispute still counts as its order's open dispute.
func (d *Dispute) IsOpen() bool { return !Ended(d.Status) }

// Matched reports whether the dispute is linked to a transaction.
func (d *Dispute) Matched() bool { return d.TransactionID != "" }

// HasEvidence reports whether any evidence exists: staged or appended here, or held by the
// provider.
func (d *Dispute) HasEvidence() bool {
	return len(d.Evidence) > 0 || d.EvidenceItems > 0 || d.ProviderHasEvidence
}

// AwaitsResponse reports whether a party must act before the due date: the merchant on a
// card-network or manual dispute, the parties of an open marketplace dispute.
func (d *Dispute) AwaitsResponse() bool {
	return mustRespond(d.Status) || (d.Type == Marketplace && d.Status == Open)
}

// MarketplaceWindow is how long the parties of a marketplace dispute have to respond when no due
// date is given.
const MarketplaceWindow = 48 * time.Hour

// PastDue reports whether the due date has passed.
func (d *Dispute) PastDue(now time.Time) bool { return !d.DueBy.IsZero() && now.After(d.DueBy) }

func (d *Dispute) touch(now time.Time) {
	d.Revision++
	d.UpdatedAt = now
}

// normaliseTags trims, drops empties and duplicates, keeps order; it rejects tags that could not
// be filtered on reliably.
func normaliseTags(tags []string) ([]string, error) {
	out := make([]string, 0, len(tags))
	for _, t := range tags {
		t = strings.TrimSpace(t)
		if t == "" || len(t) > 64 {
			return nil, fault.Invalidf("invalid_value", "tags", "a tag must have 1 to 64 characters")
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	if len(out) > 50 {
		return nil, fault.Invalidf("invalid_value", "tags", "at most 50 tags")
	}
	return out, nil
}

func validMetadata(m map[string]string) error {
	if len(m) > 50 {
		return fault.Invalidf("invalid_value", "metadata", "at most 50 metadata keys")
	}
	for k, v := range m {
		if k == "" || len(k) > 40 {
			return fault.Invalidf("invalid_value", "metadata", "metadata keys have 1 to 40 characters")
		}
		if len(v) > 500 {
			return fault.Invalidf("invalid_value", "metadata", "metadata value for %q is longer than 500 characters", k)
		}
	}
	return nil
}
