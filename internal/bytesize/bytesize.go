// Package bytesize writes sizes for people, in the binary units the server's limits are set in
// ("10 MiB" is 10<<20 bytes): one way of writing them for the API's messages and the UI's pages.
package bytesize

import "strconv"

// Format writes n bytes as "1 byte", "812 bytes", "64 KiB", "14.2 KiB" or "11 MiB": a whole
// number of units when it is one (a limit), otherwise one decimal, cut rather than rounded, so
// that a size just under a limit is never written as the limit.
func Format(n int64) string {
	switch {
	case n == 1:
		return "1 byte"
	case n < 1<<10:
		return strconv.FormatInt(n, 10) + " bytes"
	case n < 1<<20:
		return inUnits(n, 1<<10, " KiB")
	}
	return inUnits(n, 1<<20, " MiB")
}

func inUnits(n, unit int64, name string) string {
	if n%unit == 0 {
		return strconv.FormatInt(n/unit, 10) + name
	}
	tenths := n * 10 / unit
	return strconv.FormatInt(tenths/10, 10) + "." + strconv.FormatInt(tenths%10, 10) + name
}
