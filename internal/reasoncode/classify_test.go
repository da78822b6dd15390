package reasoncode

import "testing"

func TestClassify(t *testing.T) {
	for _, tt := range []struct {
		network, code, reason string
		wantNetwork           string
		wantCategory          Category
		wantEntry             string // the entry's code, "" for none
		wantUnknown           bool
	}{
		{"", "10.4", "fraudulent", "visa", Fraud, "10.4", false},
		{"", " 4853 ", "product_unacceptable", "mastercard", ConsumerDispute, "4853", false},
		{"", "c08", "product_not_received", "amex", ConsumerDispute, "C08", false},
		{"", "4755", "product_not_received", "discover", ConsumerDispute, "RG", false}, // an alias
		// A case at PayPal without a code: PayPal's network, the reason's family.
		{"paypal", "", "product_not_received", "paypal", ConsumerDispute, "", false},
		// A card network's code relayed by PayPal: the code says the network.
		{"paypal", "13.1", "product_not_received", "visa", ConsumerDispute, "13.1", false},
		// A code the catalogue lacks is kept, flagged; its shape still names the network, the
		// reason its family.
		{"", "19.9", "fraudulent", "visa", Fraud, "", true},
		{"", "ZZ99Q", "a reason a person typed", "", "", "", true},
		{"visa", "", "", "visa", "", "", false},
		{"", "", "Fraudulent", "", "", "", false}, // Stripe's reasons are lower case: a typed one is not one
	} {
		c := Classify(tt.network, tt.code, tt.reason)
		entry := ""
		if c.Entry != nil {
			entry = c.Entry.Code
		}
		if c.Network != tt.wantNetwork || c.Category != tt.wantCategory || entry != tt.wantEntry || c.Unknown != tt.wantUnknown {
			t.Errorf("Classify(%q, %q, %q) = %s %s entry %q unknown %v; want %s %s entry %q unknown %v", tt.network, tt.code, tt.reason,
				c.Network, c.Category, entry, c.Unknown, tt.wantNetwork, tt.wantCategory, tt.wantEntry, tt.wantUnknown)
		}
	}
}
