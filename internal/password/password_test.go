package password

import (
	"errors"
	"strings"
	"testing"
)

func TestHashAndCheck(t *testing.T) {
	t.Parallel()
	h, err := Hash("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=1$") || strings.Contains(h, "horse") {
		t.Fatalf("hash %q", h)
	}
	if err := Check(h, "correct horse battery staple"); err != nil {
		t.Fatalf("the right password: %v", err)
	}
	if err := Check(h, "correct horse battery stapl"); !errors.Is(err, ErrMismatch) {
		t.Fatalf("a wrong password: %v", err)
	}
	other, _ := Hash("correct horse battery staple")
	if other == h {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
}

func TestCheckRefusesWhatHashDoesNotWrite(t *testing.T) {
	t.Parallel()
	for _, phc := range []string{"", "plain", "$2a$10$abcdefghijklmnopqrstuv", "$argon2i$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA",
		"$argon2id$v=18$m=65536,t=3,p=1$c2FsdA$aGFzaA", "$argon2id$v=19$m=0,t=3,p=1$c2FsdA$aGFzaA",
		"$argon2id$v=19$m=65536,t=3,p=1$!!$aGFzaA", "$argon2id$v=19$m=99999999,t=3,p=1$c2FsdA$aGFzaA"} {
		if err := Check(phc, "x"); err == nil || errors.Is(err, ErrMismatch) {
			t.Errorf("Check(%q) = %v, want a format error", phc, err)
		}
	}
}
