package web_test

import (
	"strings"
	"testing"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/testenv"
)

// TestDisputePageFlagsUnknownCode: a network reason code the catalogue lacks is shown as received,
// flagged, with the family of the dispute's reason; a known one is named, unflagged.
func TestDisputePageFlagsUnknownCode(t *testing.T) {
	t.Parallel()
	e := testenv.New(t, "sqlite", testenv.Options{})
	c := e.Serve()
	f := e.Forms(c, actor.Admin, "")
	for code, want := range map[string][]string{
		"19.9": {`id="network-code">19.9 <span class="badge flag" id="code-unknown"`, `id="reason-family">Fraud<`},
		"4837": {`id="network-code">Mastercard 4837 · No Cardholder Authorization<`, `id="reason-family">Fraud<`},
	} {
		d := e.Dispute(e.Sale(testenv.SaleParams{}), "chargeback", func(p *app.DisputeParams) { p.Reason, p.NetworkReasonCode = "fraudulent", code })
		page := f.Get("/disputes/" + d.ID)
		for _, w := range want {
			if !strings.Contains(page.Body, w) {
				t.Errorf("code %s: the page lacks %s", code, w)
			}
		}
		if flagged := strings.Contains(page.Body, `id="code-unknown"`); flagged != (code == "19.9") {
			t.Errorf("code %s flagged: %v", code, flagged)
		}
	}
}
