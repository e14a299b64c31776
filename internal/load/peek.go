package load

import "github.com/knowthystudents/kts/internal/moodle"

// Cached returns w's cached snapshot of a course without loading anything, and false when the
// course is not in the cache: what a page that sums up every course shows without asking
// Moodle.
func (l *Loader) Cached(w moodle.Credentials, courseID int64) (Latest, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	snap := l.cachedCourse(l.courseKey(w, courseID))
	if snap == nil || !snap.Complete {
		return Latest{}, false
	}
	return Latest{Snapshot: snap}, true
}
