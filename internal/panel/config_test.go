package panel

import (
	"strings"
	"testing"
	"time"

	"disputed/internal/fault"
)

// httpConfig is a valid http panel configuration.
func httpConfig() Config {
	return Config{
		Name: "proxmox", Type: TypeHTTP,
		BaseURL: "https://panel.example.com/api", Secret: "0123456789abcdef",
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		edit  func(*Config)
		code  string // "" when valid
		param string
	}{
		{"valid http", func(*Config) {}, "", ""},
		{"valid manual", func(c *Config) { *c = Config{Name: "manual", Type: TypeManual} }, "", ""},
		{"name with digits, _ and -", func(c *Config) { c.Name = "a0_b-9" }, "", ""},
		{"name of 64", func(c *Config) { c.Name = "a" + strings.Repeat("b", 63) }, "", ""},
		{"plain http", func(c *Config) { c.BaseURL = "http://10.0.0.5:8080" }, "", ""},
		{"trailing slash", func(c *Config) { c.BaseURL = "https://panel.example.com/api/" }, "", ""},
		{"IPv6 host", func(c *Config) { c.BaseURL = "https://[2001:db8::1]:8443/x" }, "", ""},
		{"timeout 1ms", func(c *Config) { c.Timeout = time.Millisecond }, "", ""},
		{"timeout 30s", func(c *Config) { c.Timeout = 30 * time.Second }, "", ""},
		{"toggle only", func(c *Config) { c.Capabilities = []Capability{Toggle} }, "", ""},
		{"both", func(c *Config) { c.Capabilities = []Capability{Terminate, Toggle} }, "", ""},
		{"all three", func(c *Config) { c.Capabilities = []Capability{Terminate, Toggle, ReportActivity} }, "", ""},

		{"no name", func(c *Config) { c.Name = "" }, "parameter_missing", "name"},
		{"name of 65", func(c *Config) { c.Name = "a" + strings.Repeat("b", 64) }, "invalid_value", "name"},
		{"name starts with a digit", func(c *Config) { c.Name = "1panel" }, "invalid_value", "name"},
		{"name starts with -", func(c *Config) { c.Name = "-panel" }, "invalid_value", "name"},
		{"upper-case name", func(c *Config) { c.Name = "Panel" }, "invalid_value", "name"},
		{"name with a space", func(c *Config) { c.Name = "my panel" }, "invalid_value", "name"},
		{"name with a dot", func(c *Config) { c.Name = "a.b" }, "invalid_value", "name"},
		{"non-ASCII name", func(c *Config) { c.Name = "pänel" }, "invalid_value", "name"},
		{"no type", func(c *Config) { c.Type = "" }, "parameter_missing", "type"},
		{"unknown type", func(c *Config) { c.Type = "ssh" }, "invalid_value", "type"},
		{"upper-case type", func(c *Config) { c.Type = "HTTP" }, "invalid_value", "type"},

		{"no base_url", func(c *Config) { c.BaseURL = "" }, "parameter_missing", "config.base_url"},
		{"relative base_url", func(c *Config) { c.BaseURL = "/api" }, "invalid_value", "config.base_url"},
		{"no scheme", func(c *Config) { c.BaseURL = "panel.example.com" }, "invalid_value", "config.base_url"},
		{"ftp", func(c *Config) { c.BaseURL = "ftp://panel.example.com" }, "invalid_value", "config.base_url"},
		{"opaque", func(c *Config) { c.BaseURL = "https:panel.example.com" }, "invalid_value", "config.base_url"},
		{"no host", func(c *Config) { c.BaseURL = "https:///api" }, "invalid_value", "config.base_url"},
		{"port only", func(c *Config) { c.BaseURL = "https://:8080" }, "invalid_value", "config.base_url"},
		{"query", func(c *Config) { c.BaseURL = "https://panel.example.com/api?key=1" }, "invalid_value", "config.base_url"},
		{"empty query", func(c *Config) { c.BaseURL = "https://panel.example.com/api?" }, "invalid_value", "config.base_url"},
		{"fragment", func(c *Config) { c.BaseURL = "https://panel.example.com/api#x" }, "invalid_value", "config.base_url"},
		{"empty fragment", func(c *Config) { c.BaseURL = "https://panel.example.com/api#" }, "invalid_value", "config.base_url"},
		{"userinfo", func(c *Config) { c.BaseURL = "https://admin:pw@panel.example.com" }, "invalid_value", "config.base_url"},
		{"user only", func(c *Config) { c.BaseURL = "https://admin@panel.example.com" }, "invalid_value", "config.base_url"},
		{"control character", func(c *Config) { c.BaseURL = "https://panel.example.com/\n" }, "invalid_value", "config.base_url"},
		{"bad port", func(c *Config) { c.BaseURL = "https://panel.example.com:x/" }, "invalid_value", "config.base_url"},
		{"too long", func(c *Config) { c.BaseURL = "https://panel.example.com/" + strings.Repeat("a", 2048) }, "invalid_value", "config.base_url"},

		{"no secret", func(c *Config) { c.Secret = "" }, "parameter_missing", "config.secret"},
		{"short secret", func(c *Config) { c.Secret = "0123456" }, "invalid_value", "config.secret"},

		{"negative timeout", func(c *Config) { c.Timeout = -time.Second }, "invalid_value", "config.timeout_ms"},
		{"sub-millisecond timeout", func(c *Config) { c.Timeout = time.Microsecond }, "invalid_value", "config.timeout_ms"},
		{"timeout over 30s", func(c *Config) { c.Timeout = 30*time.Second + time.Millisecond }, "invalid_value", "config.timeout_ms"},

		{"unknown capability", func(c *Config) { c.Capabilities = []Capability{"reboot"} }, "invalid_value", "config.capabilities"},
		{"empty capability", func(c *Config) { c.Capabilities = []Capability{""} }, "invalid_value", "config.capabilities"},
		{"duplicate capability", func(c *Config) { c.Capabilities = []Capability{Toggle, Terminate, Toggle} }, "invalid_value", "config.capabilities"},

		{"manual with base_url", func(c *Config) { c.Type = TypeManual; c.Secret = "" }, "not_supported_for_type", "config.base_url"},
		{"manual with secret", func(c *Config) { c.Type = TypeManual; c.BaseURL = "" }, "not_supported_for_type", "config.secret"},
		{"manual with timeout", func(c *Config) { *c = Config{Name: "m", Type: TypeManual, Timeout: time.Second} }, "not_supported_for_type", "config.timeout_ms"},
		{"manual with capabilities", func(c *Config) { *c = Config{Name: "m", Type: TypeManual, Capabilities: []Capability{Toggle}} }, "not_supported_for_type", "config.capabilities"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := httpConfig()
			tt.edit(&c)
			err := c.Validate()
			if tt.code == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			fe, ok := fault.As(err)
			if !ok {
				t.Fatalf("Validate() = %v, want a *fault.Error", err)
			}
			if fe.Kind != fault.Invalid || fe.Code != tt.code || fe.Param != tt.param {
				t.Errorf("Validate() = kind %v, %v; want kind %v, code %q, param %q", fe.Kind, err, fault.Invalid, tt.code, tt.param)
			}
		})
	}
}
