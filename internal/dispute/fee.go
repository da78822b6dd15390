package dispute

import (
	"maps"
	"slices"
)

// Fee is one amount a payment provider charged the merchant for a dispute (Stripe's dispute
// fee), or, with a negative amount, gave back (the fee Stripe returns when the merchant wins).
// It is a plain record of what the provider said: its currency is the one the provider
// charged in, which need not be the dispute's.
type Fee struct {
	Amount            int64 // minor units of Currency; negative for a fee given back
	Currency          string
	Description       string // the provider's words, e.g. "Dispute fee"
	ProviderReference string // the provider's id of the movement (Stripe's balance transaction txn_…)
}

// addFees appends the reported fees not recorded yet. A provider repeats every fee on every
// later event about the dispute, so a fee already in the list is the same fee, not a second one.
// It reports whether any fee was added.
func (d *Dispute) addFees(reported []Fee) bool {
	added := false
	for _, f := range reported {
		if f.Amount == 0 || slices.Contains(d.Fees, f) {
			continue
		}
		d.Fees = append(slices.Clip(d.Fees), f) // never into the array the caller's copy of the dispute shares
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
