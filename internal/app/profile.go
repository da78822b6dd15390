package app

import (
	"context"
	"net/mail"
	"net/url"
	"strings"

	"disputed/internal/checklist"
	"disputed/internal/fault"
	"disputed/internal/store"
)

// ProfileParams change the merchant's profile (store.Profile); nil fields are left alone, ""
// clears a text.
type ProfileParams struct {
	ProductType                  *string
	Website                      *string
	SupportEmail                 *string
	SupportPhone                 *string
	TermsURL                     *string
	RefundPolicy                 *string
	RefundPolicyDisclosure       *string
	CancellationPolicy           *string
	CancellationPolicyDisclosure *string
	CompileOnOpen                *bool
}

// The profile's limits: a policy is one evidence value (Stripe's 20,000 characters); the rest
// are a line.
const (
	maxPolicy     = 20000
	maxDisclosure = 1000
	maxProfileURL = 2000
	maxContact    = 200
)

// ProductType is the merchant's product type, which picks the evidence checklist of each of its
// disputes. Everyone who sees a dispute may know it: the portal tells a party what would help.
func (a *App) ProductType(ctx context.Context) (checklist.ProductType, error) {
	s, err := a.store.GetSettings(ctx)
	return s.Profile.ProductType.Effective(), err
}

// apply checks p and sets it on pr; the error names the field that breaks a rule.
func (p ProfileParams) apply(pr *store.Profile) error {
	if p.ProductType != nil {
		t := checklist.ProductType(strings.TrimSpace(*p.ProductType))
		if !t.Valid() {
			return fault.Invalidf(fault.CodeInvalidValue, "product_type", "product_type must be one of %s", productTypeNames())
		}
		pr.ProductType = t
	}
	for _, f := range []struct {
		name  string
		in    *string
		to    *string
		limit int
		check func(string) bool
		want  string
	}{
		{"website", p.Website, &pr.Website, maxProfileURL, webURL, "an http or https URL"},
		{"terms_url", p.TermsURL, &pr.TermsURL, maxProfileURL, webURL, "an http or https URL"},
		{"support_email", p.SupportEmail, &pr.SupportEmail, maxContact, emailAddress, "an email address such as help@example.com"},
		{"support_phone", p.SupportPhone, &pr.SupportPhone, maxContact, nil, ""},
		{"refund_policy", p.RefundPolicy, &pr.RefundPolicy, maxPolicy, nil, ""},
		{"refund_policy_disclosure", p.RefundPolicyDisclosure, &pr.RefundPolicyDisclosure, maxDisclosure, nil, ""},
		{"cancellation_policy", p.CancellationPolicy, &pr.CancellationPolicy, maxPolicy, nil, ""},
		{"cancellation_policy_disclosure", p.CancellationPolicyDisclosure, &pr.CancellationPolicyDisclosure, maxDisclosure, nil, ""},
	} {
		if f.in == nil {
			continue
		}
		v := strings.TrimSpace(*f.in)
		if len(v) > f.limit {
			return fault.Invalidf(fault.CodeInvalidValue, f.name, "%s is longer than %d characters", f.name, f.limit)
		}
		if v != "" && f.check != nil && !f.check(v) {
			return fault.Invalidf(fault.CodeInvalidValue, f.name, "%s must be %s", f.name, f.want)
		}
		*f.to = v
	}
	if p.CompileOnOpen != nil {
		pr.CompileManually = !*p.CompileOnOpen
	}
	return nil
}

// webURL tells whether s is an absolute http or https URL with a host: what a customer's bank
// can be pointed to.
func webURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// emailAddress tells whether s is one bare address (no display name), with a dot in its domain.
func emailAddress(s string) bool {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	return strings.Contains(s[at+1:], ".")
}

func productTypeNames() string {
	var names []string
	for _, p := range checklist.Products() {
		names = append(names, string(p.ProductType))
	}
	return strings.Join(names, ", ")
}
