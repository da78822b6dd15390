package app_test

import (
	"testing"

	"disputed/internal/store/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }
