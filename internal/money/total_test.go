package money

import (
	"math"
	"testing"
)

func TestTotal(t *testing.T) {
	t.Parallel()
	big := int64(4611686018427387904)
	if got := (Total{}).Add(big).Add(big); !got.Over || got.Value != math.MaxInt64 {
		t.Errorf("2^62 + 2^62 = %+v; want saturated at the largest int64, marked over", got)
	}
	if got := (Total{}).Add(big).Add(big).Add(-big); !got.Over {
		t.Errorf("a total that went over stays over: %+v", got)
	}
	if got := (Total{}).Add(1295).Add(500); got.Over || got.Value != 1795 {
		t.Errorf("1295 + 500 = %+v", got)
	}
	if got := (Total{Value: 1}).Plus(Total{Value: math.MaxInt64, Over: true}); !got.Over {
		t.Errorf("plus a total that is over: %+v", got)
	}
	if got := (Total{Value: 1}).Plus(Total{Value: 2}); got != (Total{Value: 3}) {
		t.Errorf("1 plus 2 = %+v", got)
	}
	for _, amounts := range [][]int64{{big, big}, {1295, 1 << 40, math.MaxInt64}, {big, big, big, big}, {7}} {
		var high, low int64
		want := Total{}
		for _, a := range amounts {
			high += a / SplitBase
			low += a % SplitBase
			want = want.Add(a)
		}
		if got := Joined(high, low); got != want {
			t.Errorf("Joined of %v = %+v; want %+v", amounts, got, want)
		}
	}
}
