package deadline

import (
	"strings"
	"testing"
	"time"
)

// FuzzParseOffsets: the reminder offsets an admin sends are either refused or come back as whole
// seconds within range, and print back to something that parses to the same values.
func FuzzParseOffsets(f *testing.F) {
	for _, s := range []string{"72h,24h", "90m", "1s", "0s", "-1h", "1.5s", "2160h", "9999999999h", "soon", "24h,24h,1m"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, list string) {
		got, err := ParseOffsets(strings.Split(list, ","))
		if err != nil {
			return
		}
		var printed []string
		for _, d := range got {
			if d < time.Second || d > 90*24*time.Hour || d%time.Second != 0 {
				t.Fatalf("%q gave the offset %v", list, d)
			}
			printed = append(printed, FormatOffset(d))
		}
		again, err := ParseOffsets(printed)
		if err != nil || len(again) != len(got) {
			t.Fatalf("%v printed as %v does not parse back: %v", got, printed, err)
		}
		for i := range got {
			if again[i] != got[i] {
				t.Fatalf("%v printed as %v parses back as %v", got, printed, again)
			}
		}
	})
}
