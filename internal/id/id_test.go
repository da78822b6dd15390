package id

import (
	"strings"
	"testing"
	"time"
)

func TestIdentifiersIncreaseWithinAndAcrossMilliseconds(t *testing.T) {
	t.Parallel()
	clock := time.UnixMilli(1_700_000_000_000)
	g := NewGenerator(func() time.Time { return clock })
	prev := g.New("dsp")
	for i := range 10_000 {
		if i%1000 == 0 {
			clock = clock.Add(time.Millisecond)
		}
		next := g.New("dsp")
		if next <= prev {
			t.Fatalf("identifier %q does not sort after %q", next, prev)
		}
		if len(next) != len("dsp_")+26 || !strings.HasPrefix(next, "dsp_") {
			t.Fatalf("malformed identifier %q", next)
		}
		prev = next
	}
}

func TestClockGoingBackKeepsOrder(t *testing.T) {
	t.Parallel()
	clock := time.UnixMilli(1_700_000_000_000)
	g := NewGenerator(func() time.Time { return clock })
	a := g.New("evt")
	clock = clock.Add(-time.Second)
	if b := g.New("evt"); b <= a {
		t.Fatalf("after the clock went back, %q sorts before %q", b, a)
	}
}

func TestIdentifiersUseOnlyURLSafeCharacters(t *testing.T) {
	t.Parallel()
	g := NewGenerator(nil)
	for range 1000 {
		s := strings.TrimPrefix(g.New("x"), "x_")
		if strings.Trim(s, crockford) != "" {
			t.Fatalf("identifier %q has characters outside the alphabet", s)
		}
	}
}
