//go:build race

package handlers_test

// raceEnabled: the race detector slows everything down 10–50×, so timing bounds are loosened
// under -race.
const raceEnabled = true
