package demo

import (
	"fmt"
	"html"
	"regexp"
	"strings"
	"time"
)

type wireSentMessage struct {
	Msgid                        int     `json:"msgid"`
	Clientmsgid                  *string `json:"clientmsgid,omitempty"`
	Text                         *string `json:"text,omitempty"`
	Timecreated                  *int64  `json:"timecreated,omitempty"`
	Conversationid               *int    `json:"conversationid,omitempty"`
	Useridfrom                   *int    `json:"useridfrom,omitempty"`
	Errormessage                 *string `json:"errormessage,omitempty"`
	Candeletemessagesforallusers bool    `json:"candeletemessagesforallusers"`
}

// sendInstantMessages answers core_message_send_instant_messages: one item
// per message in request order. Unknown users and privacy refusals are
// failed items (msgid -1 and a sentence). A call where some messages went
// and some failed is answered, as the recorded Moodle did, with the
// exception formatnotsupported for the whole call, although the messages
// that went are stored.
func sendInstantMessages(c *call) (any, error) {
	msgs, err := c.a.objs("messages")
	if err != nil {
		return nil, err
	}
	type req struct {
		to       int64
		text     string
		format   int64
		clientID *string
	}
	var reqs []req
	for _, m := range msgs {
		var r req
		if r.to, err = m.reqInt("touserid"); err != nil {
			return nil, err
		}
		if r.text, err = m.reqStr("text"); err != nil {
			return nil, err
		}
		if r.format, err = m.intOr("textformat", 0); err != nil {
			return nil, err
		}
		if id, ok, err := m.str("clientmsgid"); err != nil {
			return nil, err
		} else if ok {
			r.clientID = ptr(id)
		}
		reqs = append(reqs, r)
	}
	out := []wireSentMessage{}
	ok, failed := 0, 0
	for _, r := range reqs {
		w := wireSentMessage{Clientmsgid: r.clientID}
		to := c.s.users[int(r.to)]
		switch {
		case to == nil:
			w.Msgid, w.Errormessage = -1, ptr(fmt.Sprintf("You cannot send a message to a user ID (%d) that doesn't exist.", r.to))
		case !c.canMessage(to):
			w.Msgid, w.Errormessage = -1, ptr(fmt.Sprintf(
				"You can't message %s due to their message preferences. Try adding them as a contact.", to.fullname()))
		default:
			now := c.s.writeTime()
			text := moodleMessageText(r.text, r.format)
			ms := &c.s.msgs
			cv := ms.conversation(c.u.id, to.id, true)
			msg := message{id: ms.nextMsg, from: c.u.id, text: text, time: now}
			ms.nextMsg++
			cv.msgs = append(cv.msgs, msg)
			sent := SentMessage{ID: msg.id, ConversationID: cv.id, From: c.u.id, To: to.id, Text: text, Time: time.Unix(now, 0)}
			if r.clientID != nil {
				sent.ClientMsgID = *r.clientID
			}
			ms.sent = append(ms.sent, sent)
			w.Msgid, w.Text, w.Timecreated, w.Conversationid, w.Useridfrom = msg.id, ptr(text), ptr(now), ptr(cv.id), ptr(c.u.id)
		}
		if w.Msgid == -1 {
			failed++
		} else {
			ok++
		}
		out = append(out, w)
	}
	if ok > 0 && failed > 0 {
		return nil, errMoodle("formatnotsupported", "webservice/formatnotsupported")
	}
	return out, nil
}

// canMessage: teachers may message anyone (moodle/site:messageanyuser);
// others only people they share a course with who accept non-contacts.
func (c *call) canMessage(to *user) bool {
	if to.id == c.u.id || c.s.teachesAnywhere(c.u.id) {
		return true
	}
	return c.s.sharesCourse(c.u.id, to.id) && !c.s.msgs.blockNonContacts[to.id]
}

type wireMember struct {
	ID                      int    `json:"id"`
	Fullname                string `json:"fullname"`
	Profileurl              string `json:"profileurl"`
	Profileimageurl         string `json:"profileimageurl"`
	Profileimageurlsmall    string `json:"profileimageurlsmall"`
	Isonline                *bool  `json:"isonline"`
	Showonlinestatus        bool   `json:"showonlinestatus"`
	Isblocked               bool   `json:"isblocked"`
	Iscontact               bool   `json:"iscontact"`
	Isdeleted               bool   `json:"isdeleted"`
	Canmessageevenifblocked *bool  `json:"canmessageevenifblocked"`
	Canmessage              *bool  `json:"canmessage"`
	Requirescontact         *bool  `json:"requirescontact"`
	Contactrequests         []any  `json:"contactrequests"`
}

