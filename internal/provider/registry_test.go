package provider_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"disputed/internal/fault"
	"disputed/internal/provider"
)

// fake is a provider of a type the contract has never heard of: what a new adapter package
// offers.
type fake struct{ cfg provider.Config }

func (f fake) Receive(context.Context, provider.Request) ([]provider.Event, error) {
	return []provider.Event{{ID: f.cfg.Name}}, nil
}

func (f fake) Parse([]byte) (provider.Event, error) { return provider.Event{ID: f.cfg.Name}, nil }

func fakeType(name string) provider.Type {
	return provider.Type{
		Name: name,
		Check: func(cfg provider.Config) error {
			if cfg.APIKey == "" {
				return fault.Required("api_key")
			}
			return nil
		},
		New: func(cfg provider.Config, _ *http.Client) provider.Adapter { return fake{cfg} },
	}
}

// TestRegistryCheck: a configuration is refused, naming the field at fault, when its type is
// missing or not registered (the answer lists the registered types), when its type refuses it,
// or when its api_base would carry the API key in clear text.
func TestRegistryCheck(t *testing.T) {
	t.Parallel()
	r := provider.NewRegistry(fakeType("adyen"), fakeType("worldpay"), provider.Type{Name: "open", New: fakeType("open").New})
	for _, tt := range []struct {
		name      string
		cfg       provider.Config
		param     string
		wantError string
	}{
		{"a type that takes it", provider.Config{Type: "adyen", APIKey: "k"}, "", ""},
		{"a type without a check", provider.Config{Type: "open"}, "", ""},
		{"no type", provider.Config{}, "type", "type is required"},
		{"an unknown type", provider.Config{Type: "stripe"}, "type", "type must be adyen, worldpay or open"},
		{"the type's own check", provider.Config{Type: "worldpay"}, "api_key", "api_key is required"},
		{"api_base in clear text", provider.Config{Type: "open", APIBase: "http://api.example"}, "api_base", ""},
		{"api_base over https", provider.Config{Type: "open", APIBase: "https://api.example"}, "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := r.Check(tt.cfg)
			if tt.param == "" {
				if err != nil {
					t.Fatalf("Check = %v, want nil", err)
				}
				return
			}
			e, ok := fault.As(err)
			if !ok || e.Param != tt.param {
				t.Fatalf("Check = %v, want a fault naming %s", err, tt.param)
			}
			if tt.wantError != "" && e.Message != tt.wantError {
				t.Errorf("message = %q, want %q", e.Message, tt.wantError)
			}
		})
	}
}

// TestRegistryLookup: a registered type builds its adapter; a nil registry knows no type and
// refuses every configuration.
func TestRegistryLookup(t *testing.T) {
	t.Parallel()
	r := provider.NewRegistry(fakeType("adyen"))
	typ, ok := r.Lookup("adyen")
	if !ok {
		t.Fatal("adyen is not found")
	}
	evs, err := typ.New(provider.Config{Name: "eu", Type: "adyen"}, nil).Receive(context.Background(), provider.Request{})
	if err != nil || len(evs) != 1 || evs[0].ID != "eu" {
		t.Errorf("the adapter built = %v, %v; want the one of the configuration eu", evs, err)
	}
	if got := r.Types(); len(got) != 1 || got[0].Name != "adyen" {
		t.Errorf("Types = %v, want adyen alone", got)
	}
	if _, ok := r.Lookup("paypal"); ok {
		t.Error("an unregistered type is found")
	}
	var none *provider.Registry
	if _, ok := none.Lookup("adyen"); ok {
		t.Error("a nil registry finds a type")
	}
	if none.Types() != nil {
		t.Error("a nil registry has types")
	}
	if err := none.Check(provider.Config{Type: "adyen"}); err == nil {
		t.Error("a nil registry takes a configuration")
	}
}

// TestRegistryLinksToTheProvidersCase: a type's dispute page is found by the type's name, and a
// case id an admin typed by the first type whose ids have its form; a type without a page, an
// unknown type, an empty id or a reference of no type's form has no link.
func TestRegistryLinksToTheProvidersCase(t *testing.T) {
	t.Parallel()
	adyen := fakeType("adyen")
	adyen.DisputeURL = func(id string) string { return "https://ca-live.adyen.com/disputes/" + id }
	adyen.CaseID = func(ref string) (string, bool) {
		return strings.ToUpper(ref), strings.HasPrefix(strings.ToUpper(ref), "ADY-")
	}
	r := provider.NewRegistry(fakeType("plain"), adyen)
	if got := r.DisputeURL("adyen", "D1"); got != "https://ca-live.adyen.com/disputes/D1" {
		t.Errorf("adyen's dispute page = %q", got)
	}
	for _, c := range []struct{ typ, id string }{{"plain", "D1"}, {"paypal", "D1"}, {"adyen", ""}} {
		if got := r.DisputeURL(c.typ, c.id); got != "" {
			t.Errorf("the page of %s's dispute %q = %q; want none", c.typ, c.id, got)
		}
	}
	if typ, url := r.CaseOf("ady-42"); typ != "adyen" || url != "https://ca-live.adyen.com/disputes/ADY-42" {
		t.Errorf("the case ady-42 = %q, %q; want adyen's ADY-42", typ, url)
	}
	if typ, url := r.CaseOf("PP-D-42"); typ != "" || url != "" {
		t.Errorf("a reference of no registered type's form = %q, %q; want none", typ, url)
	}
}

// TestRegistryRefusesTwoOfAName: registering one name twice is a mistake in main, caught when
// the server starts.
func TestRegistryRefusesTwoOfAName(t *testing.T) {
	t.Parallel()
	for name, types := range map[string][]provider.Type{
		"twice":          {fakeType("adyen"), fakeType("adyen")},
		"no name":        {fakeType("")},
		"no constructor": {{Name: "adyen"}},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("NewRegistry did not panic")
				}
			}()
			provider.NewRegistry(types...)
		})
	}
}

// TestPermanentError: the sentinel is found through wrapping, and nothing else is it.
func TestPermanentError(t *testing.T) {
	t.Parallel()
	if !errors.Is(errors.Join(errors.New("push"), provider.ErrPermanent), provider.ErrPermanent) {
		t.Error("a wrapped ErrPermanent is not permanent")
	}
	if errors.Is(context.DeadlineExceeded, provider.ErrPermanent) {
		t.Error("a timeout is permanent")
	}
}
