package web

import (
	"slices"

	"disputed/internal/checklist"
	"disputed/internal/dispute"
	"disputed/internal/reasoncode"
)

// checklistPart is the evidence checklist as the dispute page shows it: what is still missing
// first, each item in words, and the completeness as a number and a bar.
type checklistPart struct {
	Items        []checklistRow
	Completeness int
	Missing      int // items still missing
	Product      string
}

type checklistRow struct {
	checklist.Entry
	Source string // where a compiled value came from
}

// statusWords say where an item stands.
var statusWords = map[checklist.Status]string{checklist.Provided: "provided", checklist.Compiled: "compiled", checklist.Missing: "missing"}

// Words is the item's status in words.
func (r checklistRow) Words() string { return statusWords[r.Status] }

// checklistOf is d's checklist for the merchant's product type; nil for a dispute that has none
// (an alert, a marketplace dispute).
func checklistOf(d dispute.Dispute, product checklist.ProductType) *checklistPart {
	if d.Type == dispute.Alert || d.Type == dispute.Marketplace {
		return nil
	}
	c := reasoncode.Classify(d.NetworkHint(), d.NetworkReasonCode, d.Reason)
	r := checklist.Evaluate(checklist.Category(c, d.Reason), product, d.Evidence, d.EvidenceSources)
	p := &checklistPart{Completeness: r.Completeness, Product: product.Label()}
	for _, e := range r.Entries {
		p.Items = append(p.Items, checklistRow{Entry: e, Source: d.EvidenceSources[e.Field]})
		if e.Status == checklist.Missing {
			p.Missing++
		}
	}
	// What is still missing first; within each part, the file's order (required first).
	slices.SortStableFunc(p.Items, func(a, b checklistRow) int {
		return boolRank(a.Status != checklist.Missing) - boolRank(b.Status != checklist.Missing)
	})
	return p
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// fieldOption is an evidence field as a drop-down offers it: by its label.
type fieldOption struct{ Name, Label string }

func fieldOptions(fields []string) []fieldOption {
	out := make([]fieldOption, len(fields))
	for i, f := range fields {
		out[i] = fieldOption{Name: f, Label: checklist.Label(f)}
	}
	return out
}

// partyHelps is what would help a party of a marketplace dispute: the required and recommended
// items of the checklist of its reason's category for the merchant's product type, a short list
// in words (a party adds items, not the provider's fields, so only the words matter).
func partyHelps(d dispute.Dispute, product checklist.ProductType) []checklist.Item {
	var out []checklist.Item
	for _, it := range checklist.Items(checklist.Category(reasoncode.Classification{}, d.Reason), product) {
		if it.Importance != checklist.Optional {
			out = append(out, it)
		}
	}
	return out
}