type wireMessage struct {
	ID          int    `json:"id"`
	Useridfrom  int    `json:"useridfrom"`
	Text        string `json:"text"`
	Timecreated int64  `json:"timecreated"`
}

type wireConversation struct {
	ID                           int           `json:"id"`
	Name                         *string       `json:"name"`
	Subname                      *string       `json:"subname"`
	Imageurl                     *string       `json:"imageurl"`
	Type                         int           `json:"type"`
	Membercount                  int           `json:"membercount"`
	Ismuted                      bool          `json:"ismuted"`
	Isfavourite                  bool          `json:"isfavourite"`
	Isread                       bool          `json:"isread"`
	Unreadcount                  int           `json:"unreadcount"`
	Members                      []wireMember  `json:"members"`
	Messages                     []wireMessage `json:"messages"`
	Candeletemessagesforallusers bool          `json:"candeletemessagesforallusers"`
}

// requireSelf is the core_message rule that a user may only read his own
// conversations.
func (c *call) requireSelf(name string, def int64) (int64, error) {
	id, err := c.a.intOr(name, def)
	if err != nil {
		return 0, err
	}
	if id == 0 {
		id = int64(c.u.id)
	}
	if id != int64(c.u.id) {
		return 0, errNotYou()
	}
	return id, nil
}

// conversationBetweenUsers answers core_message_get_conversation_between_users:
// members[] holds the other user only, messages[] newest first by default;
// no conversation yet is the exception errorconversationdoesnotexist.
func conversationBetweenUsers(c *call) (any, error) {
	if _, err := c.a.reqInt("userid"); err != nil {
		return nil, err
	}
	if _, err := c.requireSelf("userid", 0); err != nil {
		return nil, err
	}
	other, err := c.a.reqInt("otheruserid")
	if err != nil {
		return nil, err
	}
	privacy, err := c.a.boolOr("includeprivacyinfo", true)
	if err != nil {
		return nil, err
	}
	if _, err := c.a.boolOr("includecontactrequests", true); err != nil {
		return nil, err
	}
	limit, err := c.a.intOr("messagelimit", 100)
	if err != nil {
		return nil, err
	}
	offset, err := c.a.intOr("messageoffset", 0)
	if err != nil {
		return nil, err
	}
	newestFirst, err := c.a.boolOr("newestmessagesfirst", true)
	if err != nil {
		return nil, err
	}
	ou := c.s.users[int(other)]
	cv := c.s.msgs.conversation(c.u.id, int(other), false)
	if ou == nil || cv == nil {
		return nil, errMoodle("errorconversationdoesnotexist", "Conversation does not exist")
	}
	member := wireMember{ID: ou.id, Fullname: ou.fullname(),
		Profileurl:      fmt.Sprintf("%s/user/profile.php?id=%d", c.base, ou.id),
		Profileimageurl: c.userPicture(false), Profileimageurlsmall: c.userPicture(true), Contactrequests: []any{}}
	if privacy {
		can := c.canMessage(ou)
		member.Canmessage, member.Canmessageevenifblocked = ptr(can), ptr(c.s.teachesAnywhere(c.u.id))
		member.Requirescontact = ptr(c.s.msgs.blockNonContacts[ou.id])
	}
	unread := 0
	msgs := make([]wireMessage, 0, len(cv.msgs))
	for _, m := range cv.msgs {
		if m.from != c.u.id {
			unread++
		}
		msgs = append(msgs, wireMessage{ID: m.id, Useridfrom: m.from, Text: m.text, Timecreated: m.time})
	}
	if newestFirst {
		for i, j := 0, len(msgs)-1; i < j; i, j = i+1, j-1 {
			msgs[i], msgs[j] = msgs[j], msgs[i]
		}
	}
	msgs = msgs[min(int(max(offset, 0)), len(msgs)):]
	if limit > 0 && int(limit) < len(msgs) {
		msgs = msgs[:limit]
	}
	return wireConversation{ID: cv.id, Type: 1, Membercount: 2, Isfavourite: cv.members[0] == cv.members[1],
		Isread: unread == 0, Unreadcount: unread, Members: []wireMember{member}, Messages: msgs}, nil
}

