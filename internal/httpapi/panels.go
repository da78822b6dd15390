package httpapi

import (
	"context"
	"time"

	"disputed/internal/app"
	"disputed/internal/store"
)

// Panel is a registered panel plugin. The secret is write-only.
type Panel struct {
	ID        string      `json:"id" doc:"the panel's name"`
	Object    string      `json:"object" enum:"panel"`
	Name      string      `json:"name"`
	Type      string      `json:"type" enum:"manual,http"`
	Config    PanelConfig `json:"config"`
	CreatedAt time.Time   `json:"created_at"`
	UpdatedAt time.Time   `json:"updated_at"`
}

// PanelConfig is where an http panel is and what it does by itself.
type PanelConfig struct {
	BaseURL      *string  `json:"base_url"`
	TimeoutMS    int64    `json:"timeout_ms,omitempty"`
	Capabilities []string `json:"capabilities" doc:"toggle (suspend and enable), terminate, activity (reports what the customer did with a line); a manual panel has none"`
	SecretSet    bool     `json:"secret_set" doc:"a signing secret is configured (it is never shown)"`
}

func panelOut(p store.Panel) Panel {
	caps := p.Capabilities
	if caps == nil {
		caps = []string{}
	}
	return Panel{ID: p.Name, Object: "panel", Name: p.Name, Type: p.Type,
		Config:    PanelConfig{BaseURL: opt(p.BaseURL), TimeoutMS: p.Timeout.Milliseconds(), Capabilities: caps, SecretSet: p.Secret != ""},
		CreatedAt: p.CreatedAt.UTC(), UpdatedAt: p.UpdatedAt.UTC()}
}

// PanelIn registers a panel plugin.
type PanelIn struct {
	Body struct {
		Name   string `json:"name" maxLength:"64" doc:"what order lines name: lower-case letters, digits, - and _, starting with a letter"`
		Type   string `json:"type" doc:"manual (an admin does every action by hand) or http (a REST panel)"`
		Config *struct {
			BaseURL      string   `json:"base_url,omitempty" maxLength:"2048" doc:"actions are POSTed to {base_url}/lines/{external_id}/suspend|enable|terminate"`
			Secret       string   `json:"secret,omitempty" maxLength:"512" doc:"signs every request: X-Disputed-Signature: t=<unix>,v1=<hex HMAC-SHA256 of <t>.<body>>"`
			TimeoutMS    int64    `json:"timeout_ms,omitempty" doc:"per call, 1 to 30000; default 10000"`
			Capabilities []string `json:"capabilities,omitempty" doc:"what the panel does by itself: toggle, terminate, activity (answers POST {base_url}/lines/{external_id}/activity when a dispute opens); default toggle and terminate"`
		} `json:"config,omitempty"`
	}
}

// PanelOut answers with a panel.
type PanelOut struct{ Body Panel }

// PanelsOut lists the panels.
type PanelsOut struct{ Body List[Panel] }

// ByName names a panel.
type ByName struct {
	Name string `path:"name" maxLength:"64"`
}

func (s *Server) createPanel(ctx context.Context, in *PanelIn) (*PanelOut, error) {
	p := app.PanelParams{Name: in.Body.Name, Type: in.Body.Type}
	if c := in.Body.Config; c != nil {
		p.BaseURL, p.Secret, p.TimeoutMS, p.Capabilities = c.BaseURL, c.Secret, c.TimeoutMS, c.Capabilities
	}
	return panelResult(s.app.CreatePanel(ctx, who(ctx), p))
}

func (s *Server) listPanels(ctx context.Context, _ *struct{}) (*PanelsOut, error) {
	ps, err := s.app.Panels(ctx, who(ctx))
	if err != nil {
		return nil, err
	}
	return &PanelsOut{Body: listOf(ps, false, panelOut, func(p store.Panel) (time.Time, string) { return p.CreatedAt, p.Name })}, nil
}

func (s *Server) getPanel(ctx context.Context, in *ByName) (*PanelOut, error) {
	return panelResult(s.app.Panel(ctx, who(ctx), in.Name))
}

func (s *Server) deletePanel(ctx context.Context, in *ByName) (*DeletedOut, error) {
	if err := s.app.DeletePanel(ctx, who(ctx), in.Name); err != nil {
		return nil, err
	}
	return deleted(in.Name, "panel"), nil
}

func panelResult(p store.Panel, err error) (*PanelOut, error) {
	if err != nil {
		return nil, err
	}
	return &PanelOut{Body: panelOut(p)}, nil
}
