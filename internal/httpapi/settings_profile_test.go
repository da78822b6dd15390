package httpapi_test

import (
	"strings"
	"testing"

	"disputed/internal/httpapi"
	"disputed/internal/testenv"
)

// TestSettingsProfile: the merchant's profile has its defaults before any save, round-trips on
// both stores, and a value that breaks a rule is refused with its field named and nothing saved.
func TestSettingsProfile(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		st := testenv.Want[httpapi.Settings](t, c.Get("/v1/settings"), 200)
		if st.ProductType != "digital_service" || !st.CompileOnOpen || st.Website != "" {
			t.Errorf("defaults: %+v, want product_type digital_service, compile_on_open true", st.Profile)
		}
		want := httpapi.Profile{ProductType: "physical_goods", Website: "https://shop.example", SupportEmail: "help@shop.example",
			SupportPhone: "+44 20 7946 0000", TermsURL: "https://shop.example/terms", RefundPolicy: "Refunds within 30 days.",
			RefundPolicyDisclosure: "A checkbox at checkout linking to the terms", CancellationPolicy: "Cancel any time.",
			CancellationPolicyDisclosure: "Shown on the plan page", CompileOnOpen: false}
		body := map[string]any{"product_type": want.ProductType, "website": want.Website, "support_email": want.SupportEmail,
			"support_phone": want.SupportPhone, "terms_url": want.TermsURL, "refund_policy": want.RefundPolicy,
			"refund_policy_disclosure": want.RefundPolicyDisclosure, "cancellation_policy": want.CancellationPolicy,
			"cancellation_policy_disclosure": want.CancellationPolicyDisclosure, "compile_on_open": false}
		if got := testenv.Want[httpapi.Settings](t, c.Post("/v1/settings", body), 200).Profile; got != want {
			t.Errorf("saved %+v, want %+v", got, want)
		}
		if got := testenv.Want[httpapi.Settings](t, c.Get("/v1/settings"), 200).Profile; got != want {
			t.Errorf("read back %+v, want %+v", got, want)
		}
		for _, tc := range []struct {
			field string
			value any
		}{
			{"product_type", "spaceships"},
			{"website", "ftp://shop.example"},
			{"website", "shop.example"},
			{"terms_url", "javascript:alert(1)"},
			{"support_email", "not an email"},
			{"support_email", "Help <help@shop.example>"},
			{"refund_policy", strings.Repeat("x", 20001)},
			{"cancellation_policy_disclosure", strings.Repeat("x", 1001)},
		} {
			testenv.WantError(t, c.Post("/v1/settings", map[string]any{tc.field: tc.value, "merchant_name": "Changed"}), 422, "invalid_value", tc.field)
		}
		if got := testenv.Want[httpapi.Settings](t, c.Get("/v1/settings"), 200); got.Profile != want || got.MerchantName == "Changed" {
			t.Errorf("a refused save changed the settings: %+v", got)
		}
	})
}
