// Package moodlefixtures holds the replies a real Moodle 4.5 gave to the web-service calls the
// dashboard makes, recorded once and embedded, so that the tests of a plain clone of the
// repository run against Moodle's real shapes. See README.md for what was recorded and how
// the seeded site looks.
//
// Only tests and test helpers (moodletest, intaketest) import it: the server binary does not
// carry the recordings.
package moodlefixtures

import (
	"embed"
	"io/fs"
)

//go:embed moodle-4.5/*.json
var files embed.FS

// Moodle45 returns the recordings of Moodle 4.5: manifest.json (one entry per recorded
// exchange: the request's parameters and the file holding the reply), seed-data.json (what the
// seed script created) and one file per reply body.
func Moodle45() fs.FS {
	sub, err := fs.Sub(files, "moodle-4.5")
	if err != nil {
		panic(err) // the directory is embedded above; it cannot be missing
	}
	return sub
}
