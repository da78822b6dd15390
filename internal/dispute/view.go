package dispute

// PartyView is the dispute as its buyer or vendor sees it: the case, its amounts, dates and
// outcome, without the merchant's working material (the evidence dictionary staged for the
// network and what the provider holds, tags, metadata, extended fields, the provider's seller protection) or what
// the provider charged the merchant.
func (d Dispute) PartyView() Dispute {
	d.Evidence, d.EvidenceSources, d.Tags, d.Metadata, d.SellerProtection = nil, nil, nil, nil, ""
	d.Fees, d.ProviderHasEvidence, d.ExtendedFields = nil, false, nil
	return d
}

// PartyActions are the actions open to a party now: adding evidence to a marketplace dispute.
// The rest (review, resolve, submit to the network …) are the merchant's.
func (d *Dispute) PartyActions() []Action {
	var out []Action
	for _, a := range d.Actions() {
		if a.Name == "add_evidence" {
			out = append(out, a)
		}
	}
	return out
}

// PartyEvidence is the evidence of a dispute of type t that a party sees. A marketplace dispute
// is argued in the open: both parties see every item, each shown as added by its side (or by
// "staff", the mediator) rather than by the key or user that added it. The evidence of the other
// kinds is the merchant's case against the buyer and stays internal.
func PartyEvidence(t Type, items []EvidenceItem) []EvidenceItem {
	if t != Marketplace {
		return nil
	}
	out := make([]EvidenceItem, 0, len(items))
	for _, it := range items {
		it.AddedBy = string(it.Party)
		if it.Party == "" {
			it.AddedBy = "staff"
		}
		out = append(out, it)
	}
	return out
}
