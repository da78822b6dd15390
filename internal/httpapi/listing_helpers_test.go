package httpapi_test

import (
	"slices"
	"testing"

	"disputed/internal/httpapi"
	"disputed/internal/testenv"
)

// listedObject is any object in a list, read for its id only: the tests of filters and pages ask
// which objects a list holds, not what they say.
type listedObject struct {
	ID string `json:"id"`
}

// listedIDs returns the ids of a list's objects, in order, ending the test unless r is a list.
func listedIDs(t testing.TB, r testenv.Response) []string {
	t.Helper()
	var ids []string
	for _, o := range testenv.Want[httpapi.List[listedObject]](t, r, 200).Data {
		ids = append(ids, o.ID)
	}
	return ids
}

// wantListedSet fails unless the list's ids are exactly wantIDs, in any order.
func wantListedSet(t testing.TB, what string, r testenv.Response, wantIDs ...string) {
	t.Helper()
	if r.Status != 200 {
		t.Errorf("%s: status %d: %s", what, r.Status, r.Raw)
		return
	}
	got := listedIDs(t, r)
	slices.Sort(got)
	w := slices.Clone(wantIDs)
	slices.Sort(w)
	if !slices.Equal(got, w) {
		t.Errorf("%s: got %v, want %v", what, got, w)
	}
}

// wireString reads an optional wire field, "" for null.
func wireString(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
