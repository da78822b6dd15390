package secretbox

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func ring(t testing.TB, keys ...string) *Ring {
	t.Helper()
	r, err := Parse(strings.Join(keys, ","))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestSealOpens(t *testing.T) {
	r := ring(t, NewKey())
	sealed := r.Seal("whsec_abc", "provider:stripe:webhook_secret")
	if strings.Contains(sealed, "whsec_abc") || !strings.HasPrefix(sealed, "v1:"+r.SealingKey()+":") {
		t.Fatalf("sealed %q", sealed)
	}
	if again := r.Seal("whsec_abc", "provider:stripe:webhook_secret"); again == sealed {
		t.Errorf("two seals of one value are alike: the nonce is not random")
	}
	got, err := r.Open(sealed, "provider:stripe:webhook_secret")
	if err != nil || got != "whsec_abc" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	if !Sealed(sealed) || Sealed("whsec_abc") || !r.Current(sealed) || r.Current("whsec_abc") {
		t.Errorf("Sealed or Current misjudge %q", sealed)
	}
}

func TestSealNothingIsNothing(t *testing.T) {
	r := ring(t, NewKey())
	if s := r.Seal("", "panel:x:secret"); s != "" {
		t.Errorf("Seal of nothing = %q", s)
	}
	if got, err := r.Open("", "panel:x:secret"); got != "" || err != nil {
		t.Errorf("Open of nothing = %q, %v", got, err)
	}
	if !r.Current("") {
		t.Errorf("nothing needs sealing again")
	}
}

func TestSealedValueBoundToItsPlace(t *testing.T) {
	r := ring(t, NewKey())
	sealed := r.Seal("sk_live_1", "provider:stripe:api_key")
	for _, what := range []string{"provider:other:api_key", "provider:stripe:webhook_secret", ""} {
		if _, err := r.Open(sealed, what); !errors.Is(err, ErrCorrupt) {
			t.Errorf("opened as %q: %v", what, err)
		}
	}
	// The last two characters changed (to "AA", or "BB" when they were "AA": a test that could
	// leave the value as it was would pass by luck one time in 4,096).
	tail := "AA"
	if strings.HasSuffix(sealed, tail) {
		tail = "BB"
	}
	tampered := sealed[:len(sealed)-2] + tail
	if _, err := r.Open(tampered, "provider:stripe:api_key"); !errors.Is(err, ErrCorrupt) {
		t.Errorf("a changed value opened: %v", err)
	}
}

func TestRingRotation(t *testing.T) {
	oldKey, newKey := NewKey(), NewKey()
	old := ring(t, oldKey)
	sealed := old.Seal("s3cret", "panel:xui:secret")
	both := ring(t, newKey, oldKey)
	if got, err := both.Open(sealed, "panel:xui:secret"); err != nil || got != "s3cret" {
		t.Fatalf("the second key does not open: %q, %v", got, err)
	}
	if both.Current(sealed) {
		t.Errorf("a value under the old key is current")
	}
	resealed := both.Seal("s3cret", "panel:xui:secret")
	if KeyOf(resealed) != both.SealingKey() || both.SealingKey() == old.SealingKey() {
		t.Errorf("sealed under %s, want the first key %s", KeyOf(resealed), both.SealingKey())
	}
	if _, err := ring(t, newKey).Open(sealed, "panel:xui:secret"); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("a ring without the old key: %v, want ErrUnknownKey", err)
	}
	if ids := both.KeyIDs(); len(ids) != 2 || ids[1] != old.SealingKey() {
		t.Errorf("KeyIDs %v", ids)
	}
}

func TestParseRefusesBadKeys(t *testing.T) {
	for _, list := range []string{"", "short", "c2hvcnQ=", NewKey() + ",", NewKey() + ",nope"} {
		if _, err := Parse(list); err == nil {
			t.Errorf("Parse(%q) accepted", list)
		} else if strings.Contains(err.Error(), list) && list != "" {
			t.Errorf("the error repeats the key: %v", err)
		}
	}
	if _, err := Parse(" " + NewKey() + " , " + NewKey()); err != nil {
		t.Errorf("spaces around the keys: %v", err)
	}
}

func TestDeriveRotatesWithTheKey(t *testing.T) {
	old, next := NewKey(), NewKey()
	before := ring(t, old).Derive("oauth")
	during := ring(t, next, old).Derive("oauth")
	if len(during) != 2 || !bytes.Equal(during[1], before[0]) {
		t.Fatal("while rotating, the old key's derived key must still be there, second")
	}
	if bytes.Equal(during[0], before[0]) || len(during[0]) != 32 {
		t.Fatal("the new key must derive a new 32-byte key")
	}
	if bytes.Equal(ring(t, old).Derive("other")[0], before[0]) {
		t.Fatal("two purposes must derive two keys")
	}
}
