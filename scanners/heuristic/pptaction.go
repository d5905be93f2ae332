package heuristic

import (
	"bytes"
	"net/url"
	"path"
	"strings"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/unpack"
)

// PowerPoint action settings: a shape's a:hlinkClick (a click in the slide
// show) or a:hlinkHover (the mouse passing over it) with an action
// (ECMA-376 Part 1, 21.1.2.3.5; PowerPoint's ActionSetting.Action): a
// ppaction://program action runs the program its relationship names (an
// External hyperlink relationship's Target), ppaction://macro?name=X runs
// a macro. A .ppsx opens straight into the slide show, so a mouse-over
// program needs no click at all; PowerPoint asks before it starts the
// program, as Word asks before DDE. Hyperlinks to web pages, jumps to
// slides and sounds are the ordinary actions and do not count. A .ppt keeps
// the same settings in its PowerPoint Document stream (binaryPPTActions).

func checkPPTAction(e *env, p *message.Part) []string {
	if baseName(p.Path) == "PowerPoint Document" && bytes.Contains(head(p), []byte{0xF3, 0x0F}) {
		return binaryPPTActions(head(p))
	}
	if !isXMLPart(p, head(p)) || !e.hasLower(p, "ppaction") {
		return nil
	}
	var out []string
	eachElement(head(p), 100000, func(name string, attrs []byte) bool {
		on := map[string]string{"hlinkClick": "on click", "hlinkHover": "on mouse-over"}[name]
		action := strings.ToLower(strings.TrimSpace(xmlAttr(attrs, "action")))
		switch {
		case on == "":
		case strings.HasPrefix(action, "ppaction://program"):
			prog := relTarget(e, p, xmlAttr(attrs, "id"))
			if u, err := url.PathUnescape(prog); err == nil {
				prog = u // powershell%20-nop: PowerPoint runs it unescaped
			}
			out = append(out, "runs the program "+show(prog)+" "+on)
		case strings.HasPrefix(action, "ppaction://macro") && on == "on mouse-over":
			macro := action
			if _, q, ok := strings.Cut(xmlAttr(attrs, "action"), "name="); ok {
				macro = q
			}
			out = append(out, "runs the macro "+show(macro)+" "+on)
		}
		return len(out) < 20
	})
	return out
}

// binaryPPTActions reads the same action settings in a PowerPoint 97-2003
// presentation's PowerPoint Document stream (an InteractiveInfoAtom with
// II_RunProgramAction, or II_MacroAction on mouse-over, and its
// MacroNameAtom).
func binaryPPTActions(b []byte) []string {
	var out []string
	for _, a := range unpack.PPTActions(b) {
		on := "on click"
		if a.Hover {
			on = "on mouse-over"
		}
		switch {
		case a.Action == 2:
			out = append(out, "runs the program "+show(a.Name)+" "+on)
		case a.Action == 1 && a.Hover:
			out = append(out, "runs the macro "+show(a.Name)+" "+on)
		}
	}
	return out[:min(len(out), 20)]
}

// relTarget is the Target of relationship id in the relationships part of
// p (dir/_rels/name.rels), "" when there is none.
func relTarget(e *env, p *message.Part, id string) string {
	dir, name := path.Split(p.Path)
	rels := e.partAt(dir + "_rels/" + name + ".rels")
	if rels == nil || id == "" {
		return ""
	}
	target := ""
	eachElement(head(rels), 10000, func(name string, attrs []byte) bool {
		if strings.EqualFold(name, "Relationship") && xmlAttr(attrs, "Id") == id {
			target = xmlAttr(attrs, "Target")
			return false
		}
		return true
	})
	return target
}
