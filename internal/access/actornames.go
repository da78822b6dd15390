package access

import (
	"context"
	"errors"
	"strings"

	"disputed/internal/actor"
	"disputed/internal/store"
)

// ActorNames names for people the actors that the timeline, notes and evidence record as
// "role:id" (actor.Actor.String): a signed-in user by the email, an API key as "API key" and
// its name, an app as "App" and its name, the server as "System", a provider by its name
// ("Stripe" for the usual one), a panel as "Panel" and its name. An actor whose user or key was deleted keeps its recorded
// form. Staff only: parties never see who on the merchant's side did what.
func (s *Service) ActorNames(ctx context.Context, who actor.Actor, recorded []string) (map[string]string, error) {
	if err := actor.RequireStaff(who, "read who did what"); err != nil {
		return nil, err
	}
	out := make(map[string]string, len(recorded))
	for _, r := range recorded {
		if _, done := out[r]; done || r == "" {
			continue
		}
		name, err := s.actorName(ctx, r)
		if err != nil {
			return nil, err
		}
		out[r] = name
	}
	return out, nil
}

// providerNames are the usual providers' names as their makers write them.
var providerNames = map[string]string{"stripe": "Stripe", "paypal": "PayPal"}

func (s *Service) actorName(ctx context.Context, recorded string) (string, error) {
	kind, id, _ := strings.Cut(recorded, ":")
	switch {
	case recorded == "system":
		return "System", nil
	case kind == "provider":
		if n, ok := providerNames[id]; ok {
			return n, nil
		}
		return "Provider " + id, nil
	case kind == "panel":
		return "Panel " + id, nil
	case kind == "app":
		a, err := s.store.GetApp(ctx, id)
		switch {
		case errors.Is(err, store.ErrNotFound):
			return "App " + id, nil
		case err != nil:
			return "", err
		}
		return "App " + a.Name, nil
	case kind == "rule": // a rule's actions on the timeline name it; a deleted rule keeps its id
		r, err := s.store.GetRule(ctx, id)
		switch {
		case errors.Is(err, store.ErrNotFound):
			return "Rule " + id, nil
		case err != nil:
			return "", err
		}
		return "Rule “" + r.Name + "”", nil
	case strings.HasPrefix(id, "usr_"):
		u, err := s.store.GetUser(ctx, id)
		switch {
		case errors.Is(err, store.ErrNotFound):
			return recorded, nil
		case err != nil:
			return "", err
		}
		return u.Email, nil
	case strings.HasPrefix(id, "key_"):
		k, err := s.store.GetAPIKey(ctx, id)
		switch {
		case errors.Is(err, store.ErrNotFound):
			return recorded, nil
		case err != nil:
			return "", err
		}
		if k.Name == "" {
			return "API key " + k.Prefix + "…", nil
		}
		return "API key " + k.Name, nil
	}
	return recorded, nil
}
