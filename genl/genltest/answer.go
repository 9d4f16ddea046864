package genltest

// Answer returns a handler for client tests: it decodes each request's
// attributes into got (typically a generated attribute-set struct, so the
// test can compare what the client sent), and replies with one message per
// attribute buffer in replies.
func Answer(got interface{ Decode([]byte) error }, replies ...[]byte) Handler {
	return func(req Request) ([]Reply, error) {
		if err := got.Decode(req.Attrs); err != nil {
			return nil, err
		}
		out := make([]Reply, 0, len(replies))
		for _, a := range replies {
			out = append(out, Reply{Attrs: a})
		}
		return out, nil
	}
}
