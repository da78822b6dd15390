package web

import (
	"net/http"

	"disputed/internal/app"
	"disputed/internal/checklist"
	"disputed/internal/store"
)

// profileForm is the merchant's profile as the settings form shows it.
type profileForm struct {
	ProductType                  string
	Website                      string
	SupportEmail                 string
	SupportPhone                 string
	TermsURL                     string
	RefundPolicy                 string
	RefundPolicyDisclosure       string
	CancellationPolicy           string
	CancellationPolicyDisclosure string
	CompileOnOpen                bool
}

// ProductTypes are the product types to choose from, by label.
func (profileForm) ProductTypes() []checklist.Product { return checklist.Products() }

func profileFormOf(p store.Profile) profileForm {
	return profileForm{ProductType: string(p.ProductType.Effective()), Website: p.Website, SupportEmail: p.SupportEmail,
		SupportPhone: p.SupportPhone, TermsURL: p.TermsURL, RefundPolicy: p.RefundPolicy, RefundPolicyDisclosure: p.RefundPolicyDisclosure,
		CancellationPolicy: p.CancellationPolicy, CancellationPolicyDisclosure: p.CancellationPolicyDisclosure, CompileOnOpen: !p.CompileManually}
}

func profilePosted(r *http.Request) profileForm {
	v := r.PostFormValue
	return profileForm{ProductType: v("product_type"), Website: v("website"), SupportEmail: v("support_email"), SupportPhone: v("support_phone"),
		TermsURL: v("terms_url"), RefundPolicy: v("refund_policy"), RefundPolicyDisclosure: v("refund_policy_disclosure"),
		CancellationPolicy: v("cancellation_policy"), CancellationPolicyDisclosure: v("cancellation_policy_disclosure"),
		CompileOnOpen: v("compile_on_open") == "yes"}
}

// params sends every field, so that the page saves what it shows; but a form without a product
// type (one posted by something other than the page) keeps the one saved.
func (f *profileForm) params() app.ProfileParams {
	var product *string
	if f.ProductType != "" {
		product = &f.ProductType
	}
	return app.ProfileParams{ProductType: product, Website: &f.Website, SupportEmail: &f.SupportEmail, SupportPhone: &f.SupportPhone,
		TermsURL: &f.TermsURL, RefundPolicy: &f.RefundPolicy, RefundPolicyDisclosure: &f.RefundPolicyDisclosure,
		CancellationPolicy: &f.CancellationPolicy, CancellationPolicyDisclosure: &f.CancellationPolicyDisclosure, CompileOnOpen: &f.CompileOnOpen}
}
