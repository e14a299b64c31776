// Package cache keeps Moodle data per user, in memory, bounded, with one typed key.
//
// Every entry is keyed by the Moodle site, the Moodle user id and a fingerprint of the user's
// token, so no entry built for one user can ever be read for another: the only way to a value
// is a Key, and a Key can only be built from an Owner. Caching can be switched off (TTL 0)
// without callers branching.
package cache

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	gocache "github.com/patrickmn/go-cache"
)

// Owner identifies whose data an entry is: the site, the Moodle user and their token.
type Owner struct {
	Site   string
	UserID int64
	// TokenFP is a fingerprint of the token (never the token): a new token (after Moodle
	// revoked the old one, or another service) gets fresh data.
	TokenFP string
}

// Fingerprint returns a short, one-way fingerprint of a token for cache keys and logs.
func Fingerprint(token string) string {
	sum := sha256.Sum256([]byte("kts-token:" + token))
	return hex.EncodeToString(sum[:8])
}

// Key names one cached value of one owner.
type Key struct {
	Owner Owner
	Kind  string // what the value is, e.g. "cohort" or "courses"
	Args  string // the arguments that select it, e.g. a course id
}

// CourseKey is the key of a per-course value.
func CourseKey(o Owner, kind string, courseID int64, extra ...string) Key {
	args := strconv.FormatInt(courseID, 10)
	if len(extra) > 0 {
		args += "|" + strings.Join(extra, "|")
	}
	return Key{Owner: o, Kind: kind, Args: args}
}

func (o Owner) prefix() string {
	return o.Site + "\x00" + strconv.FormatInt(o.UserID, 10) + "\x00" + o.TokenFP + "\x00"
}

func (k Key) String() string { return k.Owner.prefix() + k.Kind + "\x00" + k.Args }

// Options bound the cache.
type Options struct {
	TTL        time.Duration // how long an entry lives; 0 switches caching off
	MaxEntries int           // at most this many entries; the oldest are evicted first
}

// Cache is a bounded per-user cache over go-cache.
type Cache struct {
	c   *gocache.Cache
	ttl time.Duration
	max int

	mu    sync.Mutex
	added map[string]time.Time // insertion times, for evicting the oldest when full
}

// New makes a cache. Expired entries are swept every TTL.
func New(o Options) *Cache {
	sweep := o.TTL
	if sweep <= 0 {
		sweep = time.Minute
	}
	if o.MaxEntries <= 0 {
		o.MaxEntries = 10000
	}
	c := &Cache{c: gocache.New(o.TTL, sweep), ttl: o.TTL, max: o.MaxEntries, added: map[string]time.Time{}}
	return c
}

// Get returns the value under k, if present and fresh.
func (c *Cache) Get(k Key) (any, bool) {
	if c == nil || c.ttl <= 0 {
		return nil, false
	}
	return c.c.Get(k.String())
}

// Set stores v under k for the cache's TTL, evicting the oldest entries when full.
func (c *Cache) Set(k Key, v any) {
	c.SetFor(k, v, c.ttl)
}

// SetFor stores v under k for ttl (short negative caching uses a small ttl).
func (c *Cache) SetFor(k Key, v any, ttl time.Duration) {
	if c == nil || c.ttl <= 0 || ttl <= 0 {
		return
	}
	s := k.String()
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, exists := c.added[s]; !exists && len(c.added) >= c.max {
		c.makeRoomLocked()
	}
	c.added[s] = time.Now()
	c.c.Set(s, v, ttl)
}

// Delete removes one entry.
func (c *Cache) Delete(k Key) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.added, k.String())
	c.c.Delete(k.String())
}

// DropOwner removes every entry of one owner (on sign-out or a rejected token).
func (c *Cache) DropOwner(o Owner) {
	if c == nil {
		return
	}
	p := o.prefix()
	c.mu.Lock()
	defer c.mu.Unlock()
	for k := range c.c.Items() {
		if strings.HasPrefix(k, p) {
			delete(c.added, k)
			c.c.Delete(k)
		}
	}
}

// Len is the number of entries, for metrics and tests.
func (c *Cache) Len() int {
	if c == nil {
		return 0
	}
	return c.c.ItemCount()
}

// Keys lists the raw keys, for tests that prove no entry crosses users.
func (c *Cache) Keys() []string {
	var out []string
	for k := range c.c.Items() {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// makeRoomLocked forgets expired entries and, if the cache is still full, evicts the oldest
// ones. It is O(entries), paid only when the cache is full. Called with mu held.
func (c *Cache) makeRoomLocked() {
	c.c.DeleteExpired()
	for k := range c.added {
		if _, ok := c.c.Get(k); !ok {
			delete(c.added, k)
		}
	}
	excess := len(c.added) - c.max + 1
	if excess <= 0 {
		return
	}
	type kt struct {
		k string
		t time.Time
	}
	all := make([]kt, 0, len(c.added))
	for k, t := range c.added {
		all = append(all, kt{k, t})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].t.Before(all[j].t) })
	for _, e := range all[:excess] {
		delete(c.added, e.k)
		c.c.Delete(e.k)
	}
}
