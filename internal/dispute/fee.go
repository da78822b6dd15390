package dispute

import (
	"maps"
	"slices"
	"strings"
)

// Fee is one amount a payment provider charged the merchant for a dispute (Stripe's dispute
// fee), or, with a negative amount, gave back (the fee Stripe returns when the merchant wins).
// Most are a plain record of what the provider said: its currency is the one the provider
// charged in, which need not be the dispute's. The others are the fee table's estimates of what
// the provider charges (Source FeeFromTable, see EstimateFees), until it reports its own.
type Fee struct {
	Amount            int64 // minor units of Currency; negative for a fee given back
	Currency          string
	Description       string // the provider's words, e.g. "Dispute fee"
	ProviderReference string // the provider's id of the movement (Stripe's balance transaction txn_…)
	// Source is FeeFromTable for an estimate from the fee table; "" for a fee the provider
	// reported (Origin says which).
	Source string
	// Kind is set on an estimate; a reported fee's kind is read from its amount and words (Purpose).
	Kind FeeKind
	// TableVersion and TableDate identify the fee table an estimate came from; Estimate marks a
	// row no primary source confirms.
	TableVersion string
	TableDate    string
	Estimate     bool
}

// FeeKind is what a fee was for.
type FeeKind string

// Fee kinds.
const (
	FeeReceived FeeKind = "dispute"  // charged when the dispute is received
	FeeCounter  FeeKind = "counter"  // charged when the merchant submits evidence
	FeeReturned FeeKind = "returned" // a fee given back, on a win
)

// Where a fee's amount comes from.
const (
	FeeFromProvider = "provider"
	FeeFromTable    = "fee_table"
)

// Origin is where the fee's amount comes from: FeeFromProvider or FeeFromTable.
func (f Fee) Origin() string {
	if f.Source == "" {
		return FeeFromProvider
	}
	return f.Source
}

// Purpose is what the fee was for. A provider's fee carries only its amount and words: a fee given
// back is negative, a counter fee says so (Stripe's "Dispute countered fee"), any other is the fee
// for receiving the dispute.
func (f Fee) Purpose() FeeKind {
	switch {
	case f.Kind != "":
		return f.Kind
	case f.Amount < 0:
		return FeeReturned
	case strings.Contains(strings.ToLower(f.Description), "counter"):
		return FeeCounter
	}
	return FeeReceived
}

// addFees appends the reported fees not recorded yet. A provider repeats every fee on every
// later event about the dispute, so a fee already in the list is the same fee, not a second one.
// A reported fee replaces the fee table's estimate of the same kind: never both. It reports
// whether any fee was added.
func (d *Dispute) addFees(reported []Fee) bool {
	added := false
	for _, f := range reported {
		if f.Amount == 0 || slices.Contains(d.Fees, f) {
			continue
		}
		kind := f.Purpose()
		// A new slice: never into the array the caller's copy of the dispute shares.
		d.Fees = append(slices.DeleteFunc(slices.Clone(d.Fees), func(e Fee) bool {
			return e.Origin() == FeeFromTable && e.Purpose() == kind
		}), f)
		added = true
	}
	return added
}

// takeProviderEvidence keeps the evidence the provider already holds (staged on its dashboard,
// or by an earlier integration) in the fields where ours is empty, so that the merchant sees it
// and does not overwrite it unknowingly. Our own value always wins: it is what we send next.
// Only the fields of the evidence dictionary, within its length limit, are taken. It returns
// the fields taken, in order.
func (d *Dispute) takeProviderEvidence(reported map[string]string) []string {
	var taken []string
	for k, v := range reported {
		if v != "" && len(v) <= maxEvidenceValue && d.Evidence[k] == "" && slices.Contains(EvidenceFields, k) {
			taken = append(taken, k)
		}
	}
	if len(taken) == 0 {
		return nil
	}
	// A new map: the caller's copy of the dispute as it was must keep the old one.
	evidence := maps.Clone(d.Evidence)
	if evidence == nil {
		evidence = map[string]string{}
	}
	for _, k := range taken {
		evidence[k] = reported[k]
	}
	d.Evidence = evidence
	slices.Sort(taken)
	return taken
}
