package store

import (
	"context"
	"time"
)

// PanelReader reads panel plugins.
type PanelReader interface {
	GetPanel(ctx context.Context, name string) (Panel, error)
	// ListPanels returns the registered panels by name.
	ListPanels(ctx context.Context) ([]Panel, error)
	// PanelInUse reports whether a line that is not terminated names the panel.
	PanelInUse(ctx context.Context, name string) (bool, error)
}

// PanelWriter writes panel plugins, inside a Tx.
type PanelWriter interface {
	// InsertPanel returns ErrConflict when the name is taken.
	InsertPanel(ctx context.Context, p Panel) error
	DeletePanel(ctx context.Context, name string) error
}

// Panel is a registered panel plugin: where it is and what it can do (see internal/panel).
type Panel struct {
	Name         string
	Type         string
	BaseURL      string
	Secret       string
	Timeout      time.Duration
	Capabilities []string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}
