package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/knowthystudents/kts/internal/lti"
)

// LTI keeps what the dashboard as an LTI tool needs (internal/lti's Store) in this database:
// registrations, one-time logins and nonces, the tool's key, and teachers' sealed tokens.
type LTI struct{ s *Store }

// LTI returns the store's LTI tables.
func (s *Store) LTI() LTI { return LTI{s: s} }

var _ lti.Store = LTI{}

// Platforms implements lti.Store.
func (l LTI) Platforms(ctx context.Context, issuer string) ([]lti.Platform, error) {
	rows, err := l.s.db.QueryContext(ctx, `SELECT client_id, auth_url, token_url, jwks_url FROM lti_platforms
		WHERE issuer = $1 ORDER BY client_id`, issuer)
	if err != nil {
		return nil, fmt.Errorf("store: lti platforms: %w", err)
	}
	var out []lti.Platform
	for rows.Next() {
		p := lti.Platform{Issuer: issuer}
		if err := rows.Scan(&p.ClientID, &p.AuthURL, &p.TokenURL, &p.JWKSURL); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		ds, err := l.s.db.QueryContext(ctx, `SELECT deployment_id FROM lti_deployments WHERE issuer = $1 AND client_id = $2
			ORDER BY deployment_id`, issuer, out[i].ClientID)
		if err != nil {
			return nil, err
		}
		for ds.Next() {
			var d string
			if err := ds.Scan(&d); err != nil {
				ds.Close()
				return nil, err
			}
			out[i].DeploymentIDs = append(out[i].DeploymentIDs, d)
		}
		ds.Close()
		if err := ds.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// SavePlatform implements lti.Store.
func (l LTI) SavePlatform(ctx context.Context, p lti.Platform) error {
	return l.s.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO lti_platforms (issuer, client_id, auth_url, token_url, jwks_url, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (issuer, client_id) DO UPDATE SET auth_url = excluded.auth_url, token_url = excluded.token_url,
				jwks_url = excluded.jwks_url, updated_at = excluded.updated_at`,
			p.Issuer, p.ClientID, p.AuthURL, p.TokenURL, p.JWKSURL, Millis(time.Now())); err != nil {
			return fmt.Errorf("store: lti platform: %w", err)
		}
		for _, d := range p.DeploymentIDs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO lti_deployments (issuer, client_id, deployment_id) VALUES ($1, $2, $3)
				ON CONFLICT DO NOTHING`, p.Issuer, p.ClientID, d); err != nil {
				return fmt.Errorf("store: lti deployment: %w", err)
			}
		}
		return nil
	})
}

// PutLogin implements lti.Store.
func (l LTI) PutLogin(ctx context.Context, lg lti.Login, now time.Time) error {
	if _, err := l.s.db.ExecContext(ctx, `DELETE FROM lti_logins WHERE expires_at < $1`, Millis(now)); err != nil {
		return fmt.Errorf("store: lti logins: %w", err)
	}
	_, err := l.s.db.ExecContext(ctx, `INSERT INTO lti_logins (state, nonce, issuer, client_id, cmid, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, lg.State, lg.Nonce, lg.Issuer, lg.ClientID, lg.CMID, Millis(lg.Expires))
	if err != nil {
		return fmt.Errorf("store: lti login: %w", err)
	}
	return nil
}

// TakeLogin implements lti.Store: the delete is the read, so of two launches with one state
// only one gets it.
func (l LTI) TakeLogin(ctx context.Context, state string) (lti.Login, error) {
	lg := lti.Login{State: state}
	var exp int64
	err := l.s.db.QueryRowContext(ctx, `DELETE FROM lti_logins WHERE state = $1
		RETURNING nonce, issuer, client_id, cmid, expires_at`, state).Scan(&lg.Nonce, &lg.Issuer, &lg.ClientID, &lg.CMID, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return lti.Login{}, lti.ErrNotFound
	} else if err != nil {
		return lti.Login{}, fmt.Errorf("store: lti login: %w", err)
	}
	lg.Expires = FromMillis(exp)
	return lg, nil
}

// UseNonce implements lti.Store.
func (l LTI) UseNonce(ctx context.Context, issuer, nonce string, expires, now time.Time) error {
	if _, err := l.s.db.ExecContext(ctx, `DELETE FROM lti_nonces WHERE expires_at < $1`, Millis(now)); err != nil {
		return fmt.Errorf("store: lti nonces: %w", err)
	}
	res, err := l.s.db.ExecContext(ctx, `INSERT INTO lti_nonces (issuer, nonce, expires_at) VALUES ($1, $2, $3)
		ON CONFLICT DO NOTHING`, issuer, nonce, Millis(expires))
	if err != nil {
		return fmt.Errorf("store: lti nonce: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return lti.ErrReplayed
	}
	return nil
}

// ToolKey implements lti.Store: the first replica's key is kept, every other one reads it.
func (l LTI) ToolKey(ctx context.Context, create func() ([]byte, error)) ([]byte, error) {
	var k string
	err := l.s.db.QueryRowContext(ctx, `SELECT jwk FROM lti_keys WHERE id = 'tool'`).Scan(&k)
	if err == nil {
		return []byte(k), nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: lti key: %w", err)
	}
	made, err := create()
	if err != nil {
		return nil, err
	}
	if _, err := l.s.db.ExecContext(ctx, `INSERT INTO lti_keys (id, jwk, created_at) VALUES ('tool', $1, $2)
		ON CONFLICT DO NOTHING`, string(made), Millis(time.Now())); err != nil {
		return nil, fmt.Errorf("store: lti key: %w", err)
	}
	if err := l.s.db.QueryRowContext(ctx, `SELECT jwk FROM lti_keys WHERE id = 'tool'`).Scan(&k); err != nil {
		return nil, fmt.Errorf("store: lti key: %w", err)
	}
	return []byte(k), nil
}

// SaveToken implements lti.Store.
func (l LTI) SaveToken(ctx context.Context, site string, userID int64, sealed []byte) error {
	_, err := l.s.db.ExecContext(ctx, `INSERT INTO lti_tokens (site, user_id, sealed, updated_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (site, user_id) DO UPDATE SET sealed = excluded.sealed, updated_at = excluded.updated_at`,
		site, userID, base64.StdEncoding.EncodeToString(sealed), Millis(time.Now()))
	if err != nil {
		return fmt.Errorf("store: lti token: %w", err)
	}
	return nil
}

// Token implements lti.Store.
func (l LTI) Token(ctx context.Context, site string, userID int64) ([]byte, error) {
	var s string
	err := l.s.db.QueryRowContext(ctx, `SELECT sealed FROM lti_tokens WHERE site = $1 AND user_id = $2`, site, userID).Scan(&s)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lti.ErrNotFound
	} else if err != nil {
		return nil, fmt.Errorf("store: lti token: %w", err)
	}
	return base64.StdEncoding.DecodeString(s)
}

// ForgetToken implements lti.Store.
func (l LTI) ForgetToken(ctx context.Context, site string, userID int64) error {
	if _, err := l.s.db.ExecContext(ctx, `DELETE FROM lti_tokens WHERE site = $1 AND user_id = $2`, site, userID); err != nil {
		return fmt.Errorf("store: lti token: %w", err)
	}
	return nil
}
