package load

// CoursesInFlight is how many course loads and refreshes are running, so that a test can
// wait for one to end (an event) instead of sleeping.
func CoursesInFlight(l *Loader) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.courses)
}
