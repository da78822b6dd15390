package web_test

import (
	"net/url"
	"strings"
	"testing"

	"disputed/internal/actor"
	"disputed/internal/httpapi"
	"disputed/internal/testenv"
)

// TestSettingsPageProfile: an admin sets what the merchant sells and its policies on the
// settings page, as /v1/settings has them; a bad URL is shown beside its field, nothing saved.
func TestSettingsPageProfile(t *testing.T) {
	t.Parallel()
	e := testenv.New(t, "sqlite", testenv.Options{})
	c := e.Serve()
	f := e.Forms(c, actor.Admin, "")
	page := f.Get("/settings")
	if !strings.Contains(page.Body, `<option value="digital_service" selected>Digital service (hosting, software, online access)</option>`) ||
		!strings.Contains(page.Body, `name="compile_on_open" value="yes" checked`) {
		t.Fatalf("the defaults are not shown:\n%s", page.Body)
	}
	form := url.Values{"merchant_name": {"Shop"}, "reminder_offsets": {"72h"}, "party_items": {"50"}, "party_bytes": {"52428800"},
		"total_items": {"150"}, "total_bytes": {"104857600"}, "product_type": {"booking"}, "website": {"https://shop.example"},
		"support_email": {"help@shop.example"}, "refund_policy": {"No refunds within 48 hours of the booking."},
		"refund_policy_disclosure": {"A checkbox at checkout"}}
	if a := f.Post("/settings", f.Signed(form)); a.Status != 303 && a.Status != 200 {
		t.Fatalf("saving: %d %s", a.Status, a.Body)
	}
	got := testenv.Want[httpapi.Settings](t, c.Get("/v1/settings"), 200)
	if got.ProductType != "booking" || got.Website != "https://shop.example" || got.RefundPolicyDisclosure != "A checkbox at checkout" || got.CompileOnOpen {
		t.Errorf("saved %+v", got.Profile)
	}
	form.Set("terms_url", "terms.html")
	a := f.Post("/settings", f.Signed(form))
	if a.Status != 422 || !strings.Contains(a.Body, `id="terms-url"`) || !strings.Contains(a.Body, "terms_url must be an http or https URL") {
		t.Errorf("a bad terms URL: %d", a.Status)
	}
	if got := testenv.Want[httpapi.Settings](t, c.Get("/v1/settings"), 200); got.TermsURL != "" {
		t.Errorf("a refused form saved terms_url %q", got.TermsURL)
	}
}
