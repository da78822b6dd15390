package httpapi

import (
	"disputed/internal/checklist"
	"disputed/internal/dispute"
	"disputed/internal/reasoncode"
)

// ChecklistItem is one piece of evidence a dispute's checklist asks for, and where it stands.
type ChecklistItem struct {
	Field      string `json:"field" doc:"the evidence field (a key of evidence)"`
	Label      string `json:"label" doc:"what the field is, in words"`
	Why        string `json:"why" doc:"why it helps the case"`
	Importance string `json:"importance" enum:"required,recommended,optional"`
	Status     string `json:"status" enum:"provided,compiled,missing" doc:"provided: staged by a person; compiled: filled by the evidence compiler and unchanged since (evidence_sources says from where); missing"`
}

// hasChecklist tells whether a dispute shown to this reader carries the checklist: a chargeback,
// inquiry or manual dispute shown to the merchant. An alert is answered without evidence, a
// marketplace dispute is argued by its parties, and a party does not see the merchant's case.
func hasChecklist(d dispute.Dispute, party bool) bool {
	return !party && d.Type != dispute.Alert && d.Type != dispute.Marketplace
}

// checklistOut fills a dispute's checklist, completeness and sources, c being what the
// reason-code catalogue says of its reason.
func checklistOut(out *Dispute, d dispute.Dispute, c reasoncode.Classification, product checklist.ProductType) {
	r := checklist.Evaluate(checklist.Category(c, d.Reason), product, d.Evidence, d.EvidenceSources)
	out.EvidenceChecklist = make([]ChecklistItem, len(r.Entries))
	for i, e := range r.Entries {
		out.EvidenceChecklist[i] = ChecklistItem{Field: e.Field, Label: e.Label, Why: e.Why, Importance: string(e.Importance), Status: string(e.Status)}
	}
	out.EvidenceCompleteness = &r.Completeness
	sources := nonNil(d.EvidenceSources)
	out.EvidenceSources = &sources
}
