package genl

// Fail records msg as the error of attribute type t, as Err reports it,
// unless an earlier error is already recorded; nothing is appended.
// Generated encoders call it for a value that does not fit its
// attribute's wire width (an enum value of 300 in a u8), so the value is
// reported instead of being silently truncated.
func (e *Encoder) Fail(t uint16, msg string) { e.setErr(t, msg) }
