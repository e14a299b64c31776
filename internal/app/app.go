// Package app assembles the dashboard: the Moodle client, the session manager, the LTI tool,
// the cache and the loader over it, the cohort rules and the handlers, from one Config and the
// few things a process owns (Deps: the store, the log, the clock, the session store).
//
// cmd/server's run builds the dashboard here, and so does every test harness (the handlers'
// tests, the e2e suite): a test exercises the wiring that ships, with only the settings it
// names changed from DefaultConfig, which holds the server's flag defaults.
package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/knowthystudents/kts/internal/attention"
	"github.com/knowthystudents/kts/internal/auth"
	"github.com/knowthystudents/kts/internal/cache"
	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/handlers"
	"github.com/knowthystudents/kts/internal/load"
	"github.com/knowthystudents/kts/internal/lti"
	"github.com/knowthystudents/kts/internal/moodle"
	"github.com/knowthystudents/kts/internal/store"
	"github.com/knowthystudents/kts/static"
	"github.com/knowthystudents/kts/views"
)

// Config is every setting of the dashboard itself, in the server's terms: cmd/server fills
// it from its flags (the flag each field comes from is named beside it).
type Config struct {
	MoodleURL string // -moodle-url, or the built-in demo Moodle's address
	// Demo says MoodleURL is the built-in demo Moodle (no -moodle-url): the pages say so.
	Demo          bool
	MoodleService string        // -moodle-service
	MoodleTimeout time.Duration // -moodle-timeout: one Moodle request
	MoodleMaxBody int64         // -moodle-max-body
	// Breaker pauses requests to a Moodle that keeps failing: Threshold failures in a row
	// (-moodle-breaker-failures; 0 there is Disabled) pause them for Cooldown
	// (-moodle-breaker-cooldown).
	Breaker moodle.BreakerOptions

	// CacheTTL (-cache-ttl) is how long a page shows Moodle data without asking Moodle again:
	// past it, a course is shown as it was while an incremental refresh runs behind it, and
	// the course list is read again.
	CacheTTL time.Duration
	// CacheMaxBytes (-cache-max-bytes) bounds the Moodle data kept in memory; 0 keeps none
	// (every page asks Moodle and waits for the whole course).
	CacheMaxBytes   int64
	CacheMaxEntries int           // -cache-max-entries
	FullRefresh     time.Duration // -full-refresh-after
	SinceMargin     time.Duration // -refresh-margin
	LoadTimeout     time.Duration // -load-timeout
	BatchSize       int           // -batch-size
	BatchParallel   int           // -batch-concurrency
	// Abandon is how long a course load nobody waits for goes on (0: the loader's default).
	Abandon time.Duration

	PageSize        int           // -page-size
	SessionIdle     time.Duration // -session-idle
	SessionLifetime time.Duration // -session-lifetime
	SecureCookie    bool          // -secure-cookie
	TrustedProxies  []netip.Prefix
	Location        *time.Location // -timezone (nil: the server's local zone)

	InactiveDays  int     // -inactive-days
	FollowUpDays  int     // -followup-days
	BehindRatio   float64 // -behind-ratio
	MaxRecipients int     // -max-recipients
	ConfirmAbove  int     // -confirm-above

	// PublicURL (-public-url) makes the dashboard an LTI tool of MoodleURL (empty: LTI off;
	// cmd/server leaves it empty in demo mode). SecretKey (-secret-key) seals the tokens it
	// keeps; LTIClientID and LTIDeployments (-lti-client-id, -lti-deployment-id) are a
	// registration made by hand.
	PublicURL      string
	SecretKey      string
	LTIClientID    string
	LTIDeployments string

	// PageDeadline bounds a page's wait for Moodle (0: 10 s under WriteTimeout, so that a long
	// wait ends in a page, not a cut connection). FirstScreen is how long a page without
	// JavaScript waits for the whole course before it shows what is in (0: a second).
	PageDeadline time.Duration
	FirstScreen  time.Duration
}

