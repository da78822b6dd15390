package httpapi_test

import (
	"testing"

	"disputed/internal/httpapi"
	"disputed/internal/testenv"
)

// TestEmailSettingsWire: the settings show every customer email template on or off, by name (the
// rules of sending them are tested beside internal/app).
func TestEmailSettingsWire(t *testing.T) {
	t.Parallel()
	c := testenv.New(t, "sqlite", testenv.Options{}).Serve()
	st := testenv.Want[httpapi.Settings](t, c.Post("/v1/settings", map[string]any{"emails": map[string]bool{"dispute_resolved": false}}), 200)
	if on, ok := st.Emails["dispute_resolved"]; !ok || on || !st.Emails["dispute_opened"] {
		t.Fatalf("settings: %+v", st.Emails)
	}
}
