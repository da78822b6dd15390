package httpapi_test

import (
	"testing"

	"disputed/internal/testenv"
)

// TestJobAPIRefusesAnUnknownState: the jobs list takes only the states a job can be in (the
// rules of dead jobs and their retry are tested beside internal/app).
func TestJobAPIRefusesAnUnknownState(t *testing.T) {
	t.Parallel()
	testenv.WantStatus(t, testenv.New(t, "sqlite", testenv.Options{}).Serve().Get("/v1/jobs?state=weird"), 422)
}
