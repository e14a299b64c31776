// Package handlers is the dashboard's HTTP layer: it parses input, asks the loader and the
// cohort domain, and picks a view. Every route is listed in routes.go.
package handlers

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/knowthystudents/kts/internal/attention"
	"github.com/knowthystudents/kts/internal/auth"
	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/contact"
	"github.com/knowthystudents/kts/internal/load"
	"github.com/knowthystudents/kts/internal/lti"
	"github.com/knowthystudents/kts/internal/moodle"
	"github.com/knowthystudents/kts/internal/store"
	"github.com/knowthystudents/kts/static"
	"github.com/knowthystudents/kts/views"
)

// Deps are what the handlers need, passed in (no globals).
type Deps struct {
	Log      *slog.Logger
	Sessions *scs.SessionManager
	Moodle   *moodle.Client
	Loader   *load.Loader
	Assets   *static.Assets
	Throttle *auth.Throttle
	// Contact writes messages and notes to Moodle exactly once (default: one over Store).
	Contact *contact.Service
	// Store is the dashboard's durable state (required): what must survive a restart and be
	// shared by replicas.
	Store  *store.Store
	Now    func() time.Time
	Cohort cohort.Config
	// Memory is each teacher's working memory of their courses (states, visits, rules,
	// contacts). Nil: the Store's; without a Store, an in-memory one lost at a restart.
	Memory attention.Memory
	// FollowUpAfter is how many days after a message with no action a follow-up is due.
	FollowUpAfter time.Duration
	// Service is the Moodle web service a password sign-in asks a token for.
	Service string
	// Demo says the server runs against the built-in demo Moodle: the pages say so, and the
	// sign-in page names it instead of its address.
	Demo bool
	// DemoAccounts are the demo Moodle's made-up people the sign-in page lists (demo mode).
	DemoAccounts []views.DemoAccount
	// Location is the time zone dates are shown in (the school's).
	Location *time.Location
	// TrustedProxies are the reverse proxies whose X-Forwarded-For is believed.
	TrustedProxies []netip.Prefix
	// MaxRecipients caps one message send; ConfirmAbove asks for a confirmation above it.
	MaxRecipients, ConfirmAbove int
	// PageSize is how many students one page of the cohort shows (0: all of them).
	PageSize int
	// PageDeadline bounds how long a page or download waits for Moodle; keep it under the
	// server's write timeout so that a long wait ends in a page, not a cut connection
	// (0: a minute).
	PageDeadline time.Duration
	// FirstScreen is how long a page without JavaScript waits for the complete course before it
	// shows what is in and reloads itself (0: a second).
	FirstScreen time.Duration
	// LTI is the dashboard as an LTI 1.3 tool of the Moodle site (nil: the /lti/ routes
	// answer 404); LTITokens keeps teachers' tokens between launches.
	LTI       *lti.Tool
	LTITokens *lti.Tokens
	// SecureCookies: users reach the dashboard over HTTPS, so cookies a Moodle frame needs
	// can be SameSite=None; Secure; Partitioned.
	SecureCookies bool
}

// server carries the dependencies to the handler methods.
type server struct {
	Deps
	sess auth.Sessions
	bufs sync.Pool // *bytes.Buffer pages are rendered into
}

// buffer returns an empty buffer to render a page into: a cohort page is 200 kB, and growing
// a new buffer to that size for every request was a quarter of what a warm page allocated.
func (s *server) buffer() *bytes.Buffer {
	if b, ok := s.bufs.Get().(*bytes.Buffer); ok {
		return b
	}
	return bytes.NewBuffer(make([]byte, 0, 256<<10))
}

// recycle gives a buffer back, unless an unusually big page left it too large to keep.
func (s *server) recycle(b *bytes.Buffer) {
	if b.Cap() > 4<<20 {
		return
	}
	b.Reset()
	s.bufs.Put(b)
}

// New returns the dashboard's router with every middleware in place.
func New(d Deps) http.Handler {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Location == nil {
		d.Location = time.Local
	}
	if d.Throttle == nil {
		d.Throttle = auth.NewThrottle(5, 30*time.Second)
	}
	if d.Store == nil {
		panic("handlers.New: Deps.Store is nil (tests: storetest.Open(t, \"\", t.TempDir()))")
	}
	if d.Contact == nil {
		o := contact.Options{Now: d.Now, Log: d.Log}
		if d.Loader != nil {
			o.Cache = d.Loader // a write drops the cached pages of the students it touched
		}
		d.Contact = contact.New(d.Moodle, d.Store, o)
	}
	if d.Memory == nil && d.Store != nil {
		d.Memory = d.Store.Memory()
	}
	if d.Memory == nil { // tests without a store: not durable
		d.Memory = attention.NewMem()
	}
	if d.FollowUpAfter <= 0 {
		d.FollowUpAfter = 7 * 24 * time.Hour
	}
	if d.MaxRecipients <= 0 {
		d.MaxRecipients = 100
	}
	if d.ConfirmAbove <= 0 {
		d.ConfirmAbove = 20
	}
	s := &server{Deps: d, sess: auth.Sessions{SM: d.Sessions, Site: d.Moodle.BaseURL()}}
	return s.routes()
}
