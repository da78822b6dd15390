package sqlstore

import "disputed/internal/dispute"

// storedFee is a dispute.Fee as the disputes.fees column keeps it. Its own names, not the Go
// field names, so that renaming a field in the domain cannot silently empty stored fees.
type storedFee struct {
	Amount            int64  `json:"amount"`
	Currency          string `json:"currency"`
	Description       string `json:"description"`
	ProviderReference string `json:"provider_reference"`
	// The fee table's estimates only (dispute.EstimateFees): a reported fee keeps its four fields.
	Source       string          `json:"source,omitempty"`
	Kind         dispute.FeeKind `json:"kind,omitempty"`
	TableVersion string          `json:"table_version,omitempty"`
	TableDate    string          `json:"table_date,omitempty"`
	Estimate     bool            `json:"estimate,omitempty"`
}

// fees encodes a dispute's fees; none is stored as [].
func (j *jsonColumns) fees(fs []dispute.Fee) string {
	out := make([]storedFee, len(fs))
	for i, f := range fs {
		out[i] = storedFee(f)
	}
	return j.encode(out)
}

// decodeFees returns the fees of a disputes.fees column, nil when there are none.
func (j *jsonColumns) decodeFees(s string) []dispute.Fee {
	var stored []storedFee
	j.decode(s, &stored)
	if len(stored) == 0 {
		return nil
	}
	out := make([]dispute.Fee, len(stored))
	for i, f := range stored {
		out[i] = dispute.Fee(f)
	}
	return out
}
