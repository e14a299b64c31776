package auth

import (
	"net/netip"
	"strings"
	"sync"
	"time"
)

// Throttle slows down password guessing. Every sign-in attempt that will reach Moodle first
// reserves a token from several buckets; an empty bucket refuses the attempt until it refills.
// A successful sign-in (or an attempt Moodle could not judge) gives its tokens back, so only
// wrong passwords and tokens are counted. Because the token is taken before Moodle is asked,
// parallel attempts cannot all pass while the first ones are still waiting for their answer.
//
// The buckets (see docs/RELIABILITY.md for why these):
//   - pair: one client network and one account (the tightest: Limits.Pair);
//   - client: one client network, all accounts (password spraying, Limits.Client);
//   - account: one account from anywhere (Limits.Account, softer, since anyone can spend it);
//   - device: a browser that signed in to this account before (Limits.Device). An attempt
//     from a trusted device is counted here only, so that someone spending the account's or the
//     school network's buckets cannot keep the teacher out of their usual browser.
//
// A client network is an IPv4 address or an IPv6 /64 (one subscriber's allocation); an account
// is CanonicalUsername of what was typed. Buckets that refilled are forgotten, and their total
// is bounded by MaxEntries: when full, attempts that would need a new bucket are refused.
type Throttle struct {
	opts ThrottleOptions

	mu      sync.Mutex
	buckets map[string]*bucket
	devices map[string]device
	sweep   time.Time
}

// Limit is a token bucket: Burst attempts, then one more per Every.
type Limit struct {
	Burst int
	Every time.Duration
}

// ThrottleOptions size a Throttle.
type ThrottleOptions struct {
	Pair, Client, Account, Device Limit
	// MaxEntries bounds the buckets kept (each well under 300 bytes).
	MaxEntries int
	// MaxDevices bounds the trusted devices kept; DeviceTTL is how long one stays trusted.
	MaxDevices int
	DeviceTTL  time.Duration
}

type bucket struct {
	lim    *Limit
	tokens float64
	at     time.Time
}

type device struct {
	account string
	until   time.Time
}

// NewThrottle allows burst failures per client network and account, then one more per every;
// the other buckets are sized from it (see ThrottleOptions for finer control).
func NewThrottle(burst int, every time.Duration) *Throttle {
	return NewThrottleWith(ThrottleOptions{
		Pair:    Limit{burst, every},
		Client:  Limit{4 * burst, every / 4},
		Account: Limit{4 * burst, every},
		Device:  Limit{burst, every},
	})
}

// NewThrottleWith returns a throttle with these limits; zero bounds pick defaults.
func NewThrottleWith(o ThrottleOptions) *Throttle {
	if o.MaxEntries <= 0 {
		o.MaxEntries = 100_000
	}
	if o.MaxDevices <= 0 {
		o.MaxDevices = 50_000
	}
	if o.DeviceTTL <= 0 {
		o.DeviceTTL = 90 * 24 * time.Hour
	}
	return &Throttle{opts: o, buckets: map[string]*bucket{}, devices: map[string]device{}}
}

// Attempt is who is trying to sign in. Username is empty for a pasted token (only the client
// is counted then); Device is the browser's device cookie, if any.
type Attempt struct {
	Client, Username, Device string
}

// Reservation is the tokens one attempt took. Refund gives them back.
type Reservation struct {
	t    *Throttle
	keys []string
}

// Reserve takes one token from each of the attempt's buckets, or none and reports how long to
// wait. Buckets are only created for an attempt that is let through.
func (t *Throttle) Reserve(a Attempt, now time.Time) (*Reservation, time.Duration, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.maybeSweep(now)
	keys, lims := t.keys(a, now)
	var wait time.Duration
	missing := 0
	for i, k := range keys {
		b, ok := t.buckets[k]
		if !ok {
			missing++
			continue
		}
		if lvl := b.level(now); lvl < 1 {
			wait = max(wait, time.Duration((1-lvl)*float64(lims[i].Every)))
		}
	}
	if wait > 0 {
		return nil, wait, false
	}
	if len(t.buckets)+missing > t.opts.MaxEntries {
		t.sweepNow(now)
		if len(t.buckets)+missing > t.opts.MaxEntries {
			return nil, time.Duration(float64(t.opts.Pair.Burst) * float64(t.opts.Pair.Every)), false
		}
	}
	for i, k := range keys {
		b, ok := t.buckets[k]
		if !ok {
			b = &bucket{lim: lims[i], tokens: float64(lims[i].Burst), at: now}
			t.buckets[k] = b
		}
		b.tokens, b.at = b.level(now)-1, now
	}
	return &Reservation{t: t, keys: keys}, 0, true
}

