package sqlstore

import (
	"context"
	"time"

	"disputed/internal/store"
	"disputed/internal/store/query"
)

func (t *tx) InsertPanel(ctx context.Context, p store.Panel) error {
	var j jsonColumns
	caps := j.stringSlice(p.Capabilities)
	if j.err != nil {
		return t.fail(j.err, "insert panel %s", p.Name)
	}
	err := inserted(t.q.InsertPanel(ctx, query.InsertPanelParams{
		Name: p.Name, Type: p.Type, BaseURL: p.BaseURL, Secret: t.seal(p.Secret, "panels", p.Name, "secret"), TimeoutMs: p.Timeout.Milliseconds(),
		Capabilities: caps, CreatedAt: millis(p.CreatedAt), UpdatedAt: millis(p.UpdatedAt),
	}))
	if err != nil {
		return t.fail(err, "insert panel %s", p.Name)
	}
	return nil
}

// DeletePanel returns store.ErrNotFound when there is no such panel.
func (t *tx) DeletePanel(ctx context.Context, name string) error {
	n, err := t.q.DeletePanel(ctx, name)
	if err == nil && n == 0 {
		err = store.ErrNotFound
	}
	if err != nil {
		return t.fail(err, "delete panel %s", name)
	}
	return nil
}

func (c *conn) GetPanel(ctx context.Context, name string) (store.Panel, error) {
	r, err := c.q.GetPanel(ctx, name)
	if err != nil {
		return store.Panel{}, c.fail(err, "get panel %s", name)
	}
	p, err := c.panelFromRow(r)
	if err != nil {
		return store.Panel{}, c.fail(err, "get panel %s", name)
	}
	return p, nil
}

func (c *conn) ListPanels(ctx context.Context) ([]store.Panel, error) {
	rows, err := c.q.ListPanels(ctx)
	if err != nil {
		return nil, c.fail(err, "list panels")
	}
	out := make([]store.Panel, len(rows))
	for i, r := range rows {
		if out[i], err = c.panelFromRow(r); err != nil {
			return nil, c.fail(err, "list panels")
		}
	}
	return out, nil
}

func (c *conn) PanelInUse(ctx context.Context, name string) (bool, error) {
	n, err := c.q.PanelInUse(ctx, name)
	if err != nil {
		return false, c.fail(err, "lines on panel %s", name)
	}
	return n > 0, nil
}

func (c *conn) panelFromRow(r query.Panel) (store.Panel, error) {
	var j jsonColumns
	var caps []string
	j.decode(r.Capabilities, &caps)
	if len(caps) == 0 {
		caps = nil
	}
	secret := c.open(r.Secret, "panels", r.Name, "secret", &j.err)
	return store.Panel{
		Name: r.Name, Type: r.Type, BaseURL: r.BaseURL, Secret: secret,
		Timeout: time.Duration(r.TimeoutMs) * time.Millisecond, Capabilities: caps,
		CreatedAt: fromMillis(r.CreatedAt), UpdatedAt: fromMillis(r.UpdatedAt),
	}, j.err
}
