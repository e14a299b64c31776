package load

// CoursesInFlight is how many course loads and refreshes are running. When it is 0 and no
// page is waiting, nothing the loader started can send Moodle another request: a test waits
// for that (an event) instead of sleeping past Config.Abandon.
func (l *Loader) CoursesInFlight() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.courses)
}
