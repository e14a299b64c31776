package moodle

// byClientID puts Moodle's per-item results of a write (messages, notes) in the order of the
// items sent. Moodle echoes the client id of every item that carried one, so results are
// matched by it and not by position: a reply that leaves an item out, answers in another
// order, or repeats an item cannot credit one student with another's outcome. Items sent
// without a client id are matched by position among the unmatched results, the only thing
// Moodle gives for them. ok[i] is false where Moodle gave no result for item i.
func byClientID[R any](ids []string, results []R, idOf func(R) string) (out []R, ok []bool) {
	out = make([]R, len(ids))
	ok = make([]bool, len(ids))
	where := make(map[string]int, len(ids))
	for i, id := range ids {
		if id != "" {
			where[id] = i
		}
	}
	var rest []R
	for _, r := range results {
		i, found := where[idOf(r)]
		if idOf(r) == "" || !found || ok[i] {
			rest = append(rest, r)
			continue
		}
		out[i], ok[i] = r, true
	}
	for i, id := range ids {
		if id == "" && len(rest) > 0 {
			out[i], ok[i], rest = rest[0], true, rest[1:]
		}
	}
	return out, ok
}
