package access

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"disputed/internal/actor"
	"disputed/internal/fault"
	"disputed/internal/store"
)

// hashSecret is how API key secrets are stored: a SHA-256, enough for random 160-bit secrets
// (no dictionary to guard against, unlike passwords).
func hashSecret(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// APIKeyParams create an API key.
type APIKeyParams struct {
	Role    string
	PartyID string // buyer keys: the customer id; vendor keys: the vendor id
	Name    string
}

// CreateAPIKey makes a key (an admin, or the command line as the system). The secret is
// returned once and never stored.
func (s *Service) CreateAPIKey(ctx context.Context, who actor.Actor, p APIKeyParams) (string, store.APIKey, error) {
	if err := actor.RequireAdmin(who, "manage API keys"); err != nil {
		return "", store.APIKey{}, err
	}
	role := actor.Role(p.Role)
	if err := bindsParty(role, p.PartyID, "key"); err != nil {
		return "", store.APIKey{}, err
	}
	if len(p.Name) > 200 {
		return "", store.APIKey{}, fault.Invalidf(fault.CodeInvalidValue, "name", "name is longer than 200 characters")
	}
	var raw [20]byte
	_, _ = rand.Read(raw[:])
	secret := "sk_" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(raw[:]))
	k, err := s.insertKey(ctx, secret, role, p.PartyID, strings.TrimSpace(p.Name))
	if err != nil {
		return "", store.APIKey{}, err
	}
	s.log.Info("API key created", "key", k.ID, "role", k.Role, "party", k.PartyID, "by", who.String())
	return secret, k, nil
}

// bindsParty checks the rule shared by keys and users (what names which): buyers and vendors act
// for one customer or vendor id, staff for the whole merchant.
func bindsParty(role actor.Role, partyID, what string) error {
	switch {
	case !role.Valid():
		return fault.Invalidf(fault.CodeInvalidValue, "role", "role must be one of admin, agent, buyer, vendor")
	case role.Party() && partyID == "":
		return fault.Invalidf(fault.CodeParameterMissing, "party_id", "a %s %s acts for one %s, whose id it needs", role, what,
			map[actor.Role]string{actor.Buyer: "customer", actor.Vendor: "vendor"}[role])
	case !role.Party() && partyID != "":
		return fault.Invalidf(fault.CodeInvalidValue, "party_id", "only buyer and vendor %ss are bound to a party", what)
	}
	return nil
}

// APIKeys returns a page of keys, revoked ones included, newest first.
func (s *Service) APIKeys(ctx context.Context, who actor.Actor, p store.Page) ([]store.APIKey, bool, error) {
	if err := actor.RequireAdmin(who, "manage API keys"); err != nil {
		return nil, false, err
	}
	if err := s.offsetWithin(p); err != nil {
		return nil, false, err
	}
	ks, err := s.store.ListAPIKeys(ctx, p)
	if err != nil {
		return nil, false, err
	}
	ks, more := store.Trim(ks, p.Limit)
	return ks, more, nil
}

// RevokeAPIKey stops a key from authenticating, from the next request on, on every server
// sharing the database (Authenticate reads the key on every request). The key stays listed with
// when and by whom it was revoked. Revoking a revoked key changes nothing and returns it as it
// is. Any key may be revoked, the caller's own and the last admin key included: a leaked key must
// go at once, and `disputed apikey create` on the server makes a new admin key.
func (s *Service) RevokeAPIKey(ctx context.Context, who actor.Actor, id string) (store.APIKey, error) {
	if err := actor.RequireAdmin(who, "manage API keys"); err != nil {
		return store.APIKey{}, err
	}
	var k store.APIKey
	revoked := false
	err := s.write(ctx, true, func(tx store.Tx, now time.Time) error {
		var err error
		if k, err = tx.GetAPIKey(ctx, id); err != nil {
			return store.NotFound(err, "API key", id)
		}
		if revoked = !k.Revoked(); !revoked {
			return nil
		}
		k.RevokedAt, k.RevokedBy = now, who.String()
		return tx.RevokeAPIKey(ctx, id, k.RevokedAt, k.RevokedBy)
	})
	if err != nil {
		return store.APIKey{}, err
	}
	if revoked {
		s.log.Info("API key revoked", "key", k.ID, "name", k.Name, "role", k.Role, "by", k.RevokedBy)
	}
	return k, nil
}

// EnsureAdminKey makes sure an admin key with exactly this secret exists (DISPUTED_ADMIN_KEY).
// A revoked one stays revoked: the same secret in the environment must not bring a leaked key
// back, so the server starts without it and says so.
func (s *Service) EnsureAdminKey(ctx context.Context, secret string) error {
	if len(secret) < 16 {
		return fault.Invalidf(fault.CodeInvalidValue, "DISPUTED_ADMIN_KEY", "the admin key must have at least 16 characters")
	}
	if publishedExampleKey(secret) {
		s.log.Error("DISPUTED_ADMIN_KEY is an example secret published in the README: anyone who has read it is an admin " +
			"of this server. Set a secret of your own (openssl rand -hex 32) and restart.")
	}
	if strings.HasPrefix(secret, accessTokenPrefix) {
		return fault.Invalidf(fault.CodeInvalidValue, "DISPUTED_ADMIN_KEY", "the admin key may not start with %s, which marks an app's access token", accessTokenPrefix)
	}
	k, err := s.store.GetAPIKeyByHash(ctx, hashSecret(secret))
	switch {
	case err == nil && k.Revoked():
		s.log.Warn("DISPUTED_ADMIN_KEY is a revoked key and stays revoked: it authenticates nothing; set a new secret",
			"key", k.ID, "revoked_at", k.RevokedAt, "revoked_by", k.RevokedBy)
		return nil
	case err == nil || !errors.Is(err, store.ErrNotFound):
		return err
	}
	_, err = s.insertKey(ctx, secret, actor.Admin, "", "DISPUTED_ADMIN_KEY")
	if errors.Is(err, store.ErrConflict) {
		return nil // another instance created it at the same moment
	}
	return err
}

func (s *Service) insertKey(ctx context.Context, secret string, role actor.Role, partyID, name string) (store.APIKey, error) {
	var k store.APIKey
	err := s.store.Tx(ctx, func(tx store.Tx) error {
		k = store.APIKey{ID: s.ids.New("key"), Role: string(role), PartyID: partyID, Hash: hashSecret(secret),
			Prefix: secret[:min(len(secret), 8)], Name: name, CreatedAt: s.clock()}
		return tx.InsertAPIKey(ctx, k)
	})
	return k, err
}

// Authenticate returns the actor of an API key secret. The key is read from the database on
// every request, never cached, so that a revocation holds at once on every instance.
func (s *Service) Authenticate(ctx context.Context, secret string) (actor.Actor, error) {
	if secret == "" {
		return actor.Actor{}, fault.New(fault.Unauthenticated, fault.CodeUnauthenticated, "", "an API key is required: Authorization: Bearer <key>")
	}
	if strings.HasPrefix(secret, accessTokenPrefix) {
		return s.authenticateApp(ctx, secret)
	}
	if strings.HasPrefix(secret, accessTokenPrefix) {
		return s.authenticateApp(ctx, secret)
	}
	k, err := s.store.GetAPIKeyByHash(ctx, hashSecret(secret))
	switch {
	case errors.Is(err, store.ErrNotFound):
		return actor.Actor{}, fault.New(fault.Unauthenticated, fault.CodeInvalidAPIKey, "", "the API key is not valid")
	case err != nil:
		return actor.Actor{}, err
	case k.Revoked():
		return actor.Actor{}, fault.New(fault.Unauthenticated, fault.CodeInvalidAPIKey, "", "the API key was revoked")
	}
	return actor.Key(k.ID, actor.Role(k.Role), k.PartyID), nil
}

// publishedExampleKey reports whether an admin key is one anyone can read: a "change me"
// placeholder (sk_admin_change_me_…) copied from an example. The server still starts with it,
// but says loudly at every start that the key must be replaced.
func publishedExampleKey(secret string) bool {
	s := strings.ToLower(secret)
	return strings.Contains(s, "change_me") || strings.Contains(s, "changeme") || strings.Contains(s, "change-me")
}
