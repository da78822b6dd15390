package dispute

import "testing"

func TestProviderReason(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		typ            Type
		reported, want string
	}{
		{Chargeback, "fraudulent", "fraudulent"},
		{Chargeback, "", ""},
		{Chargeback, "a_reason_stripe_adds_next_year", ReasonGeneral},
		{Alert, "fraudulent", "fraudulent"},
	} {
		if got := ProviderReason(tc.typ, tc.reported); got != tc.want {
			t.Errorf("ProviderReason(%s, %q) = %q, want %q", tc.typ, tc.reported, got, tc.want)
		}
	}
}