// DefaultConfig is the server's defaults: every flag's default value comes from here.
func DefaultConfig() Config {
	return Config{
		MoodleService: "moodle_mobile_app", MoodleTimeout: 30 * time.Second, MoodleMaxBody: moodle.DefaultMaxBodyBytes,
		Breaker:  moodle.BreakerOptions{Threshold: 5, Cooldown: 15 * time.Second},
		CacheTTL: 5 * time.Minute, CacheMaxBytes: 384 << 20,
		FullRefresh: time.Hour, SinceMargin: 2 * time.Minute, LoadTimeout: 10 * time.Minute,
		BatchSize: 25, BatchParallel: 4,
		PageSize: 100, SessionIdle: 2 * time.Hour, SessionLifetime: 12 * time.Hour,
		InactiveDays: 7, FollowUpDays: 7, BehindRatio: 0.5, MaxRecipients: 100, ConfirmAbove: 20,
	}
}

// WriteTimeout is the HTTP server's write timeout: room for a page that waits on two Moodle
// requests in a row, and for rendering it.
func (c Config) WriteTimeout() time.Duration { return c.MoodleTimeout*2 + 30*time.Second }

// Deps are what the process owns and hands to the dashboard.
type Deps struct {
	Log *slog.Logger
	// Store is the dashboard's durable state (required).
	Store *store.Store
	// Now is the dashboard's clock (nil: time.Now): the pages', the loader's (Moodle data ages
	// by it) and the LTI tool's.
	Now func() time.Time
	// SessionStore keeps sessions (nil: in-process); e.g. Redis for several replicas.
	SessionStore scs.Store
	// MoodleHTTP carries the requests to Moodle (nil: the Moodle client's own, with
	// Config.MoodleTimeout).
	MoodleHTTP *http.Client
	// LTIStore keeps LTI registrations, logins and sealed tokens (nil: the Store's).
	LTIStore lti.Store
	// DemoAccounts are the demo Moodle's made-up people the sign-in page lists (Config.Demo).
	DemoAccounts []views.DemoAccount
	// Throttle limits sign-in attempts (nil: the handlers' default); Memory is the teachers'
	// working memory (nil: the Store's).
	Throttle *auth.Throttle
	Memory   attention.Memory
}

// App is the assembled dashboard.
type App struct {
	Handler  http.Handler
	Moodle   *moodle.Client
	Sessions *scs.SessionManager
	Cache    *cache.Cache
	Loader   *load.Loader
	// LTI and LTITokens are nil unless Config.PublicURL is set.
	LTI       *lti.Tool
	LTITokens *lti.Tokens
}

