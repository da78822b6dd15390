package app_test

import (
	"testing"

	"go.uber.org/goleak"

	"disputed/internal/store/pgtest"
)

// TestMain fails the package when a test leaves a goroutine behind.
func TestMain(m *testing.M) { goleak.VerifyTestMain(pgtest.Wrap(m)) }
