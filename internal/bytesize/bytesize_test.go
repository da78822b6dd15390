package bytesize

import "testing"

func TestFormat(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		n    int64
		want string
	}{
		{0, "0 bytes"},
		{1, "1 byte"},
		{812, "812 bytes"},
		{1023, "1023 bytes"},
		{1024, "1 KiB"},
		{64 << 10, "64 KiB"},
		{1946, "1.9 KiB"},             // an evidence image in the portal
		{(1 << 20) - 1, "1023.9 KiB"}, // cut, not rounded up to the next unit
		{1 << 20, "1 MiB"},
		{11 << 20, "11 MiB"},
		{3<<20 + 1<<19, "3.5 MiB"},
		{(10 << 20) - 1, "9.9 MiB"}, // just under the evidence file limit is not written as it
	} {
		if got := Format(tt.n); got != tt.want {
			t.Errorf("Format(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}
