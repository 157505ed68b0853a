package authserver

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"host/bindings/sqlitedb"
)

// DBFile is the authorization server's database in the data dir (mode
// 0600): registered clients, grants, and the hashes of codes and tokens.
const DBFile = "oauth.db"

// Store is the authorization server's database. Codes and tokens are kept
// only as SHA-256 hashes. Two processes (a serve and `host clients`) may
// use it at once. Safe for concurrent use.
type Store struct {
	db     *sql.DB
	now    func() time.Time
	access *sql.Stmt // lookupAccess, prepared: it runs on every request
}

// migrations[i] brings the schema from user_version i to i+1 (sqlitedb).
// Append only. The first is IF NOT EXISTS: files made before the schema
// was versioned (user_version 0) already hold its tables.
var migrations = []string{`
CREATE TABLE IF NOT EXISTS clients(
	id TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	kind TEXT NOT NULL,            -- "registered" (RFC 7591) or "metadata" (a Client ID Metadata Document)
	redirect_uris TEXT NOT NULL,   -- JSON array
	created INTEGER NOT NULL,
	last_used INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS grants(
	id TEXT PRIMARY KEY,
	client_id TEXT NOT NULL,
	scope TEXT NOT NULL,
	resource TEXT NOT NULL,
	created INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS grants_client ON grants(client_id);
CREATE TABLE IF NOT EXISTS secrets(
	hash TEXT PRIMARY KEY,         -- hex SHA-256 of the code or token
	kind TEXT NOT NULL,            -- "code", "access", "refresh"
	grant_id TEXT NOT NULL,
	expires INTEGER NOT NULL,
	used INTEGER NOT NULL DEFAULT 0,
	redirect_uri TEXT NOT NULL DEFAULT '',
	challenge TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS secrets_grant ON secrets(grant_id);
`}

// OpenStore opens (creating) the database in dataDir.
func OpenStore(dataDir string) (*Store, error) {
	path, err := filepath.Abs(filepath.Join(dataDir, DBFile))
	if err != nil {
		return nil, err
	}
	db, err := sqlitedb.Open(path, sqlitedb.Options{BusyTimeout: 10 * time.Second, MaxOpenConns: 4, Migrations: migrations})
	var fe *sqlitedb.FileError
	if errors.As(err, &fe) {
		return nil, fmt.Errorf("oauth database: %w", err)
	}
	if err != nil {
		return nil, fmt.Errorf("oauth database %s: %w", path, err)
	}
	access, err := db.Prepare(lookupQuery)
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("oauth database %s: %w", path, err)
	}
	return &Store{db: db, now: time.Now, access: access}, nil
}

// lookupQuery finds a code or token (by hash and kind) with its grant and
// client.
const lookupQuery = `
SELECT g.id, g.client_id, c.name, g.scope, g.resource, s.expires, s.used, s.redirect_uri, s.challenge
FROM secrets s JOIN grants g ON g.id = s.grant_id JOIN clients c ON c.id = g.client_id
WHERE s.hash = ? AND s.kind = ?`

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Client is a client as `host clients` lists it.
type Client struct {
	ID           string    `json:"id"`
	Name         string    `json:"name"`
	Kind         string    `json:"kind"` // "registered" or "metadata"
	RedirectURIs []string  `json:"redirect_uris"`
	Created      time.Time `json:"created"`
	LastUsed     time.Time `json:"last_used,omitzero"`
	Grants       int       `json:"grants"`   // approvals not revoked
	Approved     time.Time `json:"approved"` // the latest
}

// Client kinds.
const (
	KindRegistered = "registered"
	KindMetadata   = "metadata"
)

