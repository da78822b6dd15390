package httpapi

import (
	"net/http/httptest"
	"testing"
)

// TestUndeclared checks which query parameters a route's declaration admits: its names exactly,
// and any key of a deepObject parameter (declared as "name["), in either spelling of the key.
func TestUndeclared(t *testing.T) {
	declared := []string{"cursor", "extended_fields[", "limit", "status"}
	for query, want := range map[string]string{
		"status=won&limit=2":                    "",
		"stauts=won":                            "stauts",
		"status=won&Status=won":                 "Status",
		"extended_fields[color]=red&status=won": "",
		"extended_fields%5Bcolor%5D=red":        "",
		"extended_fields=red":                   "extended_fields",
		"extended_fields[color=red":             "extended_fields[color",
		"other[color]=red":                      "other[color]",
		"limit=1&&cursor=":                      "",
		"x%20y=1":                               "x y",
		"=1":                                    "",
		"%zz=1":                                 "%zz",
	} {
		r := httptest.NewRequest("GET", "/v1/disputes?"+query, nil)
		got, found := undeclared(r, declared)
		if got != want || found != (want != "" || query == "=1") {
			t.Errorf("%s: %q %v, want %q", query, got, found, want)
		}
	}
}