// Refund gives the tokens back: the attempt succeeded, or Moodle could not judge it.
func (r *Reservation) Refund() {
	if r == nil {
		return
	}
	r.t.mu.Lock()
	defer r.t.mu.Unlock()
	for _, k := range r.keys {
		if b, ok := r.t.buckets[k]; ok {
			b.tokens = min(float64(b.lim.Burst), b.tokens+1)
		}
	}
	r.keys = nil
}

// Trust remembers that the browser with this device cookie signed in to username.
func (t *Throttle) Trust(deviceID, username string, now time.Time) {
	if deviceID == "" {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.devices[deviceID]; !ok && len(t.devices) >= t.opts.MaxDevices {
		for id, d := range t.devices {
			if now.After(d.until) || len(t.devices) >= t.opts.MaxDevices {
				delete(t.devices, id)
			}
		}
	}
	t.devices[deviceID] = device{account: accountOf(username), until: now.Add(t.opts.DeviceTTL)}
}

// Entries reports how many buckets the throttle holds, for tests and metrics.
func (t *Throttle) Entries() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.buckets)
}

// keys are the buckets an attempt spends, with their limits.
func (t *Throttle) keys(a Attempt, now time.Time) ([]string, []*Limit) {
	client := ClientNetwork(a.Client)
	if a.Username == "" && a.Device == "" {
		return []string{"c\x00" + client}, []*Limit{&t.opts.Client}
	}
	account := accountOf(a.Username)
	if len(account) > MaxUsername {
		account = account[:MaxUsername] // the handler refuses these; never a key of any size
	}
	if d, ok := t.devices[a.Device]; ok && a.Username != "" && d.account == account && now.Before(d.until) {
		return []string{"d\x00" + a.Device}, []*Limit{&t.opts.Device}
	}
	if a.Username == "" {
		return []string{"c\x00" + client}, []*Limit{&t.opts.Client}
	}
	return []string{"p\x00" + client + "\x00" + account, "c\x00" + client, "a\x00" + account},
		[]*Limit{&t.opts.Pair, &t.opts.Client, &t.opts.Account}
}

// accountOf is the account an attempt is counted against: CanonicalUsername, or, when nothing
// of the name survives Moodle's default filter (an all-Cyrillic name, say), the name trimmed
// and lower-cased. On a default site Moodle signs such names in as "", an account that cannot
// exist, so guesses under them try nothing; on a site with extendedusernamechars they are real
// accounts, which then get a bucket each instead of sharing one that anyone could spend.
func accountOf(username string) string {
	if c := CanonicalUsername(username); c != "" {
		return c
	}
	return "\x00" + strings.ToLower(strings.TrimSpace(username))
}

// ClientNetwork is the unit one client is counted by: an IPv4 address, or the /64 an IPv6
// address is in (a home or a phone gets a whole /64, so per address would not count it once).
// An address with a port counts without it; anything that is not an address counts as one
// shared client.
func ClientNetwork(addr string) string {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		// Some proxies forward "ip:port" or "[ipv6]:port".
		ap, perr := netip.ParseAddrPort(addr)
		if perr != nil {
			return "?"
		}
		ip = ap.Addr()
	}
	ip = ip.WithZone("").Unmap()
	if ip.Is4() {
		return ip.String()
	}
	p, _ := ip.Prefix(64)
	return p.String()
}

// level is the bucket's tokens at now.
func (b *bucket) level(now time.Time) float64 {
	lvl := b.tokens
	if d := now.Sub(b.at); d > 0 && b.lim.Every > 0 {
		lvl += float64(d) / float64(b.lim.Every)
	}
	return min(lvl, float64(b.lim.Burst))
}

func (t *Throttle) maybeSweep(now time.Time) {
	if now.Sub(t.sweep) > time.Minute {
		t.sweepNow(now)
	}
}

// sweepNow forgets the buckets that refilled: a full bucket is the same as none.
func (t *Throttle) sweepNow(now time.Time) {
	for k, b := range t.buckets {
		if b.level(now) >= float64(b.lim.Burst) {
			delete(t.buckets, k)
		}
	}
	t.sweep = now
}
