package httpapi

import (
	"context"
	"time"

	"disputed/internal/access"
	"disputed/internal/store"
)

// APIKey is a key as an admin sees it: never its hash or its secret.
type APIKey struct {
	ID        string     `json:"id"`
	Object    string     `json:"object" enum:"api_key"`
	Name      string     `json:"name"`
	Role      string     `json:"role" enum:"admin,agent,buyer,vendor"`
	PartyID   *string    `json:"party_id" doc:"buyer keys: the customer id; vendor keys: the vendor id; null for staff keys"`
	Prefix    string     `json:"prefix" doc:"the first characters of the secret, to recognise the key by"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at" doc:"when the key was revoked; null while it works"`
	RevokedBy *string    `json:"revoked_by" doc:"who revoked it: admin:key_… (the admin key that asked), or system (the command line)"`
}

func apiKeyOut(k store.APIKey) APIKey {
	return APIKey{ID: k.ID, Object: "api_key", Name: k.Name, Role: k.Role, PartyID: opt(k.PartyID), Prefix: k.Prefix,
		CreatedAt: k.CreatedAt.UTC(), RevokedAt: optTime(k.RevokedAt), RevokedBy: opt(k.RevokedBy)}
}

// APIKeyIn creates a key.
type APIKeyIn struct {
	Body struct {
		Role    string `json:"role" enum:"admin,agent,buyer,vendor"`
		PartyID string `json:"party_id,omitempty" maxLength:"64" doc:"required for buyer and vendor keys (the customer or vendor id they act for); refused for admin and agent keys"`
		Name    string `json:"name,omitempty" maxLength:"200" doc:"a label to recognise the key by"`
	}
}

// APIKeyOut answers with a key.
type APIKeyOut struct{ Body APIKey }

// NewAPIKey is a key in the answer that created it, the one answer that shows its secret.
type NewAPIKey struct {
	APIKey
	Secret string `json:"secret,omitempty" doc:"the key itself (sk_…): shown once, in this answer; a repeat of the request with its Idempotency-Key answers the key without it, as the secret is not kept"`
}

// NewAPIKeyOut answers with a new key and its secret.
type NewAPIKeyOut struct{ Body NewAPIKey }

// APIKeysOut is a page of keys.
type APIKeysOut struct{ Body List[APIKey] }

func (s *Server) createAPIKey(ctx context.Context, in *APIKeyIn) (*NewAPIKeyOut, error) {
	secret, k, err := s.access.CreateAPIKey(ctx, who(ctx), access.APIKeyParams{Role: in.Body.Role, PartyID: in.Body.PartyID, Name: in.Body.Name})
	if err != nil {
		return nil, err
	}
	return &NewAPIKeyOut{Body: NewAPIKey{APIKey: apiKeyOut(k), Secret: secret}}, nil
}

func (s *Server) listAPIKeys(ctx context.Context, in *PageQuery) (*APIKeysOut, error) {
	page, err := in.page()
	if err != nil {
		return nil, err
	}
	ks, more, err := s.access.APIKeys(ctx, who(ctx), page)
	if err != nil {
		return nil, err
	}
	return &APIKeysOut{Body: listOf(ks, more, apiKeyOut, func(k store.APIKey) (time.Time, string) { return k.CreatedAt, k.ID })}, nil
}

func (s *Server) revokeAPIKey(ctx context.Context, in *ByID) (*APIKeyOut, error) {
	k, err := s.access.RevokeAPIKey(ctx, who(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return &APIKeyOut{Body: apiKeyOut(k)}, nil
}
