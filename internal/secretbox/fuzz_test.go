package secretbox

import (
	"errors"
	"testing"
)

// fuzzKey is a fixed key, so that the seeds in testdata stay sealed values of it.
const fuzzKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="

// FuzzOpen feeds Open outside text, as a database changed behind the server's back would hold:
// it opens only what was sealed for that place, and refuses anything else with ErrCorrupt or
// ErrUnknownKey, never with a panic; what it opens seals and opens again to itself.
func FuzzOpen(f *testing.F) {
	r, err := Parse(fuzzKey)
	if err != nil {
		f.Fatal(err)
	}
	const what = "provider:stripe:webhook_secret"
	f.Add(r.Seal("whsec_1", what), what)
	f.Add(r.Seal("whsec_1", what), "provider:stripe:api_key")
	f.Add("whsec_plain", what)
	f.Add("v1:00000000:AAAA", what)
	f.Add("v1::", what)
	f.Add("", what)
	f.Fuzz(func(t *testing.T, text, place string) {
		plain, err := r.Open(text, place)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrUnknownKey) {
				t.Fatalf("Open(%q) = %v: neither corrupt nor an unknown key", text, err)
			}
			if plain != "" {
				t.Fatalf("Open(%q) refused but returned %q", text, plain)
			}
			return
		}
		if text != "" && !Sealed(text) {
			t.Fatalf("Open(%q) accepted text that is not a sealed value", text)
		}
		back, err := r.Open(r.Seal(plain, place), place)
		if err != nil || back != plain {
			t.Fatalf("resealing %q: %q, %v", plain, back, err)
		}
	})
}
