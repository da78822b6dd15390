package monitoring

import (
	"fmt"
	"strings"
	"time"

	"disputed/internal/fault"
)

// maxRows bounds a merchant's own table: a few tiers of a few programs, each with a few dated rows.
const maxRows = 100

// Normalize checks the merchant's own rows (named param[i].field in errors) and returns them with
// network, program and tier in lower case. A row must name a program disputed measures
// (Programs): a threshold of one it does not count would never be judged.
func Normalize(param string, rows []Row) ([]Row, error) {
	if len(rows) > maxRows {
		return nil, fault.Invalidf(fault.CodeInvalidValue, param, "%s has %d rows; at most %d", param, len(rows), maxRows)
	}
	out := make([]Row, len(rows))
	for i, r := range rows {
		at := func(field string) string { return fmt.Sprintf("%s[%d].%s", param, i, field) }
		r.Network, r.Program = strings.ToLower(strings.TrimSpace(r.Network)), strings.ToLower(strings.TrimSpace(r.Program))
		r.Tier = strings.ToLower(strings.TrimSpace(r.Tier))
		if _, ok := ProgramOf(r.Network, r.Program); !ok {
			return nil, fault.Invalidf(fault.CodeInvalidValue, at("program"), "%s: network and program must be visa and vamp, or mastercard and ecp", at("program"))
		}
		if r.Tier == "" || len(r.Tier) > 40 {
			return nil, fault.Invalidf(fault.CodeInvalidValue, at("tier"), "%s must name the tier in 1 to 40 characters", at("tier"))
		}
		if !(r.Ratio > 0 && r.Ratio < 1) {
			return nil, fault.Invalidf(fault.CodeInvalidValue, at("ratio"), "%s must be a fraction between 0 and 1 (0.015 is 1.5 %%)", at("ratio"))
		}
		if r.MinCount < 0 || r.MinCount > 1_000_000_000 {
			return nil, fault.Invalidf(fault.CodeInvalidValue, at("min_count"), "%s must be between 0 and 1000000000", at("min_count"))
		}
		if _, err := time.Parse(time.DateOnly, r.Effective); err != nil {
			return nil, fault.Invalidf(fault.CodeInvalidValue, at("effective"), "%s must be a date such as 2026-04-01", at("effective"))
		}
		if len(r.Source) > 500 {
			return nil, fault.Invalidf(fault.CodeInvalidValue, at("source"), "%s is longer than 500 characters", at("source"))
		}
		for j := range i {
			if p := out[j]; p.Network == r.Network && p.Program == r.Program && p.Tier == r.Tier && p.Effective == r.Effective {
				return nil, fault.Invalidf(fault.CodeInvalidValue, at("effective"), "%s repeats row %d's program, tier and date", fmt.Sprintf("%s[%d]", param, i), j)
			}
		}
		out[i] = r
	}
	return out, nil
}

// CheckApproach checks the fraction of a threshold at which a ratio is approaching it (named
// param in errors).
func CheckApproach(param string, x float64) error {
	if !(x > 0 && x < 1) {
		return fault.Invalidf(fault.CodeInvalidValue, param, "%s must be a fraction between 0 and 1, such as 0.75", param)
	}
	return nil
}