// New assembles the dashboard. ctx bounds what New itself does (keeping a hand-made LTI
// registration in the store).
func New(ctx context.Context, cfg Config, d Deps) (*App, error) {
	if d.Store == nil {
		return nil, errors.New("app: Deps.Store is nil")
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	mc, err := moodle.New(cfg.MoodleURL, moodle.Options{HTTPClient: d.MoodleHTTP, Timeout: cfg.MoodleTimeout,
		MaxBodyBytes: cfg.MoodleMaxBody, RetryReads: true, Breaker: cfg.Breaker})
	if err != nil {
		return nil, err
	}
	a := &App{Moodle: mc}
	a.Sessions = auth.NewSessionManager(auth.SessionOptions{Idle: cfg.SessionIdle, Lifetime: cfg.SessionLifetime,
		Secure: cfg.SecureCookie, Store: d.SessionStore, OnError: sessionError(d.Log)})
	if d.LTIStore == nil {
		d.LTIStore = d.Store.LTI()
	}
	if a.LTI, a.LTITokens, err = newLTI(ctx, cfg, d, mc.BaseURL()); err != nil {
		return nil, err
	}
	if a.LTI != nil {
		frameSessions(a.Sessions, cfg.SecureCookie)
	}
	a.Cache = cache.New(cache.Options{TTL: cfg.CacheTTL, MaxBytes: cfg.CacheMaxBytes})
	a.Loader = load.New(mc, a.Cache, load.Config{BatchSize: cfg.BatchSize, Concurrency: cfg.BatchParallel,
		RefreshAfter: cfg.CacheTTL, FullRefreshAfter: cfg.FullRefresh, SinceMargin: cfg.SinceMargin,
		LoadTimeout: cfg.LoadTimeout, Abandon: cfg.Abandon}, d.Log, d.Now)
	rules := cohort.DefaultConfig()
	rules.InactiveAfter = time.Duration(cfg.InactiveDays) * 24 * time.Hour
	rules.BehindRatio = cfg.BehindRatio
	a.Handler = handlers.New(handlers.Deps{
		Log: d.Log, Sessions: a.Sessions, Moodle: mc, Loader: a.Loader, Assets: static.New(), Store: d.Store,
		Memory: d.Memory, Throttle: d.Throttle, Now: d.Now, Cohort: rules,
		FollowUpAfter: time.Duration(cfg.FollowUpDays) * 24 * time.Hour,
		Service:       cfg.MoodleService, Demo: cfg.Demo, DemoAccounts: d.DemoAccounts,
		MaxRecipients: cfg.MaxRecipients, ConfirmAbove: cfg.ConfirmAbove, TrustedProxies: cfg.TrustedProxies,
		Location: cfg.Location, PageSize: cfg.PageSize,
		PageDeadline: cmp.Or(cfg.PageDeadline, cfg.WriteTimeout()-10*time.Second), FirstScreen: cfg.FirstScreen,
		LTI: a.LTI, LTITokens: a.LTITokens, SecureCookies: cfg.SecureCookie,
	})
	return a, nil
}

// sessionError answers when the session store fails (Redis down): a plain page that says
// what is wrong, logged; the request is not served with a missing session.
func sessionError(log *slog.Logger) func(http.ResponseWriter, *http.Request, error) {
	return func(w http.ResponseWriter, r *http.Request, err error) {
		log.Error("session store failed", "path", r.URL.Path, "err", err)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Retry-After", "10")
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("The dashboard cannot reach its session store right now, so it cannot tell who you are. Please try again in a minute; if it keeps happening, tell your IT team."))
	}
}

// newLTI builds the dashboard as an LTI 1.3 tool of the Moodle site: on when cfg.PublicURL
// is set. A hand registration (LTIClientID) is kept as the platform; a dynamic one is kept by
// /lti/register. d.LTIStore keeps registrations, logins, the tool's key and the sealed tokens.
func newLTI(ctx context.Context, cfg Config, d Deps, site string) (*lti.Tool, *lti.Tokens, error) {
	sealer, err := lti.ParseKeys(cfg.SecretKey)
	if err != nil {
		return nil, nil, err
	}
	if cfg.PublicURL == "" {
		return nil, nil, nil
	}
	tool, err := lti.New(lti.Options{Site: cfg.MoodleURL, ToolURL: cfg.PublicURL, Store: d.LTIStore, Now: d.Now})
	if err != nil {
		return nil, nil, err
	}
	if cfg.LTIClientID != "" {
		var deps []string
		for _, id := range strings.Split(cfg.LTIDeployments, ",") {
			if id = strings.TrimSpace(id); id != "" {
				deps = append(deps, id)
			}
		}
		if len(deps) == 0 {
			return nil, nil, fmt.Errorf("-lti-client-id needs -lti-deployment-id: the deployment id Moodle shows for the tool")
		}
		if err := d.LTIStore.SavePlatform(ctx, tool.ManualPlatform(cfg.LTIClientID, deps)); err != nil {
			return nil, nil, fmt.Errorf("lti: keeping the hand registration: %w", err)
		}
	}
	tokens := &lti.Tokens{Store: d.LTIStore, Sealer: sealer, Site: site}
	d.Log.Info("LTI 1.3 tool", "moodle", tool.Site(), "login", tool.ToolURL("/lti/login"), "keeps_tokens", tokens.Keeps())
	return tool, tokens, nil
}

// frameSessions lets the session cookie reach the dashboard inside Moodle's frame: over
// HTTPS, SameSite=None with Partitioned (a frame's cookie is a third-party cookie); the
// cross-origin protection of the forms does what SameSite=Lax did against cross-site posts.
// Over plain HTTP the cookie stays Lax: browsers drop SameSite=None without Secure.
func frameSessions(sm *scs.SessionManager, secure bool) {
	if secure {
		sm.Cookie.SameSite = http.SameSiteNoneMode
		sm.Cookie.Partitioned = true
	}
}