// Clients lists the clients the user approved (with a grant), newest
// approval first; all lists registered ones without a grant too.
func (s *Store) Clients(ctx context.Context, all bool) ([]Client, error) {
	rows, err := s.db.QueryContext(ctx, `
SELECT c.id, c.name, c.kind, c.redirect_uris, c.created, c.last_used, count(g.id), coalesce(max(g.created), 0)
FROM clients c LEFT JOIN grants g ON g.client_id = c.id
GROUP BY c.id ORDER BY max(g.created) DESC, c.created DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Client
	for rows.Next() {
		var c Client
		var uris string
		var created, used, approved int64
		if err := rows.Scan(&c.ID, &c.Name, &c.Kind, &uris, &created, &used, &c.Grants, &approved); err != nil {
			return nil, err
		}
		_ = json.Unmarshal([]byte(uris), &c.RedirectURIs)
		c.Created, c.LastUsed, c.Approved = unix(created), unix(used), unix(approved)
		if c.Grants > 0 || all {
			out = append(out, c)
		}
	}
	return out, rows.Err()
}

func unix(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.Unix(v, 0)
}

// ErrNoClient is Revoke's error for an id no client has.
var ErrNoClient = errors.New("no such client")

// Revoke revokes a client: its grants, codes and tokens end at once (a
// serve checks each request against this database) and its registration
// is removed, so it has to register and be approved again.
func (s *Store) Revoke(ctx context.Context, clientID string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	res, err := tx.ExecContext(ctx, `DELETE FROM clients WHERE id = ?`, clientID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNoClient
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM secrets WHERE grant_id IN (SELECT id FROM grants WHERE client_id = ?)`, clientID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM grants WHERE client_id = ?`, clientID); err != nil {
		return err
	}
	return tx.Commit()
}

// client returns a client's registration (nil when there is none).
func (s *Store) client(ctx context.Context, id string) (*Client, error) {
	var c Client
	var uris string
	var created int64
	err := s.db.QueryRowContext(ctx, `SELECT id, name, kind, redirect_uris, created FROM clients WHERE id = ?`, id).Scan(&c.ID, &c.Name, &c.Kind, &uris, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	_ = json.Unmarshal([]byte(uris), &c.RedirectURIs)
	c.Created = unix(created)
	return &c, nil
}

// putClient stores a client's registration (a metadata document's is
// refreshed each time it is fetched).
func (s *Store) putClient(ctx context.Context, c *Client) error {
	uris, _ := json.Marshal(c.RedirectURIs)
	_, err := s.db.ExecContext(ctx, `
INSERT INTO clients(id, name, kind, redirect_uris, created) VALUES(?, ?, ?, ?, ?)
ON CONFLICT(id) DO UPDATE SET name = excluded.name, redirect_uris = excluded.redirect_uris`,
		c.ID, c.Name, c.Kind, string(uris), s.now().Unix())
	return err
}

// pruneRegistrations removes registered clients never approved that are
// older than a day, keeping at most keep of the newest such (registration
// needs no credentials, so what it may fill is bounded).
func (s *Store) pruneRegistrations(ctx context.Context, keep int) error {
	_, err := s.db.ExecContext(ctx, `
DELETE FROM clients WHERE kind = ? AND id NOT IN (SELECT client_id FROM grants) AND (created < ? OR id NOT IN (
	SELECT id FROM clients WHERE kind = ? AND id NOT IN (SELECT client_id FROM grants) ORDER BY created DESC LIMIT ?))`,
		KindRegistered, s.now().Add(-24*time.Hour).Unix(), KindRegistered, keep)
	return err
}

// grant records the user's approval of a client for a resource and scope.
func (s *Store) grant(ctx context.Context, clientID, scope, resource string) (string, error) {
	id := randomString(16)
	_, err := s.db.ExecContext(ctx, `INSERT INTO grants(id, client_id, scope, resource, created) VALUES(?, ?, ?, ?, ?)`,
		id, clientID, scope, resource, s.now().Unix())
	return id, err
}

// grantInfo is a grant with its client.
type grantInfo struct {
	ID, ClientID, ClientName, Scope, Resource string
}

// secretRow is a code or token as stored.
type secretRow struct {
	grantInfo
	Expires     time.Time
	Used        bool
	RedirectURI string
	Challenge   string
}

// lookup finds a code or token of kind by its value.
func lookup(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, kind, value string) (*secretRow, error) {
	return scanSecret(q.QueryRowContext(ctx, lookupQuery, hash(value), kind))
}

// lookupAccess is lookup of an access token, on the prepared statement.
func (s *Store) lookupAccess(ctx context.Context, value string) (*secretRow, error) {
	return scanSecret(s.access.QueryRowContext(ctx, hash(value), "access"))
}

func scanSecret(row *sql.Row) (*secretRow, error) {
	var r secretRow
	var exp int64
	err := row.Scan(&r.ID, &r.ClientID, &r.ClientName, &r.Scope, &r.Resource, &exp, &r.Used, &r.RedirectURI, &r.Challenge)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	r.Expires = time.Unix(exp, 0)
	return &r, nil
}

// execer is a database or a transaction.
type execer interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}

// issue stores a new code or token of kind for a grant and returns it.
func (s *Store) issue(ctx context.Context, x execer, kind, grantID string, ttl time.Duration, redirectURI, challenge string) (string, error) {
	v := tokenPrefix[kind] + randomString(32)
	_, err := x.ExecContext(ctx, `INSERT INTO secrets(hash, kind, grant_id, expires, redirect_uri, challenge) VALUES(?, ?, ?, ?, ?, ?)`,
		hash(v), kind, grantID, s.now().Add(ttl).Unix(), redirectURI, challenge)
	return v, err
}

// tokenPrefix marks what a value is, so one leaked in a log is recognised
// (and secret scanners can match it).
var tokenPrefix = map[string]string{"code": "hostc_", "access": "hosta_", "refresh": "hostr_"}

// revokeGrant ends a grant: its codes and tokens are deleted.
func revokeGrant(ctx context.Context, x execer, grantID string) error {
	if _, err := x.ExecContext(ctx, `DELETE FROM secrets WHERE grant_id = ?`, grantID); err != nil {
		return err
	}
	_, err := x.ExecContext(ctx, `DELETE FROM grants WHERE id = ?`, grantID)
	return err
}

func hash(v string) string {
	sum := sha256.Sum256([]byte(v))
	return hex.EncodeToString(sum[:])
}

func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
