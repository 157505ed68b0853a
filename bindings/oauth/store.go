package oauth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"host/bindings/secrets"
)

// The secret keys (ctx.secrets names) under which the host keeps a
// plugin's OAuth tokens. The first two are the names the documents read.
const (
	AccessTokenKey  = "oauth_access_token"
	RefreshTokenKey = "oauth_refresh_token"
	MetaKey         = "oauth_token_meta" // JSON: expiry, obtained-at, type, scopes
)

// meta is the JSON stored under MetaKey. It names the tokens it belongs to
// by a short fingerprint (never the token itself), which makes it the
// commit record of a Save.
type meta struct {
	Version    int       `json:"v"`
	TokenType  string    `json:"token_type"`
	Scopes     []string  `json:"scopes,omitempty"`
	Expiry     time.Time `json:"expiry,omitzero"`
	ExpiresIn  int64     `json:"expires_in,omitempty"`
	ObtainedAt time.Time `json:"obtained_at,omitzero"`
	Access     string    `json:"access_fp"`
	Refresh    string    `json:"refresh_fp,omitempty"`
}

// fingerprint identifies a token without revealing it: 8 bytes of SHA-256.
func fingerprint(tok string) string {
	if tok == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(sum[:8])
}

// Save stores t in s: RefreshTokenKey first (deleted when t has no refresh
// token), then AccessTokenKey, then MetaKey, which names both by
// fingerprint and so commits the pair. A crash part-way leaves either the
// old state or a newer token whose metadata does not match it; Load marks
// such a token for refresh, which uses the stored refresh token, always
// the newest one (a rotated refresh token is written before anything
// else, so it is never lost while an older one stays). It blocks on the
// secret backend, bounded by ctx; safe for concurrent use, but concurrent
// Saves of different tokens interleave (the Keeper serializes its own).
func Save(ctx context.Context, s *secrets.Scoped, t *Token) error {
	return save(ctx, s, t, false)
}

// save is Save; sameRefresh says the stored refresh token already is
// t.RefreshToken (a refresh that did not rotate), which saves a keyring
// write.
func save(ctx context.Context, s *secrets.Scoped, t *Token, sameRefresh bool) error {
	if t == nil || t.AccessToken == "" {
		return errors.New("oauth: nothing to save: the token has no access token")
	}
	var err error
	switch {
	case sameRefresh && t.RefreshToken != "":
	case t.RefreshToken != "":
		err = s.Set(ctx, RefreshTokenKey, t.RefreshToken)
	default:
		err = s.Delete(ctx, RefreshTokenKey)
	}
	if err != nil {
		return saveErr(err)
	}
	if err := s.Set(ctx, AccessTokenKey, t.AccessToken); err != nil {
		return saveErr(err)
	}
	m := meta{
		Version: 1, TokenType: t.TokenType, Scopes: t.Scopes, Expiry: t.Expiry.UTC(), ExpiresIn: t.ExpiresIn,
		ObtainedAt: t.ObtainedAt.UTC(), Access: fingerprint(t.AccessToken), Refresh: fingerprint(t.RefreshToken),
	}
	if t.Expiry.IsZero() {
		m.Expiry = time.Time{}
	}
	if t.ObtainedAt.IsZero() {
		m.ObtainedAt = time.Time{}
	}
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("oauth: %w", err)
	}
	if err := s.Set(ctx, MetaKey, string(b)); err != nil {
		return saveErr(err)
	}
	return nil
}

func saveErr(err error) error {
	return fmt.Errorf("oauth: saving the tokens: %w", err)
}

// Load reads the tokens Save stored in s. It returns an error matching
// secrets.ErrNotFound when there is no access token (not logged in). An
// access token without matching metadata (written by something else, or
// a Save interrupted by a crash) comes back with unknown expiry and
// NeedsRefresh true. It blocks on the secret backend, bounded by ctx.
func Load(ctx context.Context, s *secrets.Scoped) (*Token, error) {
	access, err := s.Get(ctx, AccessTokenKey)
	if err != nil {
		return nil, loadErr(err)
	}
	t := &Token{AccessToken: access, TokenType: "Bearer"}
	t.RefreshToken, err = s.Get(ctx, RefreshTokenKey)
	if err != nil && !errors.Is(err, secrets.ErrNotFound) {
		return nil, loadErr(err)
	}
	raw, err := s.Get(ctx, MetaKey)
	if err != nil && !errors.Is(err, secrets.ErrNotFound) {
		return nil, loadErr(err)
	}
	var m meta
	if raw == "" || json.Unmarshal([]byte(raw), &m) != nil || m.Access != fingerprint(access) {
		t.uncommitted = true
		return t, nil
	}
	t.TokenType = m.TokenType
	t.Scopes = m.Scopes
	t.Expiry = m.Expiry
	t.ExpiresIn = m.ExpiresIn
	t.ObtainedAt = m.ObtainedAt
	return t, nil
}

func loadErr(err error) error {
	if errors.Is(err, secrets.ErrNotFound) {
		return fmt.Errorf("oauth: not logged in: %w", err)
	}
	return fmt.Errorf("oauth: reading the tokens: %w", err)
}

// Delete removes every OAuth secret of s (logout): the access token first
// (from then on Load reports not logged in), then the refresh token and
// the metadata. Missing items are not an error.
func Delete(ctx context.Context, s *secrets.Scoped) error {
	for _, k := range []string{AccessTokenKey, RefreshTokenKey, MetaKey} {
		if err := s.Delete(ctx, k); err != nil {
			return fmt.Errorf("oauth: logging out: %w", err)
		}
	}
	return nil
}
