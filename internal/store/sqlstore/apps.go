package sqlstore

import (
	"context"
	"strings"
	"time"

	"disputed/internal/store"
	"disputed/internal/store/query"
)

// InsertApp returns store.ErrConflict for a taken id.
func (t *tx) InsertApp(ctx context.Context, a store.App) error {
	var j jsonColumns
	uris := j.stringSlice(a.RedirectURIs)
	if j.err != nil {
		return t.fail(j.err, "insert app %s", a.ID)
	}
	err := inserted(t.q.InsertApp(ctx, query.InsertAppParams{
		ID: a.ID, Name: a.Name, SecretHash: a.SecretHash, RedirectUris: uris, Scopes: strings.Join(a.Scopes, " "),
		RegisteredBy: a.RegisteredBy, CreatedAt: millis(a.CreatedAt), LastUsedAt: nullMillis(a.LastUsedAt),
	}))
	if err != nil {
		return t.fail(err, "insert app %s", a.ID)
	}
	return nil
}

// DeleteApp removes the app with everything that was its: grants and webhook endpoints.
func (t *tx) DeleteApp(ctx context.Context, id string) error {
	t.memo.forget() // the endpoints change
	n, err := t.q.DeleteApp(ctx, id)
	if err == nil && n == 0 {
		err = store.ErrNotFound
	}
	if err == nil {
		_, err = t.q.DeleteOAuthGrantsOfApp(ctx, id)
	}
	if err == nil {
		_, err = t.q.DeleteWebhookEndpointsOfApp(ctx, id)
	}
	if err != nil {
		return t.fail(err, "delete app %s", id)
	}
	return nil
}

func (t *tx) TouchApp(ctx context.Context, id string, at time.Time) error {
	err := t.q.TouchApp(ctx, query.TouchAppParams{ID: id, At: nullMillis(at), StaleBefore: nullMillis(at.Add(-time.Minute))})
	if err != nil {
		return t.fail(err, "record the use of app %s", id)
	}
	return nil
}

func (c *conn) GetApp(ctx context.Context, id string) (store.App, error) {
	r, err := c.q.GetApp(ctx, id)
	if err != nil {
		return store.App{}, c.fail(err, "get app %s", id)
	}
	a, err := appFromRow(r)
	if err != nil {
		return store.App{}, c.fail(err, "get app %s", id)
	}
	return a, nil
}

func (c *conn) ListApps(ctx context.Context) ([]store.App, error) {
	rows, err := c.q.ListApps(ctx)
	if err != nil {
		return nil, c.fail(err, "list apps")
	}
	out := make([]store.App, len(rows))
	for i, r := range rows {
		if out[i], err = appFromRow(r); err != nil {
			return nil, c.fail(err, "list apps")
		}
	}
	return out, nil
}

func appFromRow(r query.App) (store.App, error) {
	var j jsonColumns
	var uris []string
	j.decode(r.RedirectUris, &uris)
	return store.App{
		ID: r.ID, Name: r.Name, SecretHash: r.SecretHash, RedirectURIs: uris, Scopes: strings.Fields(r.Scopes),
		RegisteredBy: r.RegisteredBy, CreatedAt: fromMillis(r.CreatedAt), LastUsedAt: fromNullMillis(r.LastUsedAt),
	}, j.err
}

func (c *conn) CountOAuthConnections(ctx context.Context, appID string, now time.Time) (int, error) {
	n, err := c.q.CountOAuthGrantsOfApp(ctx, query.CountOAuthGrantsOfAppParams{AppID: appID, Now: millis(now)})
	if err != nil {
		return 0, c.fail(err, "count the connections of app %s", appID)
	}
	return int(n), nil
}

// InsertOAuthGrant returns store.ErrConflict for a taken kind and signature.
func (t *tx) InsertOAuthGrant(ctx context.Context, g store.OAuthGrant) error {
	err := inserted(t.q.InsertOAuthGrant(ctx, query.InsertOAuthGrantParams{
		Signature: g.Signature, Kind: g.Kind, RequestID: g.RequestID, AppID: g.AppID, UserID: g.UserID,
		RequestedScopes: strings.Join(g.RequestedScopes, " "), GrantedScopes: strings.Join(g.GrantedScopes, " "),
		Form: g.Form, RequestedAt: millis(g.RequestedAt), ExpiresAt: millis(g.ExpiresAt), Active: g.Active,
	}))
	if err != nil {
		return t.fail(err, "insert OAuth %s", g.Kind) // the signature stays out of logs
	}
	return nil
}

func (c *conn) GetOAuthGrant(ctx context.Context, kind, signature string) (store.OAuthGrant, error) {
	r, err := c.q.GetOAuthGrant(ctx, query.GetOAuthGrantParams{Kind: kind, Signature: signature})
	if err != nil {
		return store.OAuthGrant{}, c.fail(err, "get OAuth %s", kind)
	}
	return store.OAuthGrant{
		Signature: r.Signature, Kind: r.Kind, RequestID: r.RequestID, AppID: r.AppID, UserID: r.UserID,
		RequestedScopes: strings.Fields(r.RequestedScopes), GrantedScopes: strings.Fields(r.GrantedScopes),
		Form: r.Form, RequestedAt: fromMillis(r.RequestedAt), ExpiresAt: fromMillis(r.ExpiresAt), Active: r.Active,
	}, nil
}

func (t *tx) DeleteOAuthGrant(ctx context.Context, kind, signature string) error {
	return t.changedOne(t.q.DeleteOAuthGrant(ctx, query.DeleteOAuthGrantParams{Kind: kind, Signature: signature}))("delete OAuth %s", kind)
}

func (t *tx) DeactivateOAuthGrant(ctx context.Context, kind, signature string) error {
	return t.changedOne(t.q.DeactivateOAuthGrant(ctx, query.DeactivateOAuthGrantParams{Kind: kind, Signature: signature}))("deactivate OAuth %s", kind)
}

func (t *tx) DeactivateOAuthRequest(ctx context.Context, kind, requestID string) error {
	if _, err := t.q.DeactivateOAuthRequest(ctx, query.DeactivateOAuthRequestParams{Kind: kind, RequestID: requestID}); err != nil {
		return t.fail(err, "revoke the OAuth %s of request %s", kind, requestID)
	}
	return nil
}

func (t *tx) DeleteOAuthRequest(ctx context.Context, kind, requestID string) error {
	if _, err := t.q.DeleteOAuthRequest(ctx, query.DeleteOAuthRequestParams{Kind: kind, RequestID: requestID}); err != nil {
		return t.fail(err, "delete the OAuth %s of request %s", kind, requestID)
	}
	return nil
}

func (t *tx) DeleteOAuthGrantsOfApp(ctx context.Context, appID string) (int, error) {
	n, err := t.q.DeleteOAuthGrantsOfApp(ctx, appID)
	if err != nil {
		return 0, t.fail(err, "delete the OAuth grants of app %s", appID)
	}
	return int(n), nil
}

func (t *tx) PurgeOAuthGrants(ctx context.Context, before time.Time) (int, error) {
	n, err := t.q.PurgeOAuthGrants(ctx, millis(before))
	if err != nil {
		return 0, t.fail(err, "purge OAuth grants")
	}
	return int(n), nil
}

// changedOne reports a statement that should have changed exactly one row: none is
// store.ErrNotFound. It returns a function that names what was done, for the error.
func (t *tx) changedOne(rows int64, err error) func(format string, args ...any) error {
	return func(format string, args ...any) error {
		if err == nil && rows == 0 {
			err = store.ErrNotFound
		}
		if err != nil {
			return t.fail(err, format, args...)
		}
		return nil
	}
}
