package sqlstore

import (
	"slices"
	"testing"
)

// TestUncommonRuns: the index is asked for the parts of a text whose trigrams are not common,
// each part as long as its run, up to keyTrigrams trigrams; for nothing when all are common.
func TestUncommonRuns(t *testing.T) {
	common := func(trigrams ...string) func(string) bool {
		return func(g string) bool { return slices.Contains(trigrams, g) }
	}
	for _, tt := range []struct {
		text   string
		common func(string) bool
		want   []string
	}{
		{"c-00101000", common("c-0", "-00", "001", "000"), []string{"010100"}},
		{"dsp_01kt9zq", common("dsp", "sp_", "p_0", "_01", "01k"), []string{"1kt9zq"}},
		{"ab-xy-cd", common("b-x", "y-c"), []string{"ab-", "-xy-", "-cd"}},
		{"fraud", common("fra", "rau", "aud"), nil},
		{"élodie", common(), []string{"élodie"}},             // characters, not bytes
		{"abcdefghijklmn", common(), []string{"abcdefghij"}}, // at most keyTrigrams trigrams
		{"abcdefgh-jklmnop", common("h-j"), []string{"abcdefgh-", "-jk"}},
	} {
		if got := uncommonRuns(tt.text, tt.common); !slices.Equal(got, tt.want) {
			t.Errorf("uncommonRuns(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}
