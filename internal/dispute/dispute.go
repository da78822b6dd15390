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
	// Network is the card network or provider the dispute is on as its provider said it, or as
	// the card on its charge said it when nothing else did (takeCardNetwork); "" when none said
	// (NetworkHint and the reason code's shape then tell).
	Network           string
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
	// EvidenceSources are the evidence fields the compiler filled and nobody changed since, each
	// with where its value came from ("order ord_…", "settings", "line activity"). A person who
	// stages a field makes it theirs: its source goes (stageEvidence).
	EvidenceSources map[string]string
	// CoverLetter is the merchant's own cover letter for the evidence packet; "" while the
	// drafted one stands (internal/coverletter writes it from the dispute's facts).
	CoverLetter     string
	EvidenceItems   int        // evidence items appended so far
	SubmissionCount int        // ours, or the provider's when it counts more
	Submission      Submission // the answer as its provider knows it; see SubmissionStatus
	Fees            []Fee      // what the provider charged (and gave back) for the dispute
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
	// AcceptedAt is when the merchant accepted (conceded) the dispute; zero unless it did.
	AcceptedAt time.Time
	// DefendedAt is when the merchant's evidence was last submitted; AutoDefended whether that
	// was done by no person (see defend).
	DefendedAt   time.Time
	AutoDefended bool
	Channel      Channel
	// SellerProtection is the provider's seller protection for the payment, when it says.
	SellerProtection SellerProtection
	// ProviderCharge and ProviderPaymentIntent are the provider's ids of the disputed payment as
	// it reported them (Stripe's charge and payment intent; PayPal's seller and buyer transaction
	// ids), kept whether or not a transaction of ours matches.
	ProviderCharge        string
	ProviderPaymentIntent string
	// ExtendedFields are the values of the extended fields the merchant defined in the settings.
	ExtendedFields ExtendedFields
	CreatedAt      time.Time
	UpdatedAt      time.Time
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

// AwaitsResponse reports whether something must be done on the dispute by its due date: one of
// its actions carries the date (the merchant's response to a chargeback, inquiry or manual
// dispute, an alert's resolution, the parties' evidence in an open marketplace dispute). The
// dashboard, the due-date chip and the reminders all ask this.
func (d *Dispute) AwaitsResponse() bool {
	if d.DueBy.IsZero() {
		return false
	}
	return slices.ContainsFunc(d.Actions(), func(a Action) bool { return !a.DueBy.IsZero() })
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
			return nil, fault.Invalidf(fault.CodeInvalidValue, "tags", "a tag must have 1 to 64 characters")
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	if len(out) > 50 {
		return nil, fault.Invalidf(fault.CodeInvalidValue, "tags", "at most 50 tags")
	}
	return out, nil
}

func validMetadata(m map[string]string) error {
	if len(m) > 50 {
		return fault.Invalidf(fault.CodeInvalidValue, "metadata", "at most 50 metadata keys")
	}
	for k, v := range m {
		if k == "" || len(k) > 40 {
			return fault.Invalidf(fault.CodeInvalidValue, "metadata", "metadata keys have 1 to 40 characters")
		}
		if len(v) > 500 {
			return fault.Invalidf(fault.CodeInvalidValue, "metadata", "metadata value for %q is longer than 500 characters", k)
		}
	}
	return nil
}
