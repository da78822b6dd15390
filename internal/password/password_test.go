package password

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"disputed/internal/fault"
)

func TestHashAndCheck(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := NewHasher(DefaultSlots, DefaultWait)
	phc, err := h.Hash(ctx, "correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(phc, "$argon2id$v=19$m=65536,t=3,p=1$") || strings.Contains(phc, "horse") {
		t.Fatalf("hash %q", phc)
	}
	turn, err := h.Turn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer turn.Release()
	if err := turn.Check(phc, "correct horse battery staple"); err != nil {
		t.Fatalf("the right password: %v", err)
	}
	if err := turn.Check(phc, "correct horse battery stapl"); !errors.Is(err, ErrMismatch) {
		t.Fatalf("a wrong password: %v", err)
	}
	other, _ := turn.Hash("correct horse battery staple")
	if other == phc {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
}

// TestTestHasherCheckedAlike: a test hasher's cheap hash carries its cost, so that any Hasher
// checks it, and a test hasher checks a production hash.
func TestTestHasherCheckedAlike(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cheap, real := NewTestHasher(), NewHasher(DefaultSlots, DefaultWait)
	cheapPHC, err := cheap.Hash(ctx, "correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(cheapPHC, "$argon2id$v=19$m=8,t=1,p=1$") {
		t.Fatalf("test hash %q", cheapPHC)
	}
	realPHC, err := real.Hash(ctx, "correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		checker *Hasher
		phc     string
	}{{real, cheapPHC}, {cheap, realPHC}} {
		turn, err := c.checker.Turn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := turn.Check(c.phc, "correct horse battery staple"); err != nil {
			t.Errorf("check %q: %v", c.phc, err)
		}
		if err := turn.Check(c.phc, "correct horse battery stapl"); !errors.Is(err, ErrMismatch) {
			t.Errorf("check %q with a wrong password: %v", c.phc, err)
		}
		turn.Release()
	}
}

func TestCheckRefusesWhatHashDoesNotWrite(t *testing.T) {
	t.Parallel()
	for _, phc := range []string{"", "plain", "$2a$10$abcdefghijklmnopqrstuv", "$argon2i$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA",
		"$argon2id$v=18$m=65536,t=3,p=1$c2FsdA$aGFzaA", "$argon2id$v=19$m=0,t=3,p=1$c2FsdA$aGFzaA",
		"$argon2id$v=19$m=65536,t=3,p=1$!!$aGFzaA", "$argon2id$v=19$m=99999999,t=3,p=1$c2FsdA$aGFzaA"} {
		if err := check(phc, "x"); err == nil || errors.Is(err, ErrMismatch) {
			t.Errorf("check(%q) = %v, want a format error", phc, err)
		}
	}
}

// TestSecurityHashesBounded: while every slot is taken, a sign-in's hash is refused as busy
// (503 for the visitor) instead of taking another 64 MiB; once a slot is free it runs.
func TestSecurityHashesBounded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := NewHasher(1, 10*time.Millisecond)
	held, err := h.Turn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Hash(ctx, "correct horse battery staple"); !errors.Is(err, ErrBusy) {
		t.Fatalf("a hash while the only slot is taken: %v, want ErrBusy", err)
	}
	if f, ok := fault.As(ErrBusy); !ok || f.Kind != fault.Unavailable {
		t.Fatalf("ErrBusy is %v, want an Unavailable fault", ErrBusy)
	}
	if _, err := h.Turn(ctx); !errors.Is(err, ErrBusy) {
		t.Fatalf("a sign-in's turn while the only slot is taken: %v, want ErrBusy", err)
	}
	held.Release()
	if _, err := h.Hash(ctx, "correct horse battery staple"); err != nil {
		t.Fatalf("a hash once the slot is free: %v", err)
	}
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	held, _ = h.Turn(ctx)
	defer held.Release()
	if _, err := h.Hash(canceled, "x"); !errors.Is(err, context.Canceled) {
		t.Fatalf("a hash for a request that went away: %v, want context.Canceled", err)
	}
}

// TestSecurityHashesOneAtATimePerClient: one client (a sign-in's address) holds at most one of the
// slots, so that its own flood of sign-ins, each for another email, cannot keep every other
// client waiting: its second request waits for its first (ErrBusy after the wait), while another
// client gets the free slot at once.
func TestSecurityHashesOneAtATimePerClient(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := NewHasher(2, 10*time.Millisecond)
	first, err := h.TurnFor(ctx, "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.TurnFor(ctx, "192.0.2.1"); !errors.Is(err, ErrBusy) {
		t.Fatalf("the same client's second turn while its first is held: %v, want ErrBusy after the wait", err)
	}
	other, err := h.TurnFor(ctx, "198.51.100.7")
	if err != nil {
		t.Fatalf("another client while the first hashes: %v", err)
	}
	other.Release()
	first.Release()
	again, err := h.TurnFor(ctx, "192.0.2.1")
	if err != nil {
		t.Fatalf("the first client once its hash is done: %v", err)
	}
	again.Release()
	if len(h.clients) != 0 {
		t.Fatalf("%d clients kept after every turn was released", len(h.clients))
	}
}

// TestSecurityPasswordRules: passwords are counted in characters, and blank, repetitive, common
// passwords and the email are refused, naming the password field.
func TestSecurityPasswordRules(t *testing.T) {
	t.Parallel()
	const email = "ada.lovelace@example.com"
	for _, tc := range []struct {
		pass string
		why  string // "" when accepted
	}{
		{"correct horse battery staple", ""},
		{"long enough password", ""},
		{"Çà été très long", ""},
		{"love 839201746251", ""},            // a short common word, then many random digits
		{"5150 8392 0184 7723", ""},          // random digits that begin like a short common one
		{"ééééé", "at least 12 characters"},  // 10 bytes, 5 characters
		{"éàüöçñ", "at least 12 characters"}, // 12 bytes, 6 characters
		{strings.Repeat(" ", 12), "only spaces"},
		{" \t\n \u00a0\u2003       ", "only spaces"},
		{"aaaaaaaaaaaa", "different"},
		{"abababababab", "different"},
		{"abcdabcdabcd", "different"},
		{"password1234", "most common"},
		{"Password1234!", "most common"},
		{"PASSWORD 2024 !!", "most common"},
		{"qwertyuiop123", "most common"},
		{"iloveyou!!!!", "most common"},
		{"1234567890123", "most common"},
		{"Ada.Lovelace@example.com", "email"},
		{"ada.lovelace2024", "email"},
		{strings.Repeat("abcdef", 171), "longer than 1024"},
	} {
		err := Validate(tc.pass, email)
		if tc.why == "" {
			if err != nil {
				t.Errorf("Validate(%q) = %v, want it accepted", tc.pass, err)
			}
			continue
		}
		f, ok := fault.As(err)
		if !ok || f.Param != "password" || f.Kind != fault.Invalid || !strings.Contains(f.Message, tc.why) {
			t.Errorf("Validate(%q) = %v, want a refusal of the password saying %q", tc.pass, err, tc.why)
		}
	}
	if len(common) != 10_000 {
		t.Errorf("%d common passwords, want the 10,000 of common.txt", len(common))
	}
}
