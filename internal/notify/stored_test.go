package notify

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"disputed/internal/fault"
)

// TestGoldenRenderings: every template of every version renders, with full and with the least
// data, exactly as its golden file says, and so does the data as that version stored it
// (data.full.json, data.least.json: what Store wrote when the version shipped). An email is
// stored as its template, version and data and rendered when read, so a version's renderings
// never change: a change to a template, to how Data is shown, or to how it is stored (a JSON
// name) is a new version with goldens of its own.
func TestGoldenRenderings(t *testing.T) {
	t.Parallel()
	for _, v := range versions {
		dir := filepath.Join("testdata", "golden", fmt.Sprintf("v%d", v))
		for _, tmpl := range Templates {
			for name, d := range map[string]Data{"full": full(), "least": {OrderID: "ord_y"}} {
				path := filepath.Join(dir, string(tmpl)+"."+name+".txt")
				t.Run(path, func(t *testing.T) {
					t.Parallel()
					m, err := RenderVersion(tmpl, v, d)
					if err != nil {
						t.Fatal(err)
					}
					got := "Subject: " + m.Subject + "\n\n" + m.Text
					want, err := os.ReadFile(path)
					if err != nil {
						t.Fatalf("%v; a new version's goldens are its renderings, which are:\n%s", err, got)
					}
					if got != string(want) {
						t.Errorf("version %d of %s renders differently from when it shipped; got:\n%s\nwant:\n%s", v, tmpl, got, want)
					}
					stored, err := os.ReadFile(filepath.Join(dir, "data."+name+".json"))
					if err != nil {
						t.Fatal(err)
					}
					if m, err = ReadStored(string(tmpl), v, strings.TrimSpace(string(stored))); err != nil {
						t.Fatal(err)
					}
					if read := "Subject: " + m.Subject + "\n\n" + m.Text; read != string(want) {
						t.Errorf("version %d of %s, read from the data it stored, reads differently from when it shipped; got:\n%s\nwant:\n%s", v, tmpl, read, want)
					}
				})
			}
		}
	}
}

// TestStoredRoundTrip: an email kept as its template, version and data reads as Render wrote
// it; Store refuses what Render refuses, and ReadStored a version or data it cannot read.
func TestStoredRoundTrip(t *testing.T) {
	t.Parallel()
	for _, tmpl := range Templates {
		for _, d := range []Data{full(), {OrderID: "ord_y", Items: []string{"a\nb"}}} {
			version, data, err := Store(tmpl, d)
			if err != nil || version != TemplateVersion {
				t.Fatalf("Store(%s): version %d, %v", tmpl, version, err)
			}
			got, err := ReadStored(string(tmpl), version, data)
			if err != nil {
				t.Fatalf("ReadStored(%s): %v", tmpl, err)
			}
			want, err := Render(tmpl, d)
			if err != nil || got != want {
				t.Errorf("%s read back as %+v, rendered as %+v (%v)", tmpl, got, want, err)
			}
		}
	}
	if _, _, err := Store("nope", full()); !isInvalid(err, "template") {
		t.Errorf("an unknown template stored: %v", err)
	}
	if _, _, err := Store(DisputeOpened, Data{}); !isInvalid(err, "order_id") {
		t.Errorf("data naming no order stored: %v", err)
	}
	if _, err := ReadStored(string(DisputeOpened), TemplateVersion+1, `{"order_id":"ord_x"}`); !isInvalid(err, "template") {
		t.Errorf("a version this binary does not hold: %v", err)
	}
	if _, err := ReadStored(string(DisputeOpened), TemplateVersion, `{"order_id":`); err == nil || !strings.Contains(err.Error(), "dispute_opened") {
		t.Errorf("data that is not JSON: %v", err)
	}
}

func isInvalid(err error, param string) bool {
	f, ok := fault.As(err)
	return ok && f.Kind == fault.Invalid && f.Param == param
}
