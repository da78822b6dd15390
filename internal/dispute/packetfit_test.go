package dispute

import (
	"strings"
	"testing"
)

func TestFitPacket(t *testing.T) {
	exhibits := []PacketExhibit{{Mark: "A", Label: "Note", Pages: 1, Bytes: 500}, {Mark: "B", Label: "Access log", Pages: 14, Bytes: 40_000},
		{Mark: "C", Label: "Photo", Pages: 1, Bytes: 3_900_000}, {Mark: "D", Label: "Invoice", Pages: 6, Bytes: 90_000}}
	if fit := FitPacket("stripe", "visa", 22, 4_100_000, exhibits); !fit.Fits() || len(fit.Limits) != 1 || len(fit.Cut) != 0 {
		t.Errorf("22 pages, 4.1 MB for Stripe Visa: %+v, want it to fit", fit)
	}
	fit := FitPacket("stripe", "mastercard", 22, 4_100_000, exhibits)
	if fit.Fits() || len(fit.Limits) != 2 || len(fit.Over) != 1 || !strings.Contains(fit.Over[0], "Mastercard takes at most 19 pages; the packet has 22, 3 too many") {
		t.Fatalf("22 pages for Mastercard: %+v", fit)
	}
	if len(fit.Cut) != 1 || fit.Cut[0].Mark != "B" {
		t.Errorf("cut %+v, want the access log (14 pages)", fit.Cut)
	}
	fit = FitPacket("stripe", "mastercard", 22, 4_600_000, exhibits)
	if len(fit.Over) != 2 || len(fit.Cut) != 2 || fit.Cut[0].Mark != "B" || fit.Cut[1].Mark != "C" {
		t.Errorf("over in pages and bytes: %+v, want the log, then the photo", fit)
	}
	if fit := FitPacket("paypal", "paypal", 80, 10_000_001, exhibits); len(fit.Over) != 1 || !strings.Contains(fit.Over[0], "PayPal takes at most 10.00 MB") {
		t.Errorf("PayPal: %+v, want the 10 MB a file", fit)
	}
	if fit := FitPacket("generic", "amex", 500, 1<<30, exhibits); !fit.Fits() || len(fit.Limits) != 0 {
		t.Errorf("no limits known: %+v", fit)
	}
}
