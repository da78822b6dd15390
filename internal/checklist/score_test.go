package checklist

import (
	"testing"

	"disputed/internal/reasoncode"
)

// fill stages every item of a checklist whose importance is in imps.
func fill(items []Item, imps ...Importance) map[string]string {
	ev := map[string]string{}
	for _, it := range items {
		for _, imp := range imps {
			if it.Importance == imp {
				ev[it.Field] = "value of " + it.Field
			}
		}
	}
	return ev
}

func TestEvaluateCompleteness(t *testing.T) {
	t.Parallel()
	items := Items("fraudulent", "digital_service")
	weight := func(imps ...Importance) int {
		n := 0
		for _, it := range items {
			for _, imp := range imps {
				if it.Importance == imp {
					n += map[Importance]int{Required: 3, Recommended: 2, Optional: 1}[imp]
				}
			}
		}
		return n
	}
	total := weight(Required, Recommended, Optional)
	for _, tc := range []struct {
		name     string
		evidence map[string]string
		want     int
	}{
		{"nothing", nil, 0},
		{"a field not listed", map[string]string{"shipping_carrier": "UPS"}, 0},
		{"required only", fill(items, Required), weight(Required) * 100 / total},
		{"required and recommended", fill(items, Required, Recommended), weight(Required, Recommended) * 100 / total},
		{"everything", fill(items, Required, Recommended, Optional), 100},
	} {
		got := Evaluate("fraudulent", "digital_service", tc.evidence, nil).Completeness
		if got != tc.want {
			t.Errorf("%s: completeness %d, want %d", tc.name, got, tc.want)
		}
	}
	// A required item weighs three optional ones.
	one := func(field string) int {
		return Evaluate("fraudulent", "digital_service", map[string]string{field: "x"}, nil).Completeness
	}
	if r, o := one("customer_purchase_ip"), one("uncategorized_text"); r != 3*100/total || o != 100/total {
		t.Errorf("one required item scores %d, one optional %d; want %d and %d", r, o, 3*100/total, 100/total)
	}
	// Everything but one optional item is not 100.
	all := fill(items, Required, Recommended, Optional)
	delete(all, "uncategorized_file")
	if got := Evaluate("fraudulent", "digital_service", all, nil).Completeness; got >= 100 {
		t.Errorf("with an optional item missing the score is %d", got)
	}
}

func TestEvaluateStatus(t *testing.T) {
	t.Parallel()
	evidence := map[string]string{"customer_purchase_ip": "203.0.113.9", "access_activity_log": "signed in 3 times"}
	sources := map[string]string{"customer_purchase_ip": "order ord_1", "receipt": "order ord_1"} // receipt compiled, then removed
	r := Evaluate("fraudulent", "digital_service", evidence, sources)
	got := map[string]Status{}
	for _, e := range r.Entries {
		got[e.Field] = e.Status
		if e.Label == "" || e.Why == "" {
			t.Errorf("%s has label %q, why %q", e.Field, e.Label, e.Why)
		}
	}
	for field, want := range map[string]Status{"customer_purchase_ip": Compiled, "access_activity_log": Provided, "receipt": Missing, "customer_name": Missing} {
		if got[field] != want {
			t.Errorf("%s is %s, want %s", field, got[field], want)
		}
	}
	// The product type picks the class: physical goods ask for delivery, not the purchase IP.
	for _, e := range Evaluate("fraudulent", "physical_goods", evidence, sources).Entries {
		if e.Field == "customer_purchase_ip" {
			t.Error("the physical checklist for fraud lists the purchase IP")
		}
	}
}

func TestCategory(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		network, code, reason, want string
	}{
		{"visa", "10.4", "general", "fraudulent"},          // the code decides, not the reason
		{"mastercard", "4853", "", "product_unacceptable"}, // all of 4853 is product_unacceptable (S-CAT)
		{"paypal", "INCORRECT_AMOUNT", "", "general"},
		{"", "", "subscription_canceled", "subscription_canceled"},
		{"", "99.99", "duplicate", "duplicate"}, // an unknown code: the reason tells
		{"", "", "insufficient_funds", "general"},
		{"", "", "", "general"},
	} {
		c := reasoncode.Classify(tc.network, tc.code, tc.reason)
		if got := Category(c, tc.reason); got != tc.want {
			t.Errorf("Category(%s %s, %s) = %s, want %s", tc.network, tc.code, tc.reason, got, tc.want)
		}
	}
}

func BenchmarkEvaluate(b *testing.B) {
	evidence := map[string]string{"customer_purchase_ip": "203.0.113.9", "access_activity_log": "log"}
	sources := map[string]string{"customer_purchase_ip": "order ord_1"}
	b.ReportAllocs()
	for b.Loop() {
		Evaluate("fraudulent", "digital_service", evidence, sources)
	}
}
