// Package lti makes the dashboard an LTI 1.3 tool of one Moodle site: LTI Advantage dynamic
// registration, the OIDC third-party initiated login and the launch, verified with the
// platform's keys through github.com/lestrrat-go/jwx (never by hand), and the tool's own key
// set. It speaks only to the configured Moodle site (Site): every URL it is given is checked
// against it before it is fetched, and its HTTP client refuses any other host.
//
// LTI tells who launched and from which course, not a web-service token: what the dashboard
// does with a launch (the teacher's token, the session) is the handlers' business. What the
// package persists sits behind Store, so any storage can keep it; NewMemory is one for tests.
package lti

import (
	"context"
	"errors"
	"time"
)

// Claim names of LTI 1.3 (the IMS Core specification).
const (
	claimPrefix       = "https://purl.imsglobal.org/spec/lti/claim/"
	ClaimMessageType  = claimPrefix + "message_type"
	ClaimVersion      = claimPrefix + "version"
	ClaimDeploymentID = claimPrefix + "deployment_id"
	ClaimTargetLink   = claimPrefix + "target_link_uri"
	ClaimRoles        = claimPrefix + "roles"
	ClaimContext      = claimPrefix + "context"
	ClaimResourceLink = claimPrefix + "resource_link"
	ClaimPresentation = claimPrefix + "launch_presentation"
	ClaimExt          = claimPrefix + "ext"
	// ToolConfiguration is the dynamic registration's block about the tool.
	ToolConfiguration = "https://purl.imsglobal.org/spec/lti-tool-configuration"
)

// Platform is an LTI platform (the Moodle site) as the tool knows it: registered dynamically
// or configured by hand.
type Platform struct {
	Issuer        string   // the platform's iss, Moodle's wwwroot
	ClientID      string   // the tool's client id on the platform
	DeploymentIDs []string // the deployments launches may come from
	AuthURL       string   // OIDC authorization endpoint
	TokenURL      string   // OAuth 2 token endpoint (kept; the dashboard calls no LTI service)
	JWKSURL       string   // the platform's public keys
}

// HasDeployment reports whether id is one of the platform's known deployments.
func (p Platform) HasDeployment(id string) bool {
	for _, d := range p.DeploymentIDs {
		if d == id {
			return true
		}
	}
	return false
}

// Login is what the tool remembers between the login initiation and the launch: it is
// found by its State (also in a cookie of the browser that started it) and used once.
type Login struct {
	State    string
	Nonce    string
	Issuer   string
	ClientID string
	// CMID is the course module Moodle launches, from its lti_message_hint (0 when absent):
	// what a "open in a new window" link relaunches.
	CMID    int64
	Expires time.Time
}

// Store keeps what LTI needs across requests, restarts and replicas. Implementations are
// safe for concurrent use.
type Store interface {
	// Platforms lists the platforms registered under an issuer.
	Platforms(ctx context.Context, issuer string) ([]Platform, error)
	// SavePlatform adds a platform or updates the one with the same issuer and client id; its
	// deployment ids are added to those already known.
	SavePlatform(ctx context.Context, p Platform) error

	// PutLogin keeps a login until it is taken or expires; now lets it drop expired ones.
	PutLogin(ctx context.Context, l Login, now time.Time) error
	// TakeLogin returns and deletes the login with that state: ErrNotFound if none.
	TakeLogin(ctx context.Context, state string) (Login, error)
	// UseNonce records a launch's nonce until expires: ErrReplayed when it was seen before.
	UseNonce(ctx context.Context, issuer, nonce string, expires, now time.Time) error

	// ToolKey returns the tool's private signing key (a JWK in JSON), calling create and
	// keeping its result the first time; replicas racing each get the one kept.
	ToolKey(ctx context.Context, create func() ([]byte, error)) ([]byte, error)

	// SaveToken keeps a teacher's sealed (encrypted) Moodle token, replacing any earlier one.
	SaveToken(ctx context.Context, site string, userID int64, sealed []byte) error
	// Token returns the sealed token: ErrNotFound if none.
	Token(ctx context.Context, site string, userID int64) ([]byte, error)
	// ForgetToken deletes it (no error when there is none).
	ForgetToken(ctx context.Context, site string, userID int64) error
}

// Errors a Store returns.
var (
	ErrNotFound = errors.New("lti: not found")
	ErrReplayed = errors.New("lti: nonce already used")
)
