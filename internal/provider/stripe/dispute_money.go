package stripe

import (
	"bytes"
	"encoding/json"
	"strconv"

	"disputed/internal/dispute"
)

// balanceTransaction is what we read of a dispute's balance transactions: the movements of
// money Stripe made for it (the withdrawal, a reinstatement) and the fees it charged on each.
// fee_details itemises fee; a transaction that has a fee but no itemisation is read as one fee.
type balanceTransaction struct {
	ID         string `json:"id"`
	Currency   string `json:"currency"`
	Fee        int64  `json:"fee"`
	FeeDetails []struct {
		Amount      int64  `json:"amount"`
		Currency    string `json:"currency"`
		Description string `json:"description"`
	} `json:"fee_details"`
}

// unitemisedFee names a fee Stripe charged without itemising it.
const unitemisedFee = "Stripe fee"

// readFees reads the fees of a dispute's balance transactions: what Stripe charged (the dispute
// fee, positive) and gave back (its refund when the merchant won, negative). A transaction given
// by id only (the API versions that did not expand it) says no fee.
func readFees(param string, txns []json.RawMessage) ([]dispute.Fee, error) {
	var fees []dispute.Fee
	for i, raw := range txns {
		p := param + "[" + strconv.Itoa(i) + "]"
		if raw = bytes.TrimSpace(raw); isNull(raw) || raw[0] == '"' {
			continue
		}
		var bt balanceTransaction
		if err := json.Unmarshal(raw, &bt); err != nil {
			return nil, jsonError(p, err)
		}
		if len(bt.FeeDetails) == 0 && bt.Fee != 0 {
			f, err := readFee(p+".fee", bt.Fee, bt.Currency, unitemisedFee, bt.ID)
			if err != nil {
				return nil, err
			}
			fees = append(fees, f)
		}
		for j, fd := range bt.FeeDetails {
			if fd.Amount == 0 {
				continue
			}
			currency := fd.Currency
			if currency == "" {
				currency = bt.Currency
			}
			description := fd.Description
			if description == "" {
				description = unitemisedFee
			}
			f, err := readFee(p+".fee_details["+strconv.Itoa(j)+"]", fd.Amount, currency, description, bt.ID)
			if err != nil {
				return nil, err
			}
			fees = append(fees, f)
		}
	}
	return fees, nil
}

// readFee converts one signed fee into ISO 4217 minor units.
func readFee(param string, amount int64, currency, description, reference string) (dispute.Fee, error) {
	if currency == "" {
		return dispute.Fee{}, missing(param + ".currency")
	}
	magnitude := amount
	if amount < 0 {
		if amount == -amount { // the one int64 with no positive counterpart
			return dispute.Fee{}, invalid(param+".amount", "the amount %d is out of range", amount)
		}
		magnitude = -amount
	}
	minor, code, err := readAmount(param, magnitude, currency)
	if err != nil {
		return dispute.Fee{}, err
	}
	if amount < 0 {
		minor = -minor
	}
	return dispute.Fee{Amount: minor, Currency: code, Description: description, ProviderReference: reference}, nil
}

// readEvidence reads the evidence Stripe holds for a dispute: the object's non-empty text and
// file fields (a file field is a file id, or an expanded file with an id). Fields that are not
// text or a file (enhanced_evidence and whatever Stripe adds) are not evidence we keep. Before
// API version 2014-12-08, evidence was one string: it is read as uncategorized_text, the field
// that took its place.
func readEvidence(param string, raw json.RawMessage) (map[string]string, error) {
	raw = bytes.TrimSpace(raw)
	switch {
	case isNull(raw):
		return nil, nil
	case raw[0] == '"':
		var text string
		if err := json.Unmarshal(raw, &text); err != nil {
			return nil, jsonError(param, err)
		}
		if text == "" {
			return nil, nil
		}
		return map[string]string{"uncategorized_text": text}, nil
	case raw[0] != '{':
		return nil, invalid(param, "%s must be an object or a string", param)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return nil, jsonError(param, err)
	}
	out := map[string]string{}
	for k, v := range fields {
		v = bytes.TrimSpace(v)
		if isNull(v) || (v[0] != '"' && v[0] != '{') {
			continue
		}
		if v[0] == '{' && !isFileObject(v) {
			continue
		}
		value, err := readID(param+"."+k, v)
		if err != nil {
			return nil, err
		}
		if value != "" {
			out[k] = value
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// isFileObject tells an expanded File from the other objects an evidence object holds.
func isFileObject(raw json.RawMessage) bool {
	var o struct {
		Object string `json:"object"`
	}
	return json.Unmarshal(raw, &o) == nil && o.Object == "file"
}
