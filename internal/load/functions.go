package load

import "github.com/knowthystudents/kts/internal/moodle"

// Functions are the Moodle web-service functions the dashboard calls, for the Moodle
// administrator who builds a custom service for it (printed by the server's -list-functions).
// The list lives with the calls, in package moodle; a test checks that every function the
// demo Moodle was asked for during the handler tests is listed.
func Functions() []string { return moodle.Functions() }
