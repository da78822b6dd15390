package httpapi

import (
	"testing"

	"go.uber.org/goleak"

	"disputed/internal/store/pgtest"
)

// TestMain runs the tests with the throwaway PostgreSQL the served ones share, stops it, and then
// fails the package when a test left a goroutine behind.
func TestMain(m *testing.M) { goleak.VerifyTestMain(pgtest.Wrap(m)) }
