package fault

import (
	"net/http"
	"testing"
)

// TestHTTPStatus pins the status of every kind: the API and the web pages both answer with it.
func TestHTTPStatus(t *testing.T) {
	t.Parallel()
	want := map[Kind]int{Internal: 500, Malformed: 400, Unauthenticated: 401, Forbidden: 403, NotFound: 404,
		Conflict: 409, TooLarge: 413, Unsupported: 415, Invalid: 422, RateLimited: 429, Unavailable: 503}
	for k := Internal; k <= Unavailable; k++ {
		if got := k.HTTPStatus(); got != want[k] {
			t.Errorf("kind %d: status %d, want %d", k, got, want[k])
		}
	}
	if got := Kind(99).HTTPStatus(); got != http.StatusInternalServerError {
		t.Errorf("unknown kind: %d", got)
	}
}
