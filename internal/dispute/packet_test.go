package dispute

import (
	"strings"
	"testing"

	"disputed/internal/fault"
)

// TestPacketLimits: Stripe's 4.5 MB and 50 pages combined, PayPal's 10 MB a file and 50 MB a
// case, and each provider's file kinds, are checked before a push; the refusal says which limit
// and by how much.
func TestPacketLimits(t *testing.T) {
	t.Parallel()
	stripe, ok := ProviderPacketLimits("stripe")
	paypal, ok2 := ProviderPacketLimits("paypal")
	if !ok || !ok2 || stripe.Source == "" || paypal.Checked == "" {
		t.Fatalf("limits: %+v %+v", stripe, paypal)
	}
	if _, ok := ProviderPacketLimits("generic"); ok {
		t.Fatal("the generic feed takes no files")
	}
	pdf := func(field string, size int64, pages int) PacketFile {
		return PacketFile{Field: field, Name: field + ".pdf", ContentType: "application/pdf", Size: size, Pages: pages}
	}
	tests := []struct {
		name   string
		limits PacketLimits
		files  []PacketFile
		code   string // "" when it fits
		words  string
	}{
		{"Stripe: two files within 4.5 MB", stripe, []PacketFile{pdf("receipt", 2_000_000, 3), pdf("uncategorized_file", 2_500_000, 3)}, "", ""},
		{"Stripe: one byte over 4.5 MB", stripe, []PacketFile{pdf("receipt", 2_000_000, 3), pdf("uncategorized_file", 2_500_001, 3)}, "evidence_packet_too_large", "1 byte too many"},
		{"Stripe: 51 pages", stripe, []PacketFile{pdf("receipt", 1000, 30), pdf("uncategorized_file", 1000, 21)}, "evidence_packet_too_large", "51, 1 too many"},
		{"Stripe: no GIF", stripe, []PacketFile{{Field: "receipt", Name: "r.gif", ContentType: "image/gif", Size: 10, Pages: 1}}, "unsupported_file_type", "image/gif"},
		{"PayPal: a GIF", paypal, []PacketFile{{Field: "receipt", Name: "r.gif", ContentType: "image/gif", Size: 10, Pages: 1}}, "", ""},
		{"PayPal: a file over 10 MB", paypal, []PacketFile{pdf("receipt", 10_000_001, 1)}, "evidence_packet_too_large", "10.00 MB"},
		{"PayPal: 60 MB in 6 files", paypal, []PacketFile{pdf("a", 9_000_000, 1), pdf("b", 9_000_000, 1), pdf("c", 9_000_000, 1),
			pdf("d", 9_000_000, 1), pdf("e", 9_000_000, 1), pdf("f", 9_000_000, 1)}, "evidence_packet_too_large", "4.00 MB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.limits.Check(tt.files)
			if tt.code == "" {
				if err != nil {
					t.Fatalf("Check = %v, want it to fit", err)
				}
				return
			}
			fe, ok := fault.As(err)
			if !ok || fe.Kind != fault.Invalid || fe.Code != tt.code || !strings.Contains(fe.Message, tt.words) {
				t.Fatalf("Check = %v, want %s saying %q", err, tt.code, tt.words)
			}
		})
	}
}

func TestPages(t *testing.T) {
	t.Parallel()
	three := "%PDF-1.4\n1 0 obj<</Type/Pages/Count 3>>\n2 0 obj<</Type /Page>>\n3 0 obj<</Type/Page/Parent 1 0 R>>\n4 0 obj<</Type /Page >>\n"
	compressed := "%PDF-1.5\n1 0 obj<</Type/Pages/Count 7/Kids[]>>\n"
	for _, tt := range []struct {
		ct, data string
		want     int
	}{{"application/pdf", three, 3}, {"application/pdf", compressed, 7}, {"application/pdf", "%PDF-1.7 nothing", 1}, {"image/png", "", 1}} {
		if got := Pages(tt.ct, []byte(tt.data)); got != tt.want {
			t.Errorf("Pages(%q) = %d, want %d", tt.data, got, tt.want)
		}
	}
}
