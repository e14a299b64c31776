package handlers

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestAWriteThatTimedOutIsNotNothingChanged: the same timeout reads "Nothing was changed"
// after a page that read, and "look in Moodle" after a write, with the same status.
func TestAWriteThatTimedOutIsNotNothingChanged(t *testing.T) {
	t.Parallel()
	err := fmt.Errorf("store: saving the outcome: %w", context.DeadlineExceeded)
	read, write := classify(err), classify(wrote(err))
	if read.Status != http.StatusGatewayTimeout || !strings.Contains(read.Next, "Nothing was changed") {
		t.Errorf("read: %d %q; want 504 saying nothing was changed", read.Status, read.Next)
	}
	if write.Status != http.StatusGatewayTimeout || strings.Contains(write.Next, "Nothing was changed") || !strings.Contains(write.Next, "look in Moodle") {
		t.Errorf("write: %d %q; want 504 asking to look in Moodle first", write.Status, write.Next)
	}
}
