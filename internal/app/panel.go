package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"disputed/internal/actor"
	"disputed/internal/fault"
	"disputed/internal/panel"
	"disputed/internal/store"
)

// BuiltinPanel is the manual panel every installation has: lines on it are suspended, enabled
// and terminated by hand, and an admin confirms each action.
const BuiltinPanel = "manual"

// PanelParams register a panel plugin.
type PanelParams struct {
	Name         string
	Type         string
	BaseURL      string
	Secret       string
	TimeoutMS    int64
	Capabilities []string
}

// CreatePanel registers a panel plugin under a name that order lines can then use.
func (a *App) CreatePanel(ctx context.Context, who actor.Actor, p PanelParams) (store.Panel, error) {
	if err := adminOnly(who, "register panels"); err != nil {
		return store.Panel{}, err
	}
	cfg := panel.Config{Name: p.Name, Type: p.Type, BaseURL: p.BaseURL, Secret: p.Secret,
		Timeout: time.Duration(p.TimeoutMS) * time.Millisecond}
	for _, c := range p.Capabilities {
		cfg.Capabilities = append(cfg.Capabilities, panel.Capability(c))
	}
	if err := cfg.Validate(); err != nil {
		return store.Panel{}, err
	}
	if p.Name == BuiltinPanel {
		return store.Panel{}, panelExists(p.Name)
	}
	if cfg.Type == panel.TypeHTTP && cfg.Timeout == 0 {
		cfg.Timeout = panel.DefaultTimeout
	}
	if cfg.Type == panel.TypeHTTP && len(cfg.Capabilities) == 0 {
		cfg.Capabilities = []panel.Capability{panel.Toggle, panel.Terminate}
	}
	var out store.Panel
	err := a.write(ctx, false, func(tx store.Tx, now time.Time) error {
		out = store.Panel{Name: cfg.Name, Type: cfg.Type, BaseURL: cfg.BaseURL, Secret: cfg.Secret, Timeout: cfg.Timeout,
			CreatedAt: now, UpdatedAt: now}
		for _, c := range cfg.Capabilities {
			out.Capabilities = append(out.Capabilities, string(c))
		}
		err := tx.InsertPanel(ctx, out)
		if errors.Is(err, store.ErrConflict) {
			return panelExists(p.Name)
		}
		return err
	})
	return out, err
}

func panelExists(name string) error {
	return fault.New(fault.Conflict, fault.CodePanelExists, "name", "a panel named %q exists", name)
}

// Panels lists the registered panels by name (not the built-in manual one).
func (a *App) Panels(ctx context.Context, who actor.Actor) ([]store.Panel, error) {
	if err := staff(who, "read panels"); err != nil {
		return nil, err
	}
	return a.store.ListPanels(ctx)
}

// Panel returns one registered panel.
func (a *App) Panel(ctx context.Context, who actor.Actor, name string) (store.Panel, error) {
	if err := staff(who, "read panels"); err != nil {
		return store.Panel{}, err
	}
	p, err := a.store.GetPanel(ctx, name)
	return p, store.NotFound(err, "panel", name)
}

// DeletePanel removes a panel that no live line uses: a line's actions must always have a panel
// to go to.
func (a *App) DeletePanel(ctx context.Context, who actor.Actor, name string) error {
	if err := adminOnly(who, "remove panels"); err != nil {
		return err
	}
	return a.write(ctx, false, func(tx store.Tx, now time.Time) error {
		if _, err := tx.GetPanel(ctx, name); err != nil {
			return store.NotFound(err, "panel", name)
		}
		used, err := tx.PanelInUse(ctx, name)
		if err != nil {
			return err
		}
		if used {
			return fault.New(fault.Conflict, fault.CodePanelInUse, "name", "lines that are not terminated are on panel %q", name)
		}
		return tx.DeletePanel(ctx, name)
	})
}

// plugin returns what carries out actions on the named panel. A line whose panel is gone (it
// cannot be removed while in use, but a database may say otherwise) is handled by hand.
func (a *App) plugin(ctx context.Context, r store.Reader, name string) (panel.Panel, error) {
	cfg := panel.Config{Name: name, Type: panel.TypeManual}
	if name != BuiltinPanel {
		p, err := r.GetPanel(ctx, name)
		switch {
		case errors.Is(err, store.ErrNotFound):
		case err != nil:
			return nil, err
		default:
			cfg = panel.Config{Name: p.Name, Type: p.Type, BaseURL: p.BaseURL, Secret: p.Secret, Timeout: p.Timeout}
			for _, c := range p.Capabilities {
				cfg.Capabilities = append(cfg.Capabilities, panel.Capability(c))
			}
		}
	}
	pl, err := panel.New(cfg, a.outbound, a.now)
	if err != nil {
		return nil, fmt.Errorf("panel %s: %w", name, err)
	}
	return pl, nil
}

// checkPanels refuses lines on panels that are not registered.
func checkPanels(ctx context.Context, r store.Reader, ps []ItemParams) error {
	for i, p := range ps {
		if p.Line == nil || p.Line.Panel == BuiltinPanel {
			continue
		}
		if _, err := r.GetPanel(ctx, p.Line.Panel); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return fault.Invalidf(fault.CodeUnknownPanel, fmt.Sprintf("items[%d].line.panel", i),
					"no panel named %q: register it with POST /v1/panels, or use %q", p.Line.Panel, BuiltinPanel)
			}
			return err
		}
	}
	return nil
}
