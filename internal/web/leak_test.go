package web_test

import (
	"testing"

	"go.uber.org/goleak"

	"disputed/internal/store/pgtest"
	"disputed/internal/testenv/browsertest"
)

// TestMain runs the tests with the throwaway PostgreSQL and the Chromium the UI tests share,
// stops both, and then fails the package when a test left a goroutine behind.
func TestMain(m *testing.M) { goleak.VerifyTestMain(browsertest.Wrap(pgtest.Wrap(m))) }
