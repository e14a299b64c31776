package lti

import (
	"context"
	"slices"
	"strconv"
	"sync"
	"time"
)

// Memory is a Store in process memory: for tests, and for a server without a database,
// where registrations, logins and tokens are lost at a restart and not shared by replicas.
type Memory struct {
	mu        sync.Mutex
	platforms []Platform
	logins    map[string]Login
	nonces    map[string]time.Time
	key       []byte
	tokens    map[string][]byte
}

// NewMemory returns an empty Memory store.
func NewMemory() *Memory {
	return &Memory{logins: map[string]Login{}, nonces: map[string]time.Time{}, tokens: map[string][]byte{}}
}

var _ Store = (*Memory)(nil)

// Platforms implements Store.
func (m *Memory) Platforms(_ context.Context, issuer string) ([]Platform, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Platform
	for _, p := range m.platforms {
		if p.Issuer == issuer {
			p.DeploymentIDs = slices.Clone(p.DeploymentIDs)
			out = append(out, p)
		}
	}
	return out, nil
}

// SavePlatform implements Store.
func (m *Memory) SavePlatform(_ context.Context, p Platform) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, q := range m.platforms {
		if q.Issuer == p.Issuer && q.ClientID == p.ClientID {
			ids := slices.Clone(q.DeploymentIDs)
			for _, d := range p.DeploymentIDs {
				if !slices.Contains(ids, d) {
					ids = append(ids, d)
				}
			}
			p.DeploymentIDs = ids
			m.platforms[i] = p
			return nil
		}
	}
	p.DeploymentIDs = slices.Clone(p.DeploymentIDs)
	m.platforms = append(m.platforms, p)
	return nil
}

// PutLogin implements Store.
func (m *Memory) PutLogin(_ context.Context, l Login, now time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for k, v := range m.logins {
		if now.After(v.Expires) {
			delete(m.logins, k)
		}
	}
	m.logins[l.State] = l
	return nil
}

// TakeLogin implements Store.
func (m *Memory) TakeLogin(_ context.Context, state string) (Login, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	l, ok := m.logins[state]
	if !ok {
		return Login{}, ErrNotFound
	}
	delete(m.logins, state)
	return l, nil
}

// UseNonce implements Store.
func (m *Memory) UseNonce(_ context.Context, issuer, nonce string, expires, now time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for k, exp := range m.nonces {
		if now.After(exp) {
			delete(m.nonces, k)
		}
	}
	k := issuer + "\x00" + nonce
	if _, ok := m.nonces[k]; ok {
		return ErrReplayed
	}
	m.nonces[k] = expires
	return nil
}

// ToolKey implements Store.
func (m *Memory) ToolKey(_ context.Context, create func() ([]byte, error)) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.key == nil {
		k, err := create()
		if err != nil {
			return nil, err
		}
		m.key = k
	}
	return slices.Clone(m.key), nil
}

func tokenKey(site string, userID int64) string { return site + "\x00" + strconv.FormatInt(userID, 10) }

// SaveToken implements Store.
func (m *Memory) SaveToken(_ context.Context, site string, userID int64, sealed []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.tokens[tokenKey(site, userID)] = slices.Clone(sealed)
	return nil
}

// Token implements Store.
func (m *Memory) Token(_ context.Context, site string, userID int64) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.tokens[tokenKey(site, userID)]
	if !ok {
		return nil, ErrNotFound
	}
	return slices.Clone(t), nil
}

// ForgetToken implements Store.
func (m *Memory) ForgetToken(_ context.Context, site string, userID int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.tokens, tokenKey(site, userID))
	return nil
}
