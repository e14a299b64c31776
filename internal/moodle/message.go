package moodle

import (
	"context"
	"strconv"
)

// OutgoingMessage is one message of core_message_send_instant_messages. ClientMsgID is echoed
// back by Moodle; the dashboard uses it to match results to recipients.
type OutgoingMessage struct {
	ToUserID    int64
	Text        string
	TextFormat  int // 1 = HTML, 0 = Moodle auto-format, 2 = plain, 4 = markdown
	ClientMsgID string
}

// MessageResult is Moodle's answer for one message: MsgID -1 and ErrorMessage (an English
// sentence, no code) when it was not sent. Unanswered is set when Moodle's reply held no
// result for this message at all: whether it was stored is then not known.
type MessageResult struct {
	Unanswered     bool   `json:"-"`
	MsgID          int64  `json:"msgid"`
	ClientMsgID    string `json:"clientmsgid"`
	Text           string `json:"text"` // HTML as stored
	TimeCreated    Time   `json:"timecreated"`
	ConversationID int64  `json:"conversationid"`
	UserIDFrom     int64  `json:"useridfrom"`
	ErrorMessage   string `json:"errormessage"`
}

// Sent reports whether Moodle stored the message.
func (r MessageResult) Sent() bool { return !r.Unanswered && r.MsgID > 0 && r.ErrorMessage == "" }

// SendInstantMessages calls core_message_send_instant_messages. Beware: when one message of
// several fails, Moodle may answer the whole call with an exception although it stored the
// others; send one message per call when the outcome of each matters. The results stand in
// the order of msgs, matched by ClientMsgID (which Moodle echoes), one per message.
func (c *Client) SendInstantMessages(ctx context.Context, token string, msgs []OutgoingMessage) ([]MessageResult, error) {
	p := newParams()
	for i, m := range msgs {
		p.Item("messages", i, "touserid", strconv.FormatInt(m.ToUserID, 10))
		p.Item("messages", i, "text", m.Text)
		p.Item("messages", i, "textformat", strconv.Itoa(m.TextFormat))
		if m.ClientMsgID != "" {
			p.Item("messages", i, "clientmsgid", m.ClientMsgID)
		}
	}
	var out []MessageResult
	if err := c.call(ctx, token, "core_message_send_instant_messages", p, &out); err != nil {
		return nil, err
	}
	ids := make([]string, len(msgs))
	for i, m := range msgs {
		ids[i] = m.ClientMsgID
	}
	res, ok := byClientID(ids, out, func(r MessageResult) string { return r.ClientMsgID })
	for i := range res {
		if !ok[i] {
			res[i] = MessageResult{Unanswered: true, ClientMsgID: ids[i]}
		}
	}
	return res, nil
}

// Conversation is the reply of core_message_get_conversation_between_users. Members holds the
// other user only; Messages are newest first.
type Conversation struct {
	ID          int64                `json:"id"`
	Name        *string              `json:"name"`
	Type        int                  `json:"type"`
	MemberCount int                  `json:"membercount"`
	IsMuted     bool                 `json:"ismuted"`
	IsFavourite bool                 `json:"isfavourite"`
	IsRead      bool                 `json:"isread"`
	UnreadCount *int                 `json:"unreadcount"`
	Members     []ConversationMember `json:"members"`
	Messages    []ConversationEntry  `json:"messages"`
}

// ConversationMember is a member of a conversation.
type ConversationMember struct {
	ID         int64  `json:"id"`
	FullName   string `json:"fullname"`
	ProfileURL string `json:"profileurl"`
	IsBlocked  bool   `json:"isblocked"`
	IsContact  bool   `json:"iscontact"`
	IsDeleted  bool   `json:"isdeleted"`
	CanMessage *bool  `json:"canmessage"`
}

// ConversationEntry is one message of a conversation.
type ConversationEntry struct {
	ID          int64  `json:"id"`
	UserIDFrom  int64  `json:"useridfrom"`
	Text        string `json:"text"` // HTML
	TimeCreated Time   `json:"timecreated"`
}

// ConversationOptions are the optional arguments of core_message_get_conversation_between_users.
type ConversationOptions struct {
	IncludeContactRequests bool
	IncludePrivacyInfo     bool
	MessageLimit           int
	MessageOffset          int
	NewestMessagesFirst    *bool
}

// ConversationBetweenUsers calls core_message_get_conversation_between_users; no conversation
// yet is ErrConversationNotFound.
func (c *Client) ConversationBetweenUsers(ctx context.Context, token string, userID, otherUserID int64, o ConversationOptions) (*Conversation, error) {
	p := newParams().SetInt("userid", userID).SetInt("otheruserid", otherUserID).
		SetBool("includecontactrequests", o.IncludeContactRequests).SetBool("includeprivacyinfo", o.IncludePrivacyInfo)
	if o.MessageLimit > 0 {
		p.Set("messagelimit", strconv.Itoa(o.MessageLimit))
	}
	if o.MessageOffset > 0 {
		p.Set("messageoffset", strconv.Itoa(o.MessageOffset))
	}
	if o.NewestMessagesFirst != nil {
		p.SetBool("newestmessagesfirst", *o.NewestMessagesFirst)
	}
	var out Conversation
	if err := c.call(ctx, token, "core_message_get_conversation_between_users", p, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ConversationCounts is the reply of core_message_get_conversation_counts; Types is keyed by
// conversation type as a string ("1" individual, "2" group, "3" self).
type ConversationCounts struct {
	Favourites int            `json:"favourites"`
	Types      map[string]int `json:"types"`
}

// ConversationCounts calls core_message_get_conversation_counts.
func (c *Client) ConversationCounts(ctx context.Context, token string, userID int64) (*ConversationCounts, error) {
	var out ConversationCounts
	if err := c.call(ctx, token, "core_message_get_conversation_counts", newParams().SetInt("userid", userID), &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// UnreadConversationsCount calls core_message_get_unread_conversations_count, whose reply is
// a bare number.
func (c *Client) UnreadConversationsCount(ctx context.Context, token string, userID int64) (int, error) {
	var out int
	err := c.call(ctx, token, "core_message_get_unread_conversations_count", newParams().SetInt("useridto", userID), &out)
	return out, err
}
