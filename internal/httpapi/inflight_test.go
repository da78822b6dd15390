package httpapi

import (
	"log/slog"
	"net/http"
	"testing"

	"disputed/internal/fault"
)

// TestTooManyInFlightSaysWhenToRetry: a list refused while the caller's others are being read
// is 429 with the filter named and Retry-After set, which huma writes from GetHeaders; other
// errors carry no Retry-After of their own.
func TestTooManyInFlightSaysWhenToRetry(t *testing.T) {
	refused := problem(t.Context(), slog.New(slog.DiscardHandler),
		fault.New(fault.RateLimited, fault.CodeTooManyInFlight, "q", "q: at most 2 at once"))
	if refused.status != http.StatusTooManyRequests || refused.ErrorBody.Error.Type != "rate_limit" ||
		refused.ErrorBody.Error.Param != "q" || refused.GetHeaders().Get("Retry-After") != "1" {
		t.Errorf("the answer is %d %+v with headers %v; want 429 rate_limit naming q, Retry-After 1", refused.status,
			refused.ErrorBody.Error, refused.GetHeaders())
	}
	other := problem(t.Context(), slog.New(slog.DiscardHandler), fault.New(fault.RateLimited, fault.CodeTooManyAttempts, "", "later"))
	if h := other.GetHeaders(); h != nil {
		t.Errorf("another 429 carries headers %v", h)
	}
}