type wireConversationCounts struct {
	Favourites int            `json:"favourites"`
	Types      map[string]int `json:"types"`
}

// conversationCounts answers core_message_get_conversation_counts. The
// favourite is the user's own self-conversation, which Moodle creates with
// the account and does not count in types; "1" counts individual
// conversations.
func conversationCounts(c *call) (any, error) {
	uid, err := c.requireSelf("userid", 0)
	if err != nil {
		return nil, err
	}
	individual := 0
	for _, cv := range c.s.msgs.convs {
		if cv.members[0] != cv.members[1] && (cv.members[0] == int(uid) || cv.members[1] == int(uid)) && len(cv.msgs) > 0 {
			individual++
		}
	}
	return wireConversationCounts{Favourites: 1, Types: map[string]int{"1": individual, "2": 0, "3": 0}}, nil
}

// unreadConversationsCount answers core_message_get_unread_conversations_count
// with a bare number: conversations holding messages others sent to the
// user (the demo does not track reading).
func unreadConversationsCount(c *call) (any, error) {
	if _, err := c.a.reqInt("useridto"); err != nil {
		return nil, err
	}
	uid, err := c.requireSelf("useridto", 0)
	if err != nil {
		return nil, err
	}
	n := 0
	for _, cv := range c.s.msgs.convs {
		if cv.members[0] != int(uid) && cv.members[1] != int(uid) {
			continue
		}
		for _, m := range cv.msgs {
			if m.from != int(uid) {
				n++
				break
			}
		}
	}
	return n, nil
}

// moodleMessageText is a message's text as Moodle 4.5 stores and returns it. For plain text
// (textformat 2), message_format_message_text runs format_text(FORMAT_PLAIN) with blanktarget:
// s() escapes & " ' < > (leaving a typed numeric reference such as &#123; alone), two spaces
// become "&nbsp; ", nl2br adds <br />; then the blank-target pass loads that into a
// DOMDocument and saves it back, so the text comes out in <p>, its entities decoded and only
// & < > escaped again (quotes, apostrophes, emoji and the no-break space as characters):
// `Quote check: "Chapter 2" & don't <miss> it` is returned as
// `<p>Quote check: "Chapter 2" &amp; don't &lt;miss&gt; it</p>`, as a live Moodle 4.5 does.
func moodleMessageText(text string, format int64) string {
	if format != 2 || text == "" {
		return messageHTML(text, format)
	}
	t := moodleS(text)
	t = strings.ReplaceAll(t, "  ", "&nbsp; ")
	t = nl2br(t)
	parts := strings.Split(t, "<br />")
	for i, p := range parts {
		parts[i] = domEscape.Replace(html.UnescapeString(p))
	}
	return "<p>" + strings.Join(parts, "<br>") + "</p>"
}

// numericRefEscaped is s()'s own exception: "&amp;#NNN;" is put back to "&#NNN;".
var numericRefEscaped = regexp.MustCompile(`(?i)&amp;#(\d+|x[0-9a-f]+);`)

// moodleS is Moodle's s(): htmlspecialchars(ENT_QUOTES | ENT_HTML401), numeric references kept.
func moodleS(text string) string {
	t := strings.NewReplacer("&", "&amp;", `"`, "&quot;", "'", "&#039;", "<", "&lt;", ">", "&gt;").Replace(text)
	return numericRefEscaped.ReplaceAllString(t, "&#$1;")
}

// nl2br is PHP's nl2br: "<br />" before each line break (\r\n, \n\r, \n or \r), which stays.
func nl2br(t string) string {
	var b strings.Builder
	for i := 0; i < len(t); i++ {
		c := t[i]
		if c != '\n' && c != '\r' {
			b.WriteByte(c)
			continue
		}
		b.WriteString("<br />")
		b.WriteByte(c)
		if i+1 < len(t) && (t[i+1] == '\n' || t[i+1] == '\r') && t[i+1] != c {
			i++
			b.WriteByte(t[i])
		}
	}
	return b.String()
}

// domEscape is how libxml writes a text node back out as HTML.
var domEscape = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
