package policy

// Reasons are short, bounded identifiers shared by log lines, headers and
// metric labels. Every reason a verdict can carry is declared here, and
// nowhere else.
const (
	ReasonMalicious   = "malicious"
	ReasonRuleAction  = "rule-action"
	ReasonScore       = "score"
	ReasonUnscannable = "unscannable"
	ReasonScanError   = "scan-error"
	ReasonTimeout     = "timeout"
	ReasonClean       = "clean"
	// Not scanned at all: too large, too many header fields to read, or
	// more header bytes than limits.max_header_size.
	ReasonTooLarge       = "too-large"
	ReasonTooManyHeaders = "too-many-headers"
	ReasonHeaderTooLarge = "header-too-large"
	// The milter itself failed to decide or to store (the message is
	// tempfailed).
	ReasonInternalError = "internal-error"
	// Allow lists (Config.Allowed): the scan was skipped.
	ReasonAllowAuthenticated = "allow-authenticated"
	ReasonAllowNetwork       = "allow-network"
	ReasonAllowSender        = "allow-sender"
	ReasonAllowRecipient     = "allow-recipient"
)

// Reasons lists every reason in the order in which one explains an action
// best when a verdict has several: a rule's own action, then malice, then
// what could not be inspected, then the score, then errors. MainReason puts
// the errors first for a tempfail, since nothing else tempfails.
var Reasons = []string{
	ReasonRuleAction, ReasonMalicious, ReasonUnscannable,
	ReasonTooLarge, ReasonTooManyHeaders, ReasonHeaderTooLarge, ReasonScore,
	ReasonTimeout, ReasonScanError, ReasonInternalError,
	ReasonAllowAuthenticated, ReasonAllowNetwork, ReasonAllowSender, ReasonAllowRecipient,
	ReasonClean,
}

var errorReasons = []string{ReasonTimeout, ReasonScanError, ReasonInternalError}

// MainReason picks the one reason that labels a message: the one of reasons
// that best explains action (see Reasons); ReasonClean when there are none,
// "" when none of them is a reason Kensa knows.
func MainReason(action Action, reasons []string) string {
	if len(reasons) == 0 {
		return ReasonClean
	}
	pick := func(order []string) string {
		for _, r := range order {
			for _, have := range reasons {
				if have == r {
					return r
				}
			}
		}
		return ""
	}
	if action == TempFail {
		if r := pick(errorReasons); r != "" {
			return r
		}
	}
	return pick(Reasons)
}
