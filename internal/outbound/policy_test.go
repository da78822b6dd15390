package outbound

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
)

// TestSecurityAllowPrivateKeepsMetadataClosed: DISPUTED_WEBHOOK_ALLOW_PRIVATE=1 opens private and
// loopback addresses but never link-local nor metadata services, however written; a list of
// prefixes opens exactly those, so the metadata address is reached only when named.
func TestSecurityAllowPrivateKeepsMetadataClosed(t *testing.T) {
	t.Parallel()
	named, err := ParsePolicy("169.254.169.254/32, 10.0.0.0/8")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		addr                     string
		byDefault, byOne, byList bool
	}{
		{"8.8.8.8", true, true, true},
		{"127.0.0.1", false, true, false},
		{"::1", false, true, false},
		{"10.1.2.3", false, true, true},
		{"::ffff:10.1.2.3", false, true, true},
		{"192.168.1.1", false, true, false},
		{"169.254.169.254", false, false, true},
		{"::ffff:169.254.169.254", false, false, true},
		{"169.254.169.253", false, false, false},
		{"64:ff9b::a9fe:a9fe", false, false, false},
		{"2002:a9fe:a9fe::1", false, false, false},
		{"fe80::a9fe:a9fe", false, false, false},
		{"fd00:ec2::254", false, false, false},
		{"fd20:ce::254", false, false, false},
		{"100.100.100.200", false, false, false},
		{"100.100.100.201", false, true, false},
	}
	for _, tt := range tests {
		a := netip.MustParseAddr(tt.addr)
		for _, c := range []struct {
			name   string
			policy Policy
			want   bool
		}{{"unset", Policy{}, tt.byDefault}, {"1", AllowInternal, tt.byOne}, {"a list", named, tt.byList}} {
			if got := c.policy.Allows(a); got != c.want {
				t.Errorf("%s=%s: allows %s = %v, want %v", AllowPrivateEnv, c.name, tt.addr, got, c.want)
			}
		}
	}
	err = control(AllowInternal)("tcp", "169.254.169.254:80", nil)
	var refused *RefusedError
	if !errors.As(err, &refused) || !strings.Contains(err.Error(), "169.254.169.254/32") {
		t.Errorf("refusal of the metadata address with =1: %v, want one naming the prefix to list", err)
	}
}

func TestParsePolicy(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"", "0", "1", "10.0.0.0/8", "fd00:ec2::254/128,169.254.169.254/32", " 10.0.0.0/8 , 127.0.0.0/8 "} {
		if _, err := ParsePolicy(v); err != nil {
			t.Errorf("ParsePolicy(%q): %v", v, err)
		}
	}
	for _, v := range []string{"true", "yes", "10.0.0.1", "10.0.0.0/33", "10.0.0.0/8,", "1,10.0.0.0/8"} {
		if _, err := ParsePolicy(v); err == nil || !strings.Contains(err.Error(), AllowPrivateEnv) {
			t.Errorf("ParsePolicy(%q) = %v, want an error naming the variable", v, err)
		}
	}
}
