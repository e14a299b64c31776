package demo

import (
	"html"
	"strings"
	"time"
)

// SentMessage is a message a client sent through
// core_message_send_instant_messages and the site stored, for tests to
// check what the dashboard sent and to whom.
type SentMessage struct {
	ID             int
	ConversationID int
	From, To       int
	// Text is the message as stored and shown in the conversation: the
	// HTML Moodle keeps (plain text comes back as <p>…</p>).
	Text        string
	ClientMsgID string
	Time        time.Time
}

// messaging is the site's message store: one individual conversation per
// pair of users, messages in the order sent.
type messaging struct {
	convs            []*conversation
	byPair           map[[2]int]*conversation
	nextConv         int
	nextMsg          int
	blockNonContacts map[int]bool
	sent             []SentMessage
}

type conversation struct {
	id      int
	members [2]int
	msgs    []message
}

type message struct {
	id, from int
	text     string
	time     int64
}

func (m *messaging) init() {
	m.byPair = map[[2]int]*conversation{}
	m.blockNonContacts = map[int]bool{}
	m.nextConv, m.nextMsg = 1, 1
}

func pairKey(a, b int) [2]int {
	if a > b {
		a, b = b, a
	}
	return [2]int{a, b}
}

func (m *messaging) conversation(a, b int, create bool) *conversation {
	k := pairKey(a, b)
	cv := m.byPair[k]
	if cv == nil && create {
		cv = &conversation{id: m.nextConv, members: k}
		m.nextConv++
		m.byPair[k] = cv
		m.convs = append(m.convs, cv)
	}
	return cv
}

// SentMessages returns every message stored so far, oldest first.
func (s *Site) SentMessages() []SentMessage {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return append([]SentMessage(nil), s.msgs.sent...)
}

// SetBlockNonContacts sets a user's "only my contacts may message me"
// privacy preference (message_blocknoncontacts), so a test can reproduce
// the refusal a student gets. Teachers can message anyone regardless.
func (s *Site) SetBlockNonContacts(userID int, block bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msgs.blockNonContacts[userID] = block
}

// messageHTML is what Moodle stores for a message text: HTML, with plain
// text wrapped in a paragraph; an empty text stays empty.
func messageHTML(text string, format int64) string {
	if text == "" {
		return ""
	}
	if format == 2 { // FORMAT_PLAIN
		return "<p>" + strings.ReplaceAll(html.EscapeString(text), "\n", "<br />") + "</p>"
	}
	if strings.HasPrefix(strings.TrimSpace(text), "<") {
		return text
	}
	return "<p>" + text + "</p>"
}
