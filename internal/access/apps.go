package access

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"

	"disputed/internal/actor"
	"disputed/internal/fault"
	"disputed/internal/store"
)

// AppParams register a dispute-service app.
type AppParams struct {
	Name         string
	RedirectURIs []string
	Scopes       []string // what it may ask the merchant for
}

// Limits of an app's registration.
const (
	maxAppName      = 100
	maxRedirectURIs = 10
	maxRedirectURI  = 2000
)

// AppView is an app as the API and the Apps page show it.
type AppView struct {
	store.App
	// Connections counts the consents that still hold a working token: 0 once disconnected.
	Connections int
}

// RegisterApp registers an app: an admin does, or the app itself (an actor of no kind) when the
// merchant's settings allow self-registration. The client secret is returned this once; only
// its hash is kept.
func (s *Service) RegisterApp(ctx context.Context, who actor.Actor, p AppParams) (string, store.App, error) {
	if who.Kind == "" {
		set, err := s.store.GetSettings(ctx)
		if err != nil {
			return "", store.App{}, err
		}
		if !set.AppSelfRegistration {
			return "", store.App{}, fault.New(fault.Unauthenticated, fault.CodeUnauthenticated, "",
				"apps may not register themselves here: an admin registers them (or allows self-registration in the settings)")
		}
	} else if err := actor.RequireAdmin(who, "register apps"); err != nil {
		return "", store.App{}, err
	}
	a, err := validApp(p)
	if err != nil {
		return "", store.App{}, err
	}
	var raw [32]byte
	_, _ = rand.Read(raw[:])
	secret := "appsecret_" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(raw[:]))
	a.ID, a.SecretHash, a.RegisteredBy = s.ids.New("app"), hashSecret(secret), who.String()
	if who.Kind == "" {
		a.RegisteredBy = "self"
	}
	err = s.write(ctx, false, func(tx store.Tx, now time.Time) error {
		a.CreatedAt = now
		return tx.InsertApp(ctx, a)
	})
	if err != nil {
		return "", store.App{}, err
	}
	s.log.Info("app registered", "app", a.ID, "name", a.Name, "scopes", strings.Join(a.Scopes, " "), "by", a.RegisteredBy)
	return secret, a, nil
}

// validApp checks a registration: a name, exact redirect URIs an authorization may send the
// merchant back to (https, or http on the app's own machine as RFC 8252 allows native apps),
// and known scopes.
func validApp(p AppParams) (store.App, error) {
	name := strings.TrimSpace(p.Name)
	switch {
	case name == "":
		return store.App{}, fault.Required("name")
	case len(name) > maxAppName:
		return store.App{}, fault.Invalidf(fault.CodeInvalidValue, "name", "name is longer than %d characters", maxAppName)
	case len(p.RedirectURIs) == 0:
		return store.App{}, fault.Required("redirect_uris")
	case len(p.RedirectURIs) > maxRedirectURIs:
		return store.App{}, fault.Invalidf(fault.CodeInvalidValue, "redirect_uris", "an app has at most %d redirect URIs", maxRedirectURIs)
	case len(p.Scopes) == 0:
		return store.App{}, fault.Required("scopes")
	}
	for _, u := range p.RedirectURIs {
		if err := validRedirectURI(u); err != nil {
			return store.App{}, err
		}
	}
	for _, sc := range p.Scopes {
		if !actor.Scope(sc).Valid() {
			return store.App{}, fault.Invalidf(fault.CodeInvalidValue, "scopes", "unknown scope %q", sc)
		}
	}
	uris := slices.Compact(slices.Sorted(slices.Values(p.RedirectURIs)))
	return store.App{Name: name, RedirectURIs: uris, Scopes: actor.NewScopeSet(p.Scopes).List()}, nil
}

func validRedirectURI(raw string) error {
	u, err := url.Parse(raw)
	bad := func(why string) error {
		return fault.Invalidf(fault.CodeInvalidValue, "redirect_uris", "redirect URI %q %s", raw, why)
	}
	switch {
	case len(raw) > maxRedirectURI:
		return bad("is too long")
	case err != nil || !u.IsAbs() || u.Host == "":
		return bad("is not an absolute URL")
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return bad("has a fragment, which OAuth forbids")
	case u.User != nil:
		return bad("has credentials")
	case u.Scheme == "https":
		return nil
	case u.Scheme == "http" && loopback(u.Hostname()):
		return nil
	}
	return bad("must be https (or http on 127.0.0.1, [::1] or localhost)")
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Apps lists the registered apps, newest first, each with how many connections it holds.
func (s *Service) Apps(ctx context.Context, who actor.Actor) ([]AppView, error) {
	if err := actor.RequireAdmin(who, "read apps"); err != nil {
		return nil, err
	}
	apps, err := s.store.ListApps(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]AppView, len(apps))
	for i, a := range apps {
		if out[i], err = s.appView(ctx, a); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// App returns one app.
func (s *Service) App(ctx context.Context, who actor.Actor, id string) (AppView, error) {
	if err := actor.RequireAdmin(who, "read apps"); err != nil {
		return AppView{}, err
	}
	a, err := s.store.GetApp(ctx, id)
	if err != nil {
		return AppView{}, store.NotFound(err, "app", id)
	}
	return s.appView(ctx, a)
}

func (s *Service) appView(ctx context.Context, a store.App) (AppView, error) {
	n, err := s.store.CountOAuthConnections(ctx, a.ID, s.clock())
	return AppView{App: a, Connections: n}, err
}

// DeleteApp removes an app with its tokens (they stop working at once) and its webhook
// endpoints; what it did stays in the timeline under its name.
func (s *Service) DeleteApp(ctx context.Context, who actor.Actor, id string) error {
	if err := actor.RequireAdmin(who, "remove apps"); err != nil {
		return err
	}
	err := s.write(ctx, false, func(tx store.Tx, _ time.Time) error {
		return store.NotFound(tx.DeleteApp(ctx, id), "app", id)
	})
	if err == nil {
		s.log.Info("app removed", "app", id, "by", who.String())
	}
	return err
}

// DisconnectApp revokes every token of the app at once; it stays registered and may ask the
// merchant's consent again.
func (s *Service) DisconnectApp(ctx context.Context, who actor.Actor, id string) (AppView, error) {
	if err := actor.RequireAdmin(who, "disconnect apps"); err != nil {
		return AppView{}, err
	}
	var a store.App
	var revoked int
	err := s.write(ctx, false, func(tx store.Tx, _ time.Time) error {
		var err error
		if a, err = tx.GetApp(ctx, id); err != nil {
			return store.NotFound(err, "app", id)
		}
		revoked, err = tx.DeleteOAuthGrantsOfApp(ctx, id)
		return err
	})
	if err != nil {
		return AppView{}, err
	}
	s.log.Info("app disconnected", "app", id, "grants_revoked", revoked, "by", who.String())
	return AppView{App: a}, nil
}
