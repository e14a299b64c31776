package lti

import (
	"context"
	"errors"
	"strconv"
)

// Tokens keeps teachers' Moodle tokens between launches, sealed (encrypted) in the store, so
// a teacher types their password once. Without a Sealer (no -secret-key) nothing is kept: a
// token stays in the session only.
type Tokens struct {
	Store  Store
	Sealer *Sealer // nil: tokens are not kept
	Site   string  // the Moodle site, the first part of every row's key
}

// Keeps reports whether tokens are kept at rest.
func (t *Tokens) Keeps() bool { return t != nil && t.Sealer != nil }

func (t *Tokens) owner(userID int64) string { return t.Site + "|" + strconv.FormatInt(userID, 10) }

// Keep seals and stores userID's token; without a Sealer it does nothing.
func (t *Tokens) Keep(ctx context.Context, userID int64, token string) error {
	if !t.Keeps() {
		return nil
	}
	sealed, err := t.Sealer.Seal(token, t.owner(userID))
	if err != nil {
		return err
	}
	return t.Store.SaveToken(ctx, t.Site, userID, sealed)
}

// Get returns userID's kept token; ok is false when none is kept or no key opens it (a
// token sealed with a key since removed is forgotten).
func (t *Tokens) Get(ctx context.Context, userID int64) (token string, ok bool, err error) {
	if !t.Keeps() {
		return "", false, nil
	}
	sealed, err := t.Store.Token(ctx, t.Site, userID)
	if errors.Is(err, ErrNotFound) {
		return "", false, nil
	} else if err != nil {
		return "", false, err
	}
	token, err = t.Sealer.Open(sealed, t.owner(userID))
	if err != nil {
		return "", false, t.Forget(ctx, userID)
	}
	return token, true, nil
}

// Forget deletes userID's kept token.
func (t *Tokens) Forget(ctx context.Context, userID int64) error {
	if t == nil || t.Store == nil {
		return nil
	}
	return t.Store.ForgetToken(ctx, t.Site, userID)
}
