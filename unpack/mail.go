package unpack

import (
	"fmt"

	"github.com/kensa-milter/kensa/message"
)

// openMail parses a message found as an attachment or archive member and
// re-roots its parts and problems below the container's path.
func openMail(c *container) error {
	return c.addMessage(c.part.Content, "eml")
}

// addMessage parses raw as a message and adds its parts as members.
func (c *container) addMessage(raw []byte, what string) error {
	sub, err := message.Parse(raw)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	w := c.w
	for _, p := range sub.Parts {
		if w.stopped {
			return errStop
		}
		if w.members >= w.lim.MaxMembers {
			w.stop(c.part, ReasonMembers, fmt.Sprintf("more than %d members in the message", w.lim.MaxMembers))
			return errStop
		}
		if !c.budget(int64(len(p.Content))) {
			return errStop
		}
		w.members++
		c.part.Container = true
		q := *p
		q.Path = w.unique(c.base + "/" + p.Path)
		q.Depth = c.part.Depth + 1 + p.Depth
		w.m.Parts = append(w.m.Parts, &q)
	}
	for _, pr := range sub.Problems {
		if pr.Part == "" {
			pr.Part = c.part.Path
		} else {
			pr.Part = c.base + "/" + pr.Part
		}
		w.m.Problems = append(w.m.Problems, pr)
	}
	return nil
}
