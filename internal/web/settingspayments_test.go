package web_test

import (
	"net/url"
	"strings"
	"testing"

	"disputed/internal/actor"
	"disputed/internal/httpapi"
	"disputed/internal/testenv"
)

// TestSettingsPageOrderMetadataKey: the settings page shows the order metadata key in force
// (order_id), saves the merchant's own, as /v1/settings then has it, and shows a refused key
// beside its field, nothing saved.
func TestSettingsPageOrderMetadataKey(t *testing.T) {
	t.Parallel()
	e := testenv.New(t, "sqlite", testenv.Options{})
	c := e.Serve()
	f := e.Forms(c, actor.Admin, "")
	if page := f.Get("/settings"); !strings.Contains(page.Body, `name="order_metadata_key" maxlength="40" autocapitalize="off" spellcheck="false" value="order_id"`) {
		t.Fatalf("the settings page lacks the order metadata key")
	}
	form := url.Values{"merchant_name": {"Shop"}, "reminder_offsets": {"72h"}, "party_items": {"50"}, "party_bytes": {"52428800"},
		"total_items": {"150"}, "total_bytes": {"104857600"}, "order_metadata_key": {"custom_id"}}
	if a := f.Post("/settings", f.Signed(form)); a.Status != 303 && a.Status != 200 {
		t.Fatalf("saving: %d %s", a.Status, a.Body)
	}
	if got := testenv.Want[httpapi.Settings](t, c.Get("/v1/settings"), 200); got.OrderMetadataKey != "custom_id" {
		t.Fatalf("saved key %q", got.OrderMetadataKey)
	}
	form.Set("order_metadata_key", "order[id]")
	if a := f.Post("/settings", f.Signed(form)); a.Status != 422 || !strings.Contains(a.Body, "order_metadata_key must be") {
		t.Errorf("a bad key: %d", a.Status)
	}
	if got := testenv.Want[httpapi.Settings](t, c.Get("/v1/settings"), 200); got.OrderMetadataKey != "custom_id" {
		t.Errorf("after a refusal %q", got.OrderMetadataKey)
	}
}
