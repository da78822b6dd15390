package app_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestAppImportsNoConcreteProvider: the use cases know payment providers only through their
// contract (internal/provider); the adapters are registered by main, so that a new provider is a
// new package and a line there, and no edit here.
func TestAppImportsNoConcreteProvider(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for pkg := range strings.FieldsSeq(string(out)) {
		if strings.HasPrefix(pkg, "disputed/internal/provider/") {
			t.Errorf("internal/app depends on the adapter %s", pkg)
		}
	}
}
